// Simulator benchmark: how fast the simulator runs (simulated steps and runs per second of CPU
// time, one thread) — and, for the fifo stack, how fast the model alone takes the same kind of
// runs' actions, which bounds it — and how many runs each scheduler needs to find each seeded bug,
// with the length of the shrunk counterexample against the run as found.
//
//   npm run bench:simulator                  (everything)
//   npm run bench:simulator -- --speed       (throughput only)
//   npm run bench:simulator -- --bugs        (seeded bugs only)
//   npm run bench:simulator -- --workers     (troupe sim --workers: steps per wall second, 1 thread and all cores)
//
// Prints figures only; nothing here is a test. CPU time rather than wall time, because the
// development machines are shared and stall now and then.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { instantiate, isModel, type Action, type Model, type ModelInstance } from "../ioa/index.ts";
import alternatingBit from "../specs/examples/alternating-bit.ts";
import orderingRace from "../specs/examples/ordering-race.ts";
import twoPhase from "../specs/examples/two-phase.ts";
import { DEFAULT_PLAN, NO_FAULTS, Simulation, simulate, type FaultPlan, type Scheduler } from "../simulator/index.ts";
import { PropertyChecker } from "../simulator/properties.ts";
import { pctScheduler, randomScheduler, swarmScheduler } from "../simulator/schedulers/index.ts";

/** The mutants of the FIFO stack (issue 5), planted with the fifo model's `bug` parameter. */
const FIFO_MUTANTS = ["forgets-to-retransmit", "delivers-out-of-order", "delivers-duplicates", "stable-too-early"];
/** The fault budget of the fifo stack: for throughput, and for hunting its mutants. */
const FIFO_FAULTS = { casts: 2, drops: 5, duplicates: 2, partitions: 2, crashes: 2, recoveries: 2 };
const FIFO_HUNT = { casts: 2, drops: 3, duplicates: 2 };

const only = process.argv.includes("--speed") ? "speed" : process.argv.includes("--bugs") ? "bugs" : process.argv.includes("--workers") ? "workers" : "all";
const schedulers: Scheduler[] = [randomScheduler, pctScheduler(3), swarmScheduler];
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The FIFO stack of the layers, once it is on this branch: its model module, if there is one. */
async function fifoModel(): Promise<Model | undefined> {
  for (const path of ["../layers/models/fifo.ts", "../specs/examples/fifo.ts"]) {
    const file = fileURLToPath(new URL(path, import.meta.url));
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (isModel(module.default)) return module.default;
  }
  return undefined;
}

/** The fifo model with `n` processes, whatever its parameter for the group size is called. */
function withProcesses(model: Model, n: number, extra: Record<string, string | number | boolean> = {}): ModelInstance {
  const size = Object.keys(model.params).find((k) => /^(processes|members|n|size)$/i.test(k));
  return instantiate(model, { ...(size && { [size]: n }), ...extra });
}

// ---- throughput ----

interface Speed {
  readonly steps: number;
  readonly runs: number;
  readonly cpu: number;
}

/** CPU seconds of this process (user and system) since `start`. */
function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Steps and runs per CPU second: the best of three rounds of about a second each, after a warm-up. */
function speed<S, A extends Action>(instance: ModelInstance<S, A>, scheduler: Scheduler, plan: FaultPlan, steps: number): Speed {
  const sim = new Simulation({ automaton: instance.automaton, properties: instance.properties, scheduler, plan, steps });
  let seed = 0;
  const round = (seconds: number): Speed => {
    const start = process.cpuUsage();
    let total = 0;
    let runs = 0;
    for (let cpu = 0; cpu < seconds; ) {
      total += sim.run(seed++).execution.actions.length;
      runs++;
      cpu = cpuSince(start);
      if (cpu >= seconds) return { steps: total, runs, cpu };
    }
    throw new Error("unreachable");
  };
  round(0.5);
  return [round(1), round(1), round(1)].reduce((best, r) => (r.steps / r.cpu > best.steps / best.cpu ? r : best));
}

/**
 * The model's own share of a step: the actions of 200 runs taken again through the model alone —
 * its enabled actions, the step, and the properties judged online — with no scheduler, timetable
 * or faults; steps per CPU second, best of three rounds. The actions are fresh copies each round,
 * as a run makes them, so that no step is answered from what the model remembered of the last.
 */
