// troupe sim <model>: many random runs with faults and virtual time, properties checked online; the
// first failing run is shrunk, printed, written as ITF and drawn in an HTML report.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { Random, writeItfFile, type Action, type ModelInstance } from "../../ioa/index.ts";
import {
  checkFaultNames,
  counted,
  DEFAULT_RUNS,
  DEFAULT_STEPS,
  describeShrunk,
  formatCoverage,
  formatPlan,
  htmlReport,
  parseFaultItems,
  runToItf,
  simulateAcross,
  simulateUntil,
  type BatchResult,
  type BatchOptions,
  type Progress,
  type Run,
  type Scheduler,
} from "../../simulator/index.ts";
import { exitStatus, type Verdict } from "../exit-status.ts";
import { loadSimulatedInstance } from "../load-model.ts";
import { collect, integerOption } from "../options.ts";
import { loadScheduler } from "../scheduler-option.ts";
import { startSimWorkers, workersOption } from "../sim-workers.ts";
import { describeInstance, formatExecution, style } from "../output.ts";
import { everyTenth, progressView } from "../progress.ts";

interface SimOptions {
  param: string[];
  runs: number;
  steps: number;
  seed?: number;
  scheduler: string;
  faults: string[];
  out?: string;
  json?: boolean;
  shrink: boolean;
  workers: number;
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("simulate a model: many random runs with faults and virtual time; shrink and report the first run that breaks a property")
    .argument("<model>", "a model file (specs/examples/two-phase.ts) or a built-in model name (two-phase)")
    .option("-p, --param <key=value>", "set a model parameter (repeatable)", collect, [])
    .option("--runs <n>", "how many runs at most", integerOption("--runs", 1), DEFAULT_RUNS)
    .option("--steps <n>", "actions per run at most", integerOption("--steps", 1), DEFAULT_STEPS)
    .option("--seed <n>", "the batch's seed; run i has seed + i (default: a fresh one, printed)", integerOption("--seed", 0))
    .option("--scheduler <name>", "random, pct, pct:<depth>, swarm, or a module whose default export is a scheduler", "random")
    .option(
      "--faults <items>",
      "fault plan items, comma-separated (repeatable): none, drop=0.1, duplicate=0.05, reorder=0.3, crash=0.01, other=0.01, latency=uniform(1,20), timer=10, stop=2000, crash@100=2, partition@200..500=[[0,1],[2,3]], or a plan file.json",
      collect,
      [],
    )
    .option("--out <dir>", "write report.html, and for a failure counterexample.itf.json (shrunk) and original.itf.json")
    .option("--json", "print only { verdict, runs, steps, seconds, property?, seed?, shrunkLength?, originalLength? }")
    .option("--no-shrink", "report the failing run as found")
    .option("--workers <n>", "threads making runs: a number, or auto (one per core); the result is the same as with one", workersOption, 1)
    .action(async (model: string, options: SimOptions) => {
      const instance = await loadSimulatedInstance(model, options.param);
      const scheduler = await loadScheduler(options.scheduler);
      const plan = parseFaultItems(options.faults);
      checkFaultNames(plan, instance.automaton);
      const seed = options.seed ?? Random.freshSeed();
      if (!options.json) {
        console.log(describeInstance(instance));
        const workers = options.workers > 1 ? `, ${options.workers} workers` : "";
        console.log(style("dim", `${counted(options.runs, "run")} of at most ${counted(options.steps, "step")}, scheduler ${scheduler.name}, seed ${seed}${workers}`));
        console.log(style("dim", `faults ${formatPlan(plan)}`));
      }
      const progress = simProgress(!options.json);
      const aborter = new AbortController();
      const interrupt = () => aborter.abort();
      process.once("SIGINT", interrupt);
      const batch = { ...instance, plan, scheduler, steps: options.steps, runs: options.runs, seed, shrink: options.shrink, onProgress: progress.update };
      const result = await simulateWith(options.workers, batch, { model, ...options, seed }, aborter.signal).finally(() => process.off("SIGINT", interrupt));
      progress.stop();
      const verdict: Verdict = result.verdict === "holds" && result.stopped ? "incomplete" : result.verdict;
      const repeat = repeatCommand(model, options, scheduler, result);
      const written = options.out ? writeOutputs(options.out, model, instance, result, repeat) : [];
      if (options.json) console.log(JSON.stringify(jsonSummary(result, verdict)));
      else printResult(result, repeat, written);
      process.exitCode = exitStatus(verdict);
    });
}

/** The batch, made here or by `workers` worker threads (which load the model as this command did). */
async function simulateWith<S, A extends Action>(
  workers: number,
  batch: BatchOptions<S, A>,
  command: Pick<SimOptions, "param" | "scheduler" | "faults" | "steps"> & { model: string; seed: number },
  signal: AbortSignal,
): Promise<BatchResult<S, A>> {
  if (workers === 1) return simulateUntil(batch, signal);
  const { model, param, scheduler, faults, steps, seed } = command;
  const pool = startSimWorkers(Math.min(workers, batch.runs ?? DEFAULT_RUNS), { role: "sim", model, params: param, scheduler, faults, steps, seed });
  return simulateAcross(batch, pool.runners, signal).finally(pool.close);
}

