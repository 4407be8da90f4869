// The failure detector's delays as a member's settings: "beat=50,sweep=100,suspect=300".
//
// How soon a dead member is excluded is about `suspect` plus up to a sweep and a beat (its last
// heartbeat may have come just after a sweep), plus the flush; a live member whose heartbeats stop
// for longer than `suspect` (a stalled process, an overloaded machine) is suspected too, falsely.

import { SUSPECT_DEFAULTS, type SuspectOptions } from "../layers/suspect.ts";
import { ConfigError } from "./config-error.ts";
import { parseNamedNumbers } from "./named-numbers.ts";

const NAMES = Object.keys(SUSPECT_DEFAULTS) as (keyof SuspectOptions)[];

/** Parses `beat=…,sweep=…,suspect=…,silent=…` (milliseconds; any subset). */
export function parseFailureDetector(text: string): SuspectOptions {
  return checkFailureDetector(parseNamedNumbers("failure detector", text, NAMES));
}

/** Checks each delay is a positive integer and a member is suspected only after several heartbeats could have come. */
export function checkFailureDetector(options: SuspectOptions): SuspectOptions {
  for (const name of NAMES) {
    const ms = options[name];
    if (ms !== undefined && !(Number.isSafeInteger(ms) && ms > 0)) throw new ConfigError(`failure detector: ${name}=${ms} should be a positive whole number of milliseconds`);
  }
  const { beat, suspect } = { ...SUSPECT_DEFAULTS, ...options };
  if (suspect < 2 * beat) throw new ConfigError(`failure detector: suspect=${suspect} should be at least two heartbeats (beat=${beat}): one lost heartbeat would make a false suspicion`);
  return options;
}