function modelAlone<S, A extends Action>(instance: ModelInstance<S, A>, plan: FaultPlan, steps: number): number {
  const { automaton, properties } = instance;
  const sim = new Simulation({ automaton, properties, plan, steps });
  const runs = Array.from({ length: 200 }, (_, seed) => sim.run(seed).execution);
  const total = runs.reduce((n, r) => n + r.actions.length, 0);
  const checker = new PropertyChecker(automaton, properties);
  const enabled: A[] = [];
  const round = (): number => {
    const fresh = runs.map((r) => r.actions.map((a) => ({ ...a })));
    const start = process.cpuUsage();
    runs.forEach((run, i) => {
      let s: S = run.states[0]!;
      checker.begin(s);
      fresh[i]!.forEach((a, k) => {
        enabled.length = 0;
        automaton.enabled(s, enabled);
        const t = automaton.step(s, a);
        checker.step(s, a, t, k + 1);
        s = t;
      });
    });
    return total / cpuSince(start);
  };
  round();
  return Math.max(round(), round(), round());
}

function printSpeed(label: string, instance: ModelInstance, plan: FaultPlan, steps: number): void {
  for (const scheduler of schedulers) {
    const s = speed(instance, scheduler, plan, steps);
    console.log(`  ${label.padEnd(34)} ${scheduler.name.padEnd(7)} ${fmt(s.steps / s.runs).padStart(9)} ${fmt(s.steps / s.cpu).padStart(12)} ${(s.runs / s.cpu).toFixed(1).padStart(10)}`);
  }
}

// ---- worker threads ----

const troupe = fileURLToPath(new URL("../bin/troupe.js", import.meta.url));

/** `troupe sim … --json` as a user runs it: steps per wall second of the whole process, start-up included. */
function simWall(args: readonly string[]): { steps: number; runs: number; wall: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, [troupe, "sim", ...args, "--json"], { encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`troupe sim ${args.join(" ")} failed: ${child.stderr}${child.stdout}`);
  const { steps, runs } = JSON.parse(child.stdout) as { steps: number; runs: number };
  return { steps, runs, wall };
}

function printWorkers(): void {
  const cores = availableParallelism();
  const fifoFaults = Object.entries({ processes: 4, ...FIFO_FAULTS, service: true }).flatMap(([k, v]) => ["--param", `${k}=${v}`]);
  const rows: [string, string[]][] = [
    ["fifo stack, 4 processes, faults, service online", ["fifo", ...fifoFaults, "--runs", "4000", "--seed", "1"]],
    ["two-phase, 8 RMs (1000-step runs)", ["two-phase", "--param", "rms=8", "--runs", "20000", "--seed", "1"]],
  ];
  console.log(`  troupe sim --workers: steps per second of wall time, start-up included (${cores} cores here)\n`);
  console.log(`  ${"model".padEnd(48)} ${"workers".padStart(7)} ${"runs".padStart(7)} ${"steps".padStart(11)} ${"wall s".padStart(8)} ${"steps/s".padStart(10)}`);
  for (const [label, args] of rows) {
    for (const workers of [...new Set([1, cores])]) {
      const r = simWall([...args, "--workers", String(workers)]);
      console.log(`  ${label.padEnd(48)} ${String(workers).padStart(7)} ${fmt(r.runs).padStart(7)} ${fmt(r.steps).padStart(11)} ${r.wall.toFixed(2).padStart(8)} ${fmt(r.steps / r.wall).padStart(10)}`);
    }
  }
  console.log();
}

// ---- seeded bugs ----

interface Bug {
  readonly label: string;
  readonly instance: ModelInstance;
  readonly plan?: FaultPlan;
  /** Batches of at most this many runs (default 3,000); five batches (default). */
  readonly maxRuns?: number;
  readonly batches?: number;
}

