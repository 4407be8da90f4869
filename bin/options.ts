// Option parsers shared by the commands.

import { InvalidArgumentError } from "commander";
import type { Fairness } from "../ioa/index.ts";

/** Accumulates a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function integerOption(name: string, min = Number.MIN_SAFE_INTEGER) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} expects an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""}, got "${raw}"`);
    }
    return n;
  };
}

/** `--rate`: casts a second, or `max` (as fast as the stack's flow control takes them). */
export function rateOption(raw: string): number | "max" {
  if (raw.trim() === "max") return "max";
  const rate = Number(raw);
  if (raw.trim() === "" || !Number.isSafeInteger(rate) || rate < 1) throw new InvalidArgumentError(`--rate expects an integer ≥ 1 (casts a second) or max, got "${raw}"`);
  return rate;
}

const FAIRNESS = ["weak", "strong", "none"] as const;

/** `--fairness`: how every liveness property is judged, whatever fairness it names. */
export function fairnessOption(raw: string): Fairness {
  if (!(FAIRNESS as readonly string[]).includes(raw)) throw new InvalidArgumentError(`--fairness expects ${FAIRNESS.join(", ")}, got "${raw}"`);
  return raw as Fairness;
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 2 ** 10, kb: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, t: 2 ** 40, tb: 2 ** 40 };

/** A size in bytes: `2GB`, `512MB`, `1.5g`, `100000` (units are powers of 1024). */
export function sizeOption(name: string) {
  return (raw: string): number => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
    const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
    if (!m || unit === undefined || Number(m[1]) <= 0) throw new InvalidArgumentError(`${name} expects a size such as 2GB or 512MB, got "${raw}"`);
    return Math.round(Number(m[1]) * unit);
  };
}
