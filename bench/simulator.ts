// Simulator benchmark: how fast the simulator runs (simulated steps and runs per second of CPU
// time, one thread), and how many runs each scheduler needs to find each seeded bug, with the
// length of the shrunk counterexample against the run as found.
//
//   npm run bench:simulator                  (everything)
//   npm run bench:simulator -- --speed       (throughput only)
//   npm run bench:simulator -- --bugs        (seeded bugs only)
//
// Prints figures only; nothing here is a test. CPU time rather than wall time, because the
// development machines are shared and stall now and then.

import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { instantiate, isModel, type Action, type Model, type ModelInstance } from "../ioa/index.ts";
import alternatingBit from "../specs/examples/alternating-bit.ts";
import orderingRace from "../specs/examples/ordering-race.ts";
import twoPhase from "../specs/examples/two-phase.ts";
import { DEFAULT_PLAN, NO_FAULTS, Simulation, simulate, type FaultPlan, type Scheduler } from "../simulator/index.ts";
import { pctScheduler, randomScheduler, swarmScheduler } from "../simulator/schedulers/index.ts";

const only = process.argv.includes("--speed") ? "speed" : process.argv.includes("--bugs") ? "bugs" : "all";
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
      const used = process.cpuUsage(start);
      cpu = (used.user + used.system) / 1e6;
      if (cpu >= seconds) return { steps: total, runs, cpu };
    }
    throw new Error("unreachable");
  };
  round(0.5);
  return [round(1), round(1), round(1)].reduce((best, r) => (r.steps / r.cpu > best.steps / best.cpu ? r : best));
}

function printSpeed(label: string, instance: ModelInstance, plan: FaultPlan, steps: number): void {
  for (const scheduler of schedulers) {
    const s = speed(instance, scheduler, plan, steps);
    console.log(`  ${label.padEnd(34)} ${scheduler.name.padEnd(7)} ${fmt(s.steps / s.runs).padStart(9)} ${fmt(s.steps / s.cpu).padStart(12)} ${(s.runs / s.cpu).toFixed(1).padStart(10)}`);
  }
}

// ---- seeded bugs ----

interface Bug {
  readonly label: string;
  readonly instance: ModelInstance;
  readonly plan?: FaultPlan;
  readonly steps?: number;
}

const BATCHES = 5;
const MAX_RUNS = 3000;

/** Runs needed by each of BATCHES batches (capped), and the shrunk and original lengths. */
function hunt(bug: Bug, scheduler: Scheduler): { runs: number[]; shrunk: number[]; original: number[] } {
  const out = { runs: [] as number[], shrunk: [] as number[], original: [] as number[] };
  for (let b = 0; b < BATCHES; b++) {
    const { automaton, properties } = bug.instance;
    const result = simulate({ automaton, properties, scheduler, plan: bug.plan ?? DEFAULT_PLAN, steps: bug.steps ?? 1000, runs: MAX_RUNS, seed: 100_000 * (b + 1) });
    out.runs.push(result.failing ? result.runs : Infinity);
    if (result.shrunk) {
      out.shrunk.push(result.shrunk.shrunkLength);
      out.original.push(result.shrunk.originalLength);
    }
  }
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const show = (n: number) => (n === Infinity ? `>${fmt(MAX_RUNS)}` : fmt(n));

function printBug(bug: Bug): void {
  const cells = schedulers.map((scheduler) => {
    const h = hunt(bug, scheduler);
    const found = h.runs.filter((r) => r !== Infinity).length;
    const runs = `${show(median(h.runs))} (${show(Math.min(...h.runs))}–${show(Math.max(...h.runs))})`;
    const lengths = h.shrunk.length ? `${median(h.shrunk)}/${median(h.original)}` : "–";
    return `${runs.padStart(20)} ${`${found}/${BATCHES}`.padStart(4)} ${lengths.padStart(9)}`;
  });
  console.log(`  ${bug.label.padEnd(46)}${cells.join("  ")}`);
}

// ---- main ----

const fifo = await fifoModel();
console.log("Troupe simulator benchmark (one thread; per second of CPU time)\n");

if (only !== "bugs") {
  console.log(`  ${"model".padEnd(34)} ${"sched.".padEnd(7)} ${"steps/run".padStart(9)} ${"steps/s".padStart(12)} ${"runs/s".padStart(10)}`);
  printSpeed("two-phase, 8 RMs (1000-step runs)", instantiate(twoPhase, { rms: 8 }), DEFAULT_PLAN, 1000);
  printSpeed("two-phase, 8 RMs (100-step runs)", instantiate(twoPhase, { rms: 8 }), DEFAULT_PLAN, 100);
  printSpeed("alternating-bit, default faults", instantiate(alternatingBit), DEFAULT_PLAN, 1000);
  if (fifo) printSpeed("fifo stack, 4 processes, faults", withProcesses(fifo, 4), DEFAULT_PLAN, 1000);
  else console.log("  fifo stack: not measured — the layers' fifo model (layers/models/fifo.ts) is not on this branch yet");
  console.log();
}

if (only !== "speed") {
  console.log(`  runs until a property breaks: median (min–max) of ${BATCHES} batches of at most ${fmt(MAX_RUNS)} runs; batches that found it;`);
  console.log("  shrunk length / length as found (medians)\n");
  console.log(`  ${"seeded bug".padEnd(46)}${schedulers.map((s) => `${s.name.padStart(20)} ${"found".padStart(4)} ${"shrunk".padStart(9)}`).join("  ")}`);
  const bugs: Bug[] = [
    { label: "two-phase commitOnAnyPrepared (3 RMs)", instance: instantiate(twoPhase, { rms: 3, commitOnAnyPrepared: true }) },
    { label: "two-phase commitOnAnyPrepared (8 RMs)", instance: instantiate(twoPhase, { rms: 8, commitOnAnyPrepared: true }) },
    { label: "alternating-bit receiverIgnoresBit", instance: instantiate(alternatingBit, { receiverIgnoresBit: true }) },
    { label: "ordering-race (8 processes × 8 steps)", instance: instantiate(orderingRace), plan: NO_FAULTS },
  ];
  for (const bug of bugs) printBug(bug);
  if (!fifo) console.log("  fifo stack mutants: not measured — the layers' fifo model is not on this branch yet");
}
