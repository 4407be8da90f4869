// Checker benchmark: `troupe check two-phase` with 5 to 9 resource managers, each run as its own
// process (so peak memory is that run's), exactly as a user runs it. Prints distinct states,
// states generated (transitions, as TLC, Spin and Murphi count them), wall seconds, distinct states
// per second, peak memory and the bytes per distinct state of the visited set and trail; then the
// same models with symmetry reduction.
//
//   npm run bench:checker                 (5 to 8 RMs)
//   npm run bench:checker -- --rms 9      (one size)
//   npm run bench:checker -- --liveness   (only the cost of liveness checking)
//
// The liveness section runs each model with and without its liveness properties (two-phase's
// everyRmDecides under weak fairness; the fifo stack's eventuallyDelivered under strong fairness)
// and prints the ratio of the times: the goal is at most 2x the safety-only run.
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

function troupeCheck(args: readonly string[]): Report {
  const child = spawnSync(process.execPath, [troupe, "check", ...args, "--json"], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`troupe check ${args.join(" ")} failed: ${child.stderr}${child.stdout}`);
  return JSON.parse(child.stdout) as Report;
}

function run(rms: number, symmetry: boolean): Report {
  return troupeCheck(["two-phase", "--param", `rms=${rms}`, ...(symmetry ? ["--symmetry"] : [])]);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pad = (s: string, n: number) => s.padStart(n);

const livenessOnly = process.argv.includes("--liveness");

console.log("Troupe checker benchmark: two-phase commit, breadth-first, one thread\n");
if (!livenessOnly) safetyRuns();
livenessRuns();

function safetyRuns(): void {
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
}

function livenessRuns(): void {
  const fifo3 = ["--param", "processes=3", "--param", "casts=1", "--param", "drops=1", "--param", "duplicates=0"];
  const cases: { name: string; safety: string[]; liveness: string[] }[] = [
    ...(rmsAt > 0 ? sizes : [5, 6, 7]).map((rms) => ({
      name: `two-phase rms=${rms}`,
      safety: ["two-phase", "--param", `rms=${rms}`],
      liveness: ["two-phase", "--param", `rms=${rms}`, "--param", "liveness=true"],
    })),
    { name: "fifo (defaults)", safety: ["fifo", "--property", "inOrder", "--property", "allDelivered"], liveness: ["fifo"] },
    { name: "fifo processes=3 casts=1", safety: ["fifo", ...fifo3, "--property", "inOrder", "--property", "allDelivered"], liveness: ["fifo", ...fifo3] },
  ];
  console.log("\n  liveness: the same check without and with the liveness properties\n");
  console.log("  model                       distinct states   safety s   with liveness s   ratio   peak MB (safety / liveness)");
  for (const c of cases) {
    const safety = troupeCheck(c.safety);
    const live = troupeCheck(c.liveness);
    console.log(
      `  ${c.name.padEnd(26)}  ${pad(fmt(live.distinctStates), 15)}  ${pad(safety.seconds.toFixed(2), 9)}  ${pad(live.seconds.toFixed(2), 16)}  ${pad((live.seconds / safety.seconds).toFixed(2), 6)}   ${fmt(safety.peakMemoryMB)} / ${fmt(live.peakMemoryMB)}`,
    );
  }
}
