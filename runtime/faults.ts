// Faults a member injects into its own outgoing datagrams, for tests and demonstrations:
// "drop=0.1,duplicate=0.05,delay=0.2,maxDelay=30,seed=7".

import { ConfigError } from "./config-error.ts";
import { parseNamedNumbers } from "./named-numbers.ts";

export interface FaultRates {
  /** Chance that a datagram is lost. */
  readonly drop?: number;
  /** Chance that a datagram is sent twice. */
  readonly duplicate?: number;
  /** Chance that a datagram (each copy) is held back, up to maxDelay milliseconds (so overtaken). */
  readonly delay?: number;
  readonly maxDelay?: number;
  /** Seed of the faults' random choices (the same seed, the same choices for the same sends). */
  readonly seed?: number;
}

const RATES = ["drop", "duplicate", "delay"] as const;
const FIELDS = [...RATES, "maxDelay", "seed"];

/** Parses comma-separated `name=value` items; a bad item is a ConfigError naming it. */
export function parseFaultRates(text: string): FaultRates {
  return checkFaultRates(parseNamedNumbers("faults", text, FIELDS));
}

/** Checks rates are probabilities and the delay and seed are non-negative integers. */
export function checkFaultRates(rates: FaultRates): FaultRates {
  for (const name of RATES) {
    const p = rates[name];
    if (p !== undefined && !(p >= 0 && p <= 1)) throw new ConfigError(`faults: ${name}=${p}: a rate is a probability between 0 and 1`);
  }
  for (const name of ["maxDelay", "seed"] as const) {
    const x = rates[name];
    if (x !== undefined && !(Number.isSafeInteger(x) && x >= 0)) throw new ConfigError(`faults: ${name}=${x} should be a non-negative integer`);
  }
  return rates;
}
