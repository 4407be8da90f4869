// What the checker benchmarks share: `troupe check … --json` run as its own process, exactly as a
// user runs it (so peak memory is that run's and start-up is included in the wall time), and Spin
// run on the same model through the harness in ../shared/anchors/spin, when it can run here.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const troupe = fileURLToPath(new URL("../bin/troupe.js", import.meta.url));
const spinHarness = fileURLToPath(new URL("../../shared/anchors/spin/run_spin.sh", import.meta.url));

export interface CheckReport {
  readonly verdict: string;
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly maxDepth: number;
  readonly liveness: readonly { readonly property: string; readonly verdict: string }[];
  /** The search's own seconds (wall). */
  readonly seconds: number;
  /** CPU seconds of the whole process, start-up included. */
  readonly cpuSeconds: number;
  readonly peakMemoryMB: number;
  readonly storeBytes: number;
  /** Peak memory per distinct state. */
  readonly bytesPerState: number;
  /** Wall seconds of the whole process, start-up included (measured here). */
  readonly wallSeconds: number;
}

export function troupeCheck(args: readonly string[]): CheckReport {
  const started = performance.now();
  const child = spawnSync(process.execPath, [troupe, "check", ...args, "--json"], { encoding: "utf8", maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0 && child.status !== 3) throw new Error(`troupe check ${args.join(" ")} failed: ${child.stderr}${child.stdout}`);
  return { ...(JSON.parse(child.stdout) as Omit<CheckReport, "wallSeconds">), wallSeconds };
}

export interface SpinReport {
  readonly states: number;
  readonly transitions: number;
  /** Wall seconds of the compiled verifier (pan), without spin -a and gcc. */
  readonly seconds: number;
  readonly memoryMB: number;
}

/** Spin's verifier of two-phase with `rms` RMs (no partial-order reduction), compiled by the harness and run again at will. */
export interface SpinVerifier {
  /** The harness's own run, made as it compiled the verifier. */
  readonly first: SpinReport;
  /** Runs the compiled verifier once more, timed here (process start included, as Troupe's wall time is). */
  run(): SpinReport;
}

/** Compiles Spin's verifier of two-phase with `rms` RMs through the harness (which runs it once), or says why it cannot run here. */
export function spinTwoPhase(rms: number): SpinVerifier | string {
  if (!existsSync(spinHarness)) return `no Spin harness at ${spinHarness}`;
  if (spawnSync("spin", ["-V"], { encoding: "utf8" }).status !== 0) return "spin is not installed (apt-get install spin)";
  const run = spawnSync("bash", [spinHarness, String(rms)], { encoding: "utf8" });
  const row = run.stdout.split("\n").find((line) => line.startsWith(`| ${rms} | noreduce |`));
  if (!row) return `the Spin harness printed no result: ${run.stderr || run.stdout}`;
  const cells = row.split("|").map((c) => c.trim());
  // | N | mode | -w | state-vector B | stored | matched | transitions | depth | pan elapsed s | wall s | states/s | mem MB |
  const first = { states: Number(cells[5]), transitions: Number(cells[7]), seconds: Number(cells[10]), memoryMB: Number(cells[12]) };
  const pan = join(SPIN_WORK_DIR, `pan_${rms}_noreduce`);
  const args = ["-m100000", `-w${cells[3]}`];
  return { first, run: () => runPan(pan, args) };
}

/** Where the harness compiles its verifiers (run_spin.sh's work dir). */
const SPIN_WORK_DIR = "/tmp/spinrun";

function runPan(pan: string, args: readonly string[]): SpinReport {
  const started = performance.now();
  const child = spawnSync(pan, args, { encoding: "utf8", cwd: SPIN_WORK_DIR });
  const seconds = (performance.now() - started) / 1000;
  const count = (pattern: RegExp) => {
    const found = pattern.exec(child.stdout);
    if (!found) throw new Error(`${pan} ${args.join(" ")} printed no ${pattern.source}: ${child.stderr}${child.stdout}`);
    return Number(found[1]);
  };
  return { states: count(/(\d+) states, stored/), transitions: count(/(\d+) transitions \(/), seconds, memoryMB: count(/([\d.]+)\s+total actual memory usage/) };
}
