// Checker benchmark: `troupe check two-phase` with 5 to 8 resource managers, each run as its own
// process (so peak memory is that run's), exactly as a user runs it, with Spin's compiled verifier
// on the same model in the same run when it can run here; then the fifo stack with 3 processes ×
// 1 cast × 1 drop, with and without symmetry reduction (also judged by its service). Prints distinct states, states generated
// (transitions, as TLC, Spin and Murphi count them), the process's wall and CPU seconds (start-up
// included), distinct states per second of search, peak memory and bytes per distinct state.
//
//   npm run bench:checker                 (5 to 8 RMs, Spin on 8, fifo)
//   npm run bench:checker -- --rms 9      (one size, safety only; Spin on it)
//   npm run bench:checker -- --liveness   (only the cost of liveness checking)
//   npm run bench:checker -- --safety     (the safety runs and Spin, without the liveness section)
//   npm run bench:checker -- --pairs 5    (Spin and Troupe in turns 5 times, not 3)
//
// The liveness section runs each model with and without its liveness properties (two-phase's
// everyRmDecides under weak fairness; the fifo stack's eventuallyDelivered, the vsync and total
// stacks' castsDelivered, suspectsExcluded and viewChangeCompletes under strong fairness), also
// under symmetry reduction, and prints the ratio of the times: the goal is at most 2x the
// safety-only run.
//
// The machines are shared: CPU seconds are the steadier figure; run it twice and take the best.

import { spinTwoPhase, troupeCheck, type CheckReport } from "./troupe-check.ts";

const rmsAt = process.argv.indexOf("--rms");
const sizes = rmsAt > 0 ? [Number(process.argv[rmsAt + 1])] : [5, 6, 7, 8];
const FIFO3 = ["--param", "processes=3", "--param", "casts=1", "--param", "drops=1", "--param", "duplicates=0"];

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pad = (s: string, n: number) => s.padStart(n);

const livenessOnly = process.argv.includes("--liveness");

console.log("Troupe checker benchmark: breadth-first, one thread\n");
if (!livenessOnly) safetyRuns();
// One large size (--rms 9) is a safety run: the liveness section records the whole graph.
if (livenessOnly || (rmsAt < 0 && !process.argv.includes("--safety"))) livenessRuns();

function row(label: string, r: CheckReport): string {
  return `  ${label.padEnd(26)}${pad(fmt(r.distinctStates), 12)}${pad(fmt(r.generatedStates), 13)}${pad(r.wallSeconds.toFixed(2), 9)}${pad(r.cpuSeconds.toFixed(2), 8)}${pad(fmt(r.distinctStates / r.seconds), 12)}${pad(fmt(r.peakMemoryMB), 9)}${pad(fmt(r.bytesPerState), 9)}${pad((r.storeBytes / r.distinctStates).toFixed(1), 9)}`;
}

function safetyRuns(): void {
  console.log("  model                         distinct    generated   wall s   CPU s  distinct/s  peak MB  B/state  store B");
  for (const rms of sizes) console.log(row(`two-phase rms=${rms}`, troupeCheck(["two-phase", "--param", `rms=${rms}`])));
  for (const rms of sizes) console.log(row(`two-phase rms=${rms} symmetry`, troupeCheck(["two-phase", "--param", `rms=${rms}`, "--symmetry"])));
  if (rmsAt < 0) {
    const safety = ["--property", "inOrder", "--property", "allDelivered"];
    console.log(row("fifo 3x1x1", troupeCheck(["fifo", ...FIFO3, ...safety])));
    console.log(row("fifo 3x1x1 symmetry", troupeCheck(["fifo", ...FIFO3, ...safety, "--symmetry"])));
    const service = ["--param", "service=true", "--no-liveness"];
    console.log(row("fifo 3x1x1 svc", troupeCheck(["fifo", ...FIFO3, ...service])));
    console.log(row("fifo 3x1x1 svc symmetry", troupeCheck(["fifo", ...FIFO3, ...service, "--symmetry"])));
  }
  console.log("  (wall and CPU s: the whole process, start-up included; distinct/s: of the search; B/state: peak memory per distinct state;");
  console.log("   store B: the visited set and trail per distinct state; fifo with its safety properties inOrder and allDelivered;");
  console.log("   fifo svc: also judged by the fifo service's checker and the properties it promises, online)\n");
  spinBesideTroupe(sizes[sizes.length - 1]!);
}

/**
 * Spin and Troupe on two-phase, in turns, `--pairs` times (default 3): on a shared machine one
 * pair's ratio moves by a quarter or more either way, so the verdict compares each one's best time, and the
 * median of the pairs' ratios is printed beside it.
 */
