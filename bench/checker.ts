// Checker benchmark: `troupe check two-phase` with 5 to 9 resource managers, each run as its own
// process (so peak memory is that run's), exactly as a user runs it. Prints distinct states,
// states generated (transitions, as TLC, Spin and Murphi count them), wall seconds, distinct states
// per second, peak memory and the bytes per distinct state of the visited set and trail; then the
// same models with symmetry reduction.
//
//   npm run bench:checker                 (5 to 8 RMs)
//   npm run bench:checker -- --rms 9      (one size)
//
// TLC (1 worker), Murphi and Spin on these machines, for 8 RMs: 65 s, 10.5 s and 4.0 s
// (../shared/reference/anchors.md).

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const troupe = fileURLToPath(new URL("../bin/troupe.js", import.meta.url));
const rmsAt = process.argv.indexOf("--rms");
const sizes = rmsAt > 0 ? [Number(process.argv[rmsAt + 1])] : [5, 6, 7, 8];

interface Report {
  distinctStates: number;
  generatedStates: number;
  seconds: number;
  peakMemoryMB: number;
  storeBytes: number;
}

function run(rms: number, symmetry: boolean): Report {
  const args = [troupe, "check", "two-phase", "--param", `rms=${rms}`, "--json", ...(symmetry ? ["--symmetry"] : [])];
  const child = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`troupe check failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Report;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pad = (s: string, n: number) => s.padStart(n);

console.log("Troupe checker benchmark: two-phase commit, breadth-first, one thread\n");
console.log("  RMs   distinct states   states generated    seconds   distinct/s   peak MB   store B/state");
for (const rms of sizes) {
  const r = run(rms, false);
  console.log(
    `  ${pad(String(rms), 3)}  ${pad(fmt(r.distinctStates), 16)}  ${pad(fmt(r.generatedStates), 17)}  ${pad(r.seconds.toFixed(2), 9)}  ${pad(fmt(r.distinctStates / r.seconds), 11)}  ${pad(fmt(r.peakMemoryMB), 8)}  ${pad((r.storeBytes / r.distinctStates).toFixed(1), 14)}`,
  );
}
console.log("\n  with --symmetry (one state per orbit of RM renamings)\n");
console.log("  RMs   distinct states   states generated    seconds");
for (const rms of sizes) {
  const r = run(rms, true);
  console.log(`  ${pad(String(rms), 3)}  ${pad(fmt(r.distinctStates), 16)}  ${pad(fmt(r.generatedStates), 17)}  ${pad(r.seconds.toFixed(2), 9)}`);
}
