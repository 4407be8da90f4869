// Checker benchmark: two-phase commit with 5 to 9 resource managers, each in a fresh process so
// that peak memory is that run's. Prints distinct states, states generated (transitions, as TLC,
// Spin and Murphi count them), wall seconds, distinct states per second, peak memory and bytes per
// distinct state; then the same models with symmetry reduction.
//
//   npm run bench:checker                 (5..8 RMs; add -- --rms 9 for one size)
//
// Figures from TLC (1 worker), Murphi and Spin on these machines are in
// ../shared/reference/anchors.md: for 8 RMs 65 s, 10.5 s and 4.0 s.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { check } from "../checker/check.ts";
import { instantiate } from "../ioa/index.ts";
import twoPhase from "../specs/examples/two-phase.ts";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function one(rms: number, symmetry: boolean): Promise<void> {
  const r = await check(instantiate(twoPhase, { rms }), { symmetry });
  console.log(
    JSON.stringify({
      rms,
      symmetry,
      distinct: r.distinctStates,
      generated: r.generatedStates,
      seconds: r.seconds,
      peakMB: r.peakMemoryBytes / 2 ** 20,
      storeBytesPerState: r.storeBytes / r.distinctStates,
    }),
  );
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

if (arg("--one")) {
  await one(Number(arg("--one")), process.argv.includes("--symmetry"));
} else {
  const sizes = arg("--rms") ? [Number(arg("--rms"))] : [5, 6, 7, 8];
  const self = fileURLToPath(import.meta.url);
  const run = (rms: number, symmetry: boolean) => {
    const child = spawnSync(process.execPath, ["--max-old-space-size=16384", "--import", "tsx", self, "--one", String(rms), ...(symmetry ? ["--symmetry"] : [])], {
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
  };
  console.log("Troupe checker benchmark: two-phase commit, breadth-first, one worker\n");
  console.log("  RMs     distinct states   states generated   seconds   distinct/s   peak MB   store B/state");
  for (const rms of sizes) {
    const r = run(rms, false);
    console.log(
      `  ${String(rms).padStart(3)}  ${fmt(r.distinct!).padStart(18)}  ${fmt(r.generated!).padStart(17)}  ${r.seconds!.toFixed(2).padStart(8)}  ${fmt(r.distinct! / r.seconds!).padStart(11)}  ${fmt(r.peakMB!).padStart(8)}  ${r.storeBytesPerState!.toFixed(1).padStart(14)}`,
    );
  }
  console.log("\n  with --symmetry (one state per orbit of RM renamings)\n");
  console.log("  RMs     distinct states   states generated   seconds");
  for (const rms of sizes) {
    const r = run(rms, true);
    console.log(`  ${String(rms).padStart(3)}  ${fmt(r.distinct!).padStart(18)}  ${fmt(r.generated!).padStart(17)}  ${r.seconds!.toFixed(2).padStart(8)}`);
  }
}