function spinBesideTroupe(rms: number): void {
  const spin = spinTwoPhase(rms);
  if (typeof spin === "string") {
    console.log(`  Spin: not run (${spin}); on these machines it took 3.1-5.1 s for 8 RMs (issue 12)`);
    return;
  }
  const pairsAt = process.argv.indexOf("--pairs");
  const pairs = pairsAt > 0 ? Number(process.argv[pairsAt + 1]) : 3;
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`--pairs should be a whole number of at least 1, but is ${process.argv[pairsAt + 1]}`);
  console.log(`  two-phase rms=${rms}, Spin (pan -DSAFETY -DNOREDUCE, compiled beforehand) and Troupe in turns, wall seconds with start-up:`);
  const spins: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const theirs = spin.run();
    const mine = troupeCheck(["two-phase", "--param", `rms=${rms}`]);
    if (theirs.states !== mine.distinctStates) throw new Error(`Spin stored ${theirs.states} states and Troupe ${mine.distinctStates}: the models differ`);
    spins.push(theirs.seconds);
    ours.push(mine.wallSeconds);
    console.log(`    pair ${i + 1}: Spin ${theirs.seconds.toFixed(2)} s (${fmt(theirs.memoryMB)} MB), Troupe ${mine.wallSeconds.toFixed(2)} s (${mine.cpuSeconds.toFixed(2)} CPU s, ${fmt(mine.peakMemoryMB)} MB): ${(mine.wallSeconds / theirs.seconds).toFixed(2)}x`);
  }
  const ratios = ours.map((t, i) => t / spins[i]!).sort((a, b) => a - b);
  const [bestSpin, bestOurs] = [Math.min(...spins), Math.min(...ours)];
  console.log(`    best of each: Spin ${bestSpin.toFixed(2)} s, Troupe ${bestOurs.toFixed(2)} s: ${(bestOurs / bestSpin).toFixed(2)}x Spin's time; median of the pairs' ratios ${ratios[(ratios.length - 1) >> 1]!.toFixed(2)}x (${fmt(spin.first.states)} states each)`);
}

function livenessRuns(): void {
  const cases: { name: string; safety: string[]; liveness: string[] }[] = [
    ...(rmsAt > 0 ? sizes : [5, 6, 7]).map((rms) => ({
      name: `two-phase rms=${rms}`,
      safety: ["two-phase", "--param", `rms=${rms}`],
      liveness: ["two-phase", "--param", `rms=${rms}`, "--param", "liveness=true"],
    })),
    { name: "two-phase rms=7 symmetry", safety: ["two-phase", "--param", "rms=7", "--symmetry"], liveness: ["two-phase", "--param", "rms=7", "--param", "liveness=true", "--symmetry"] },
    { name: "fifo (defaults)", safety: ["fifo", "--no-liveness"], liveness: ["fifo"] },
    { name: "fifo processes=3 casts=1", safety: ["fifo", ...FIFO3, "--no-liveness"], liveness: ["fifo", ...FIFO3] },
    { name: "fifo 3x1x1 symmetry", safety: ["fifo", ...FIFO3, "--no-liveness", "--symmetry"], liveness: ["fifo", ...FIFO3, "--symmetry"] },
    { name: "vsync (defaults)", safety: ["vsync", "--no-liveness"], liveness: ["vsync"] },
    { name: "total (defaults)", safety: ["total", "--no-liveness"], liveness: ["total"] },
  ];
  console.log("\n  liveness: the same check without and with the liveness properties\n");
  console.log("  model                       distinct states   safety s   with liveness s   ratio   CPU s (safety / liveness)   peak MB (safety / liveness)");
  for (const c of cases) {
    const safety = troupeCheck(c.safety);
    const live = troupeCheck(c.liveness);
    const verdicts = live.liveness.map((l) => `${l.property} ${l.verdict}`).join(", ");
    console.log(
      `  ${c.name.padEnd(26)}  ${pad(fmt(live.distinctStates), 15)}  ${pad(safety.seconds.toFixed(2), 9)}  ${pad(live.seconds.toFixed(2), 16)}  ${pad((live.seconds / safety.seconds).toFixed(2), 6)}   ${pad(`${safety.cpuSeconds.toFixed(2)} / ${live.cpuSeconds.toFixed(2)}`, 24)}   ${fmt(safety.peakMemoryMB)} / ${fmt(live.peakMemoryMB)}   ${verdicts}`,
    );
  }
  console.log("  (safety: the same model with --no-liveness, or two-phase without its liveness property; s: the search's wall seconds, liveness judgement included;");
  console.log("   CPU s: the whole process's, start-up included; under --symmetry the candidate cycles are lifted back to concrete states, see checker/symmetric-liveness.ts)");
}
