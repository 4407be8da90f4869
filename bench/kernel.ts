// Kernel benchmark: how fast the IOA kernel fingerprints states and takes steps, on two-phase
// commit with 5 resource managers (8,832 reachable states, 58,145 transitions).
//
//   npm run bench:kernel            (add -- --rms 6 for a bigger model)
//
// Prints figures only; nothing here is a test.

import { encodeValue, enabledActions, fingerprintInto, typedFingerprintInto, type Action, type StateOf, type Value } from "../ioa/index.ts";
import { twoPhase } from "../specs/examples/two-phase.ts";

const rmsArg = process.argv.indexOf("--rms");
const rms = rmsArg > 0 ? Number(process.argv[rmsArg + 1]) : 5;
const automaton = twoPhase(rms);

// The reachable states, found with the kernel alone (typed fingerprints in a JS Set of strings).
const out = new Int32Array(2);
const seen = new Set<string>();
const states: StateOf<typeof automaton>[] = [];
for (const s of automaton.startStates()) {
  typedFingerprintInto(automaton.stateType, s, out, 0);
  seen.add(`${out[0]}:${out[1]}`);
  states.push(s);
}
for (let i = 0; i < states.length; i++) {
  const s = states[i]!;
  for (const a of enabledActions(automaton, s)) {
    const t = automaton.step(s, a);
    typedFingerprintInto(automaton.stateType, t, out, 0);
    const key = `${out[0]}:${out[1]}`;
    if (!seen.has(key)) {
      seen.add(key);
      states.push(t);
    }
  }
}

/** Runs `body` over all states for at least `seconds`, returns operations per second (best of 3). */
function rate(opsPerPass: number, body: () => void, seconds = 1): number {
  body();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let ops = 0;
    const start = performance.now();
    while (performance.now() - start < (seconds * 1000) / 3) {
      body();
      ops += opsPerPass;
    }
    best = Math.max(best, ops / ((performance.now() - start) / 1000));
  }
  return best;
}

let sink = 0;
let transitions = 0;
const enabled: Action[] = [];
for (const s of states) {
  enabled.length = 0;
  automaton.enabled(s, enabled as never);
  transitions += enabled.length;
}

const rows: [string, number, string][] = [
  [
    "typed fingerprints",
    rate(states.length, () => {
      for (const s of states) typedFingerprintInto(automaton.stateType, s, out, 0), (sink ^= out[0]!);
    }),
    "states/s",
  ],
  [
    "generic fingerprints",
    rate(states.length, () => {
      for (const s of states) fingerprintInto(s as Value, out, 0), (sink ^= out[0]!);
    }),
    "states/s",
  ],
  [
    "enabled",
    rate(states.length, () => {
      for (const s of states) {
        enabled.length = 0;
        automaton.enabled(s, enabled as never);
        sink += enabled.length;
      }
    }),
    "states/s",
  ],
  [
    "enabled + step (all successors)",
    rate(transitions, () => {
      for (const s of states) {
        enabled.length = 0;
        automaton.enabled(s, enabled as never);
        for (const a of enabled) sink += automaton.step(s, a as never) === s ? 1 : 0;
      }
    }),
    "steps/s",
  ],
  [
    "canonical encodings",
    rate(states.length, () => {
      for (const s of states) sink += encodeValue(s as Value).length;
    }),
    "states/s",
  ],
];

const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(`Troupe kernel benchmark: two-phase, ${rms} RMs (${states.length} states, ${transitions} transitions)`);
for (const [what, value, unit] of rows) console.log(`  ${what.padEnd(32)} ${Math.round(value).toLocaleString("en-US").padStart(12)} ${unit}`);
console.log(`  ${"peak memory (RSS)".padEnd(32)} ${peakMb.toFixed(0).padStart(12)} MB`);
if (sink === 0.5) console.log(sink);