/** A bar with an ETA on a terminal, a plain line every tenth of the batch otherwise; both on stderr. */
function simProgress(enabled: boolean) {
  const view = progressView(
    {
      format: "{runs}/{total} runs · {steps} steps",
      plain: (f) => `… ${f.runs}/${f.total} runs, ${f.steps} steps`,
      plainDue: everyTenth,
    },
    enabled,
  );
  let shrinking = false;
  return {
    update(p: Progress) {
      const fields = { runs: p.runs.toLocaleString("en-US"), total: p.total.toLocaleString("en-US"), steps: p.steps.toLocaleString("en-US") };
      if (p.shrinking && !shrinking) view.note(`run ${p.runs} failed; shrinking it…`);
      shrinking ||= p.shrinking === true;
      if (!shrinking) view.update(p.runs, p.total, fields);
    },
    stop: () => view.stop(),
  };
}

/** The command that makes the failing run again on its own: a batch of one, seeded with the run's seed. */
function repeatCommand<S, A extends Action>(model: string, options: SimOptions, scheduler: Scheduler, result: BatchResult<S, A>): string | undefined {
  if (!result.failing) return undefined;
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const params = options.param.flatMap((p) => ["--param", quote(p)]);
  const faults = ["--faults", quote(formatPlan(result.simulation.plan))];
  return ["troupe sim", quote(model), ...params, "--scheduler", quote(scheduler.name), ...faults, "--steps", String(options.steps), "--runs 1 --seed", String(result.failing.seed)].join(" ");
}

/** Writes the report and traces into `dir`; returns the files written. */
function writeOutputs<S, A extends Action>(dir: string, source: string, instance: ModelInstance, result: BatchResult<S, A>, command: string | undefined): string[] {
  mkdirSync(dir, { recursive: true });
  const meta = { source, model: instance.model.name, params: instance.params };
  const written: string[] = [];
  if (result.failing) {
    const shown = result.shrunk?.run ?? result.failing;
    writeItfFile(join(dir, "counterexample.itf.json"), runToItf(result.simulation, shown, { ...meta, originalLength: result.failing.execution.actions.length }));
    writeItfFile(join(dir, "original.itf.json"), runToItf(result.simulation, result.failing, meta));
    written.push("counterexample.itf.json", "original.itf.json");
  }
  writeFileSync(join(dir, "report.html"), htmlReport(result, { model: instance.model.name, params: instance.params, ...(command && { command }) }));
  written.push("report.html");
  return written.map((f) => join(dir, f));
}

function jsonSummary<S, A extends Action>(result: BatchResult<S, A>, verdict: Verdict) {
  const stopped = result.stopped && { stopped: result.stopped, incomplete: `interrupted after ${result.runs} of the runs asked for` };
  const suspects = result.suspects.length > 0 && { suspects: result.suspects.map(({ seed, suspect }) => ({ seed, property: suspect.property, pendingFor: suspect.pendingFor, message: suspect.message })) };
  const base = { verdict, runs: result.runs, steps: result.steps, seconds: Number(result.seconds.toFixed(3)), ...stopped, ...suspects };
  if (!result.failing) return base;
  const failure = result.shrunk?.run.failure ?? result.failing.failure!;
  const lengths = result.shrunk ? { shrunkLength: result.shrunk.shrunkLength, originalLength: result.shrunk.originalLength } : { originalLength: result.failing.execution.actions.length };
  return { ...base, property: failure.property, seed: result.failing.seed, ...lengths };
}

function printResult<S, A extends Action>(result: BatchResult<S, A>, repeat: string | undefined, written: readonly string[]): void {
  const numbers = `${counted(result.runs, "run")}, ${counted(result.steps, "step")}, ${result.seconds.toFixed(2)} s`;
  if (!result.failing && result.stopped) {
    console.log(`\n${style("yellow", "? incomplete: interrupted")}; no property broke in ${numbers}`);
  } else if (!result.failing) {
    console.log(`\n${style("green", "✓ no property broke")} in ${numbers}`);
  } else {
    const failure = result.failing.failure!;
    console.log(`\n${style("red", `✗ ${failure.property} broke`)} in run ${result.runs} (seed ${result.failing.seed}) after ${result.failing.execution.actions.length} steps (${numbers})`);
    const shown = result.shrunk?.run ?? result.failing;
    console.log(result.shrunk ? `shrunk to ${describeShrunk(result.shrunk)} (${counted(result.shrunk.replays, "replay")}):\n` : "the run as found:\n");
    console.log(formatExecution(shown.execution, { notes: notes(shown) }));
    console.log(`\n${style("red", `${shown.failure?.property ?? failure.property}: ${shown.failure?.message ?? failure.message}`)}`);
    console.log(style("dim", `repeat the run: ${repeat}`));
  }
  printSuspects(result);
  console.log(`\n${style("bold", "coverage")}`);
  for (const line of formatCoverage(result.coverage)) console.log(`  ${line}`);
  console.log(style("dim", written.length ? `\nwrote ${written.join(", ")}` : "\nadd --out <dir> for the ITF traces and an HTML report with the sequence chart"));
}

/** Liveness obligations some runs left pending a long time: worth a look or an exhaustive check, not failures. */
function printSuspects<S, A extends Action>(result: BatchResult<S, A>): void {
  if (result.suspects.length === 0) return;
  console.log(`\n${style("yellow", "liveness suspects")} ${style("dim", "(obligations left pending a long virtual time; not proof of a violation: troupe check judges liveness)")}`);
  for (const { seed, suspect } of result.suspects) console.log(`  ${suspect.property}: ${suspect.message} (seed ${seed})`);
}

function notes<S, A extends Action>(run: Run<S, A>): string[] {
  return run.choices.map((c) => `at ${c.time} ms${c.cause === "scheduler" ? "" : `, ${c.cause === "rate" ? "fault by rate" : c.cause === "plan" ? "fault plan event" : "settling"}`}`);
}