/** Runs needed by each batch (capped: Infinity when it found nothing), and the shrunk and original lengths. */
function hunt(bug: Bug, scheduler: Scheduler): { runs: number[]; shrunk: number[]; chosen: number[]; original: number[] } {
  const out = { runs: [] as number[], shrunk: [] as number[], chosen: [] as number[], original: [] as number[] };
  for (let b = 0; b < (bug.batches ?? 5); b++) {
    const { automaton, properties } = bug.instance;
    const result = simulate({ automaton, properties, scheduler, plan: bug.plan ?? DEFAULT_PLAN, runs: bug.maxRuns ?? 3000, seed: 100_000 * (b + 1) });
    out.runs.push(result.failing ? result.runs : Infinity);
    if (result.shrunk) {
      out.shrunk.push(result.shrunk.shrunkLength);
      out.chosen.push(result.shrunk.chosen);
      out.original.push(result.shrunk.originalLength);
    }
  }
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function printBug(bug: Bug): void {
  const show = (n: number) => (n === Infinity ? `>${fmt(bug.maxRuns ?? 3000)}` : fmt(n));
  const cells = schedulers.map((scheduler) => {
    const h = hunt(bug, scheduler);
    const found = h.runs.filter((r) => r !== Infinity).length;
    const runs = `${show(median(h.runs))} (${show(Math.min(...h.runs))}–${show(Math.max(...h.runs))})`;
    const settled = h.chosen.length && median(h.chosen) !== median(h.shrunk) ? ` (${median(h.chosen)} chosen)` : "";
    const lengths = h.shrunk.length ? `${median(h.shrunk)}/${median(h.original)}${settled}` : "–";
    return `${runs.padStart(20)} ${`${found}/${h.runs.length}`.padStart(5)} ${lengths.padStart(18)}`;
  });
  console.log(`  ${bug.label.padEnd(46)}${cells.join("  ")}`);
}

// ---- main ----

const fifo = await fifoModel();
console.log("Troupe simulator benchmark (one thread; per second of CPU time)\n");

if (only === "all" || only === "workers") printWorkers();

if (only === "all" || only === "speed") {
  console.log(`  ${"model".padEnd(34)} ${"sched.".padEnd(7)} ${"steps/run".padStart(9)} ${"steps/s".padStart(12)} ${"runs/s".padStart(10)}`);
  printSpeed("two-phase, 8 RMs (1000-step runs)", instantiate(twoPhase, { rms: 8 }), DEFAULT_PLAN, 1000);
  printSpeed("two-phase, 8 RMs (100-step runs)", instantiate(twoPhase, { rms: 8 }), DEFAULT_PLAN, 100);
  printSpeed("alternating-bit, default faults", instantiate(alternatingBit), DEFAULT_PLAN, 1000);
  if (fifo) {
    printSpeed("fifo stack, 4 processes, faults", withProcesses(fifo, 4, FIFO_FAULTS), DEFAULT_PLAN, 1000);
    printSpeed("  the same, fifo service online", withProcesses(fifo, 4, { ...FIFO_FAULTS, service: true }), DEFAULT_PLAN, 1000);
    // What bounds the simulator: the model's own enabled actions, steps and properties, on the same kind of runs.
    for (const [label, service] of [["the model alone, no service", false], ["the model alone, service online", true]] as const) {
      const alone = modelAlone(withProcesses(fifo, 4, { ...FIFO_FAULTS, service }), DEFAULT_PLAN, 1000);
      console.log(`  ${`  ${label}`.padEnd(34)} ${"–".padEnd(7)} ${"".padStart(9)} ${fmt(alone).padStart(12)}`);
    }
  }
  else console.log("  fifo stack: not measured — the layers' fifo model (layers/models/fifo.ts) is not on this branch yet");
  console.log();
}

if (only === "all" || only === "bugs") {
  console.log("  runs until a property breaks: median (min–max) over batches with different seeds; batches that found it;");
  console.log("  shrunk length / length as found (medians; for a failure at quiescence, how many steps were chosen rather than settling)\n");
  console.log(`  ${"seeded bug".padEnd(46)}${schedulers.map((s) => `${s.name.padStart(20)} ${"found".padStart(5)} ${"shrunk".padStart(18)}`).join("  ")}`);
  const bugs: Bug[] = [
    { label: "two-phase commitOnAnyPrepared (3 RMs)", instance: instantiate(twoPhase, { rms: 3, commitOnAnyPrepared: true }) },
    { label: "two-phase commitOnAnyPrepared (8 RMs)", instance: instantiate(twoPhase, { rms: 8, commitOnAnyPrepared: true }) },
    { label: "alternating-bit receiverIgnoresBit", instance: instantiate(alternatingBit, { receiverIgnoresBit: true }) },
    { label: "ordering-race (8 processes × 8 steps)", instance: instantiate(orderingRace), plan: NO_FAULTS },
  ];
  if (fifo) {
    for (const bug of FIFO_MUTANTS) bugs.push({ label: `fifo ${bug} (4 processes)`, instance: withProcesses(fifo, 4, { ...FIFO_HUNT, bug }), maxRuns: 300, batches: 3 });
  }
  for (const bug of bugs) printBug(bug);
  if (!fifo) console.log("  fifo stack mutants: not measured — the layers' fifo model is not on this branch yet");
}
