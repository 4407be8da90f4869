// Layers benchmark: `troupe check fifo` on the configurations the layers issue asks for, each run
// as its own process exactly as a user runs it (with and without symmetry reduction), and the
// speed of random walks of 4 processes with many faults (steps of the whole group per second).
//
//   npm run bench:layers

import { instantiate, walk } from "../ioa/index.ts";
import fifo from "../layers/models/fifo.ts";
import { troupeCheck, type CheckReport } from "./troupe-check.ts";

/** The fifo model's safety properties (its liveness property records the whole graph: see bench:checker -- --liveness). */
const SAFETY = ["--property", "inOrder", "--property", "allDelivered"];

function check(params: Record<string, number>, symmetry: boolean): CheckReport {
  return troupeCheck(["fifo", ...Object.entries(params).flatMap(([k, v]) => ["--param", `${k}=${v}`]), ...SAFETY, ...(symmetry ? ["--symmetry"] : [])]);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pad = (s: string, n: number) => s.padStart(n);

const configs = [
  { label: "2 processes x 2 casts, 1 drop, 1 duplicate", params: { processes: 2, casts: 2, drops: 1, duplicates: 1 } },
  { label: "3 processes x 1 cast, 1 drop", params: { processes: 3, casts: 1, drops: 1, duplicates: 0 } },
];

console.log("Troupe layers benchmark: troupe check fifo (safety properties), breadth-first, one thread; CPU s of the whole process\n");
console.log("  configuration                                 symmetry   verdict   distinct states   generated   depth   seconds   CPU s   distinct/s   peak MB   B/state");
for (const { label, params } of configs) {
  for (const symmetry of [false, true]) {
    const r = check(params, symmetry);
    console.log(
      `  ${label.padEnd(44)}  ${pad(symmetry ? "yes" : "no", 8)}  ${pad(r.verdict, 8)}  ${pad(fmt(r.distinctStates), 16)}  ${pad(fmt(r.generatedStates), 10)}  ${pad(String(r.maxDepth), 6)}  ${pad(r.seconds.toFixed(2), 8)}  ${pad(r.cpuSeconds.toFixed(2), 6)}  ${pad(fmt(r.distinctStates / r.seconds), 11)}  ${pad(fmt(r.peakMemoryMB), 8)}  ${pad(fmt(r.bytesPerState), 8)}`,
    );
  }
}

const many = { processes: 4, casts: 2, sends: 1, drops: 6, duplicates: 6, partitions: 2, crashes: 2, recoveries: 2, maxLength: 1 };
const { automaton } = instantiate(fifo, many);
let steps = 0;
let quiescent = 0;
const started = performance.now();
for (let seed = 0; seed < 300; seed++) {
  const run = walk(automaton, { steps: 20_000, seed, validate: false });
  steps += run.actions.length;
  if (run.ended === "quiescent") quiescent++;
}
const seconds = (performance.now() - started) / 1000;
console.log(`\nRandom walks, 4 processes, 2 casts and 1 send each, fragments of 1 character, 6 drops, 6 duplicates, 2 partitions, 2 crashes, 2 recoveries:`);
console.log(`  300 walks to quiescence (${quiescent} reached it), ${fmt(steps)} steps in ${seconds.toFixed(2)} s: ${fmt(steps / seconds)} steps/s`);
