// Instructions per unit of work, counted rather than timed. On the shared development machines the
// time of one run moves by ±30% from run to run (other tenants, stolen CPU), so a change of a few
// percent cannot be told from the noise by timing it. Counted instructions can: under valgrind
// (cachegrind without its cache model) with V8 on one thread (`--single-threaded`: no concurrent
// compiler or collector) and its collector on a fixed schedule (`--predictable-gc-schedule`, not
// one paced by the clock), the same command executes the same instructions to within about 1%
// (0.6% between two checks of fifo run side by side; the checker's pauses for Ctrl-C and progress
// still come by the clock).
//
// Each workload runs twice, with a smaller bound and in full, and the difference is printed per
// distinct state (the checker) or per simulated step (the simulator): the work itself, without
// start-up, and without most of the compiler's (on one thread V8 compiles on the main thread, and
// that counts: the smaller run is long enough for the hot code to be compiled).
//
//   npm run bench:instructions                 (needs valgrind; a few minutes: valgrind runs ~50× slower)
//   npm run bench:instructions -- --at DIR     (the CLI of another checkout, say a worktree of the code before a
//                                              change; with TROUPE_CACHE_DIR=DIR/.tc if it shares this node_modules)
//   npm run bench:instructions -- --only sim   (the workloads whose label contains the text)
//
// Instructions are not time (a cache miss costs more than an add), so a change is judged by both:
// this for its sign and size, the timed benchmarks for what a user sees.

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const at = process.argv.indexOf("--at");
const troupe = at > 0 ? resolve(process.argv[at + 1]!, "bin/troupe.js") : fileURLToPath(new URL("../bin/troupe.js", import.meta.url));
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

interface Counted {
  readonly instructions: number;
  /** Distinct states (check) or steps (sim), from the command's --json. */
  readonly work: number;
}

/** Runs `troupe <args> --json` under cachegrind, V8 on one thread and its collector on a fixed schedule: its instructions, and the work it reports. */
function counted(args: readonly string[]): Promise<Counted> {
  const argv = ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", process.execPath, "--single-threaded", "--predictable-gc-schedule", troupe, ...args, "--json"];
  return new Promise((resolve, reject) => {
    const child = spawn("valgrind", argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("close", (status) => {
      const refs = /I\s+refs:\s+([\d,]+)/.exec(err);
      const report = parsed(out);
      const work = report?.distinctStates ?? report?.steps;
      if (!refs || work === undefined) return reject(new Error(`troupe ${args.join(" ")} under valgrind (${troupe}, exit status ${status}) gave ${refs ? "no JSON report" : "no instruction count"}:\n${err.slice(-2000)}`));
      resolve({ instructions: Number(refs[1]!.replaceAll(",", "")), work });
    });
  });
}

function parsed(json: string): { distinctStates?: number; steps?: number } | undefined {
  try {
    return JSON.parse(json) as { distinctStates?: number; steps?: number };
  } catch {
    return undefined;
  }
}

interface Workload {
  readonly label: string;
  readonly unit: string;
  /** The workload in full, and the same command stopped part of the way. */
  readonly full: readonly string[];
  readonly part: readonly string[];
}

const FIFO_SIM = ["sim", "fifo", ...["processes=4", "casts=2", "drops=5", "duplicates=2", "partitions=2", "crashes=2", "recoveries=2", "service=true"].flatMap((p) => ["--param", p]), "--seed", "1"];

/** A check in full, and stopped after `part` distinct states. */
const check = (label: string, unit: string, args: readonly string[], part: number): Workload => ({ label, unit, full: ["check", ...args], part: ["check", ...args, "--max-states", String(part)] });

const every: Workload[] = [
  check("check fifo, 2 processes × 2 casts, 1 drop, 1 duplicate", "state", ["fifo", "--no-liveness"], 10_000),
  check("check fifo, the same, --symmetry", "orbit", ["fifo", "--no-liveness", "--symmetry"], 5_000),
  // Three processes: orbits keyed by the ids' signatures (two are keyed by both renamings, without them).
  check("check fifo, 3 processes × 1 cast, 1 drop, --symmetry", "orbit", ["fifo", ...["processes=3", "casts=1", "drops=1", "duplicates=0"].flatMap((p) => ["--param", p]), "--no-liveness", "--symmetry"], 5_000),
  check("check two-phase, 6 RMs", "state", ["two-phase", "--param", "rms=6"], 10_000),
  check("check vsync, 2 processes × 1 cast, 1 crash (the vsync service online)", "state", ["vsync", "--no-liveness"], 4_000),
  { label: "sim fifo, 4 processes, faults, service online (runs 41–200)", unit: "step", full: [...FIFO_SIM, "--runs", "200"], part: [...FIFO_SIM, "--runs", "40"] },
];
const only = process.argv.indexOf("--only");
const workloads = only > 0 ? every.filter((w) => w.label.includes(process.argv[only + 1]!)) : every;

/** Runs the tasks at most `width` at a time, in order. */
async function inParallel<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

if (!existsSync(troupe)) {
  console.error(`bench:instructions: no CLI at ${troupe} (--at names a checkout of Troupe)`);
  process.exit(2);
}
if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.log("bench:instructions needs valgrind (Debian: apt install valgrind); not run.");
  process.exit(0);
}

// The CLI's bundle is built on first use: build it now, outside the counts.
spawnSync(process.execPath, [troupe, "--version"], { stdio: "ignore" });
console.log(`Troupe instruction counts (${troupe}): valgrind (cachegrind, no cache model), node --single-threaded --predictable-gc-schedule\n`);
console.log(`  ${"workload".padEnd(58)} ${"work".padStart(15)} ${"instructions".padStart(31)} ${"per unit".padStart(13)}`);
const runs = await inParallel(
  workloads.flatMap((w) => [() => counted(w.full), () => counted(w.part)]),
  availableParallelism(),
).catch((e: unknown) => {
  console.error(`bench:instructions: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
workloads.forEach((w, i) => {
  const [full, part] = [runs[2 * i]!, runs[2 * i + 1]!];
  const per = (full.instructions - part.instructions) / (full.work - part.work);
  const work = `${fmt(part.work)} → ${fmt(full.work)}`;
  const instructions = `${fmt(part.instructions)} → ${fmt(full.instructions)}`;
  console.log(`  ${w.label.padEnd(58)} ${work.padStart(15)} ${instructions.padStart(31)} ${`${fmt(per)}/${w.unit}`.padStart(13)}`);
});
