// troupe check <model>: explore every reachable state and report a verdict, or the shortest
// execution that breaks a property (printed step by step, written as ITF and drawn in an HTML report).

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { check } from "../../checker/check.ts";
import { planProperties } from "../../checker/properties.ts";
import type { CheckResult, Progress, VacuousProperty } from "../../checker/result.ts";
import { repeatedSteps, toItf, writeItfFile, type Action, type Fairness, type Execution, type Lasso, type ModelInstance } from "../../ioa/index.ts";
import { exitStatus, type Verdict } from "../exit-status.ts";
import { loadInstance } from "../load-model.ts";
import { describeInstance, formatExecution, style } from "../output.ts";
import { collect, fairnessOption, integerOption, sizeOption } from "../options.ts";
import { everySeconds, progressView } from "../progress.ts";

interface CheckCommandOptions {
  param: string[];
  dfs?: boolean;
  maxDepth?: number;
  maxStates?: number;
  timeLimit?: number;
  memory?: number;
  symmetry?: boolean;
  fairness?: Fairness;
  liveness: boolean;
  deadlock?: boolean;
  property: string[];
  out?: string;
  json?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("explore every reachable state of a model and check its properties")
    .argument("<model>", "a model file (specs/examples/two-phase.ts) or a built-in model name (two-phase)")
    .option("-p, --param <key=value>", "set a model parameter (repeatable)", collect, [])
    .option("--dfs", "depth-first search (less memory; counterexamples not shortest)")
    .option("--max-depth <n>", "explore no deeper than n steps", integerOption("--max-depth", 0))
    .option("--max-states <n>", "stop after n distinct states", integerOption("--max-states", 1))
    .option("--time-limit <seconds>", "stop after this many seconds", integerOption("--time-limit", 1))
    .option("--memory <size>", "stop cleanly when the process uses this much memory (2GB, 512MB): an incomplete verdict", sizeOption("--memory"))
    .option("--symmetry", "reduce by symmetry: states that differ by a renaming of process ids count once")
    .option("--fairness <kind>", "judge every liveness property under weak, strong or no fairness (default: the fairness each property names)", fairnessOption)
    .option("--no-liveness", "check safety alone: the liveness properties are not judged (nor the reachable graph recorded)")
    .option("--deadlock", "report states where no action is enabled")
    .option("--property <name>", "check only this property (repeatable)", collect, [])
    .option("--out <dir>", "write report.html (the verdict; the counterexample's sequence chart) and counterexample.itf.json into DIR; a name ending in .json writes only the ITF trace")
    .option("--json", "print one JSON object with the verdict and figures")
    .action(async (model: string, options: CheckCommandOptions) => {
      const instance = await loadInstance(model, options.param);
      const only = options.property.length > 0 ? options.property : undefined;
      planProperties(instance.properties, only); // names an unknown --property before anything is printed
      if (!options.json) console.log(`${describeInstance(instance)}\n${planLine(instance, options)}\n`);
      const result = await interruptible((signal) => {
        const progress = progressView(CHECK_PROGRESS, !options.json);
        const onProgress = (p: Progress) => progress.update(p.distinctStates, options.maxStates, progressFields(p));
        const { dfs, maxDepth, maxStates, timeLimit, symmetry, fairness, liveness, deadlock } = options;
        return check(instance, { dfs, maxDepth, maxStates, timeLimit, memoryLimit: options.memory, symmetry, fairness, liveness, deadlock, only, signal, onProgress }).finally(() => progress.stop());
      });
      const verdict = verdictOf(result);
      const written = options.out ? await writeOutputs(options.out, instance, result, model, verdict) : [];
      console.log(options.json ? JSON.stringify(jsonReport(result, verdict)) : humanReport(result, verdict, written));
      process.exitCode = exitStatus(verdict);
    });
}

/** Runs `job` with a signal that Ctrl-C aborts (the job then ends early and says so). */
async function interruptible<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const aborter = new AbortController();
  const onInterrupt = () => aborter.abort();
  process.once("SIGINT", onInterrupt);
  try {
    return await job(aborter.signal);
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

/** Violated wins; a search cut short, or one that judged none of its properties, is incomplete. */
export function verdictOf<S, A extends Action>(r: CheckResult<S, A>): Verdict {
  if (r.violation) return "violated";
  if (r.stopped !== undefined) return "incomplete";
  const nothingJudged = r.properties.length > 0 && r.vacuous.length === r.properties.length;
  return nothingJudged ? "incomplete" : "holds";
}

function planLine(instance: ModelInstance, options: CheckCommandOptions): string {
  const names = options.property.length > 0 ? options.property : Object.keys(instance.properties);
  const how = [options.dfs ? "depth-first" : "breadth-first", options.symmetry ? "with symmetry reduction" : undefined].filter(Boolean).join(" ");
  const what = names.length === 0 ? "no properties (counting states)" : `${names.length === 1 ? "property" : "properties"} ${names.join(", ")}`;
  const fairness = options.fairness ? `, liveness ${underFairness(options.fairness)}` : "";
  return `checking ${what}${options.deadlock ? " and deadlocks" : ""} by ${how} search${fairness}`;
}

const number = (n: number) => Math.round(n).toLocaleString("en-US");

function progressFields(p: Progress): Record<string, string> {
  return {
    states: number(p.distinctStates),
    generated: number(p.generatedStates),
    rate: number(p.statesPerSecond),
    queue: number(p.queue),
    depth: String(p.depth),
    memory: `${number(process.memoryUsage().rss / 2 ** 20)} MB`,
    seconds: p.seconds.toFixed(0),
  };
}

const CHECK_PROGRESS = {
  format: "{states} distinct · {rate} states/s · queue {queue} · depth {depth} · {memory} · {seconds} s",
  plain: (f: Readonly<Record<string, string>>) => `${f.states} distinct · ${f.generated} generated · ${f.rate} states/s · queue ${f.queue} · depth ${f.depth} · ${f.memory} · ${f.seconds} s`,
  plainDue: everySeconds(10),
};

const STOPPED: Record<string, string> = {
  "max-states": "the search stopped at the --max-states bound",
  "max-depth": "the search stopped at the --max-depth bound",
  "time-limit": "the search stopped at the --time-limit",
  memory: "the search stopped at the --memory bound",
  interrupted: "the search was interrupted",
};

/** Why a verdict is incomplete, in words (for the text report, the JSON and the HTML report). */
function incompleteBecause<S, A extends Action>(r: CheckResult<S, A>): string {
  return r.stopped ? STOPPED[r.stopped]! : vacuity(r.vacuous);
}

/** Why properties were never judged, in words. */
function vacuity(vacuous: readonly VacuousProperty[]): string {
  const names = (reason: VacuousProperty["reason"]) => vacuous.filter((v) => v.reason === reason).map((v) => v.property);
  const [quiescent, untriggered] = [names("no quiescent state"), names("never triggered")];
  const were = (list: readonly string[]) => (list.length === 1 ? "was" : "were");
  return [
    quiescent.length > 0 ? `no quiescent state was reached, so ${quiescent.join(", ")} (judged at quiescence) ${were(quiescent)} never judged` : undefined,
    untriggered.length > 0 ? `no action ever concerned ${untriggered.join(", ")} (a trace property whose trigger never occurred)` : undefined,
  ]
    .filter(Boolean)
    .join("; ");
}

function humanReport<S, A extends Action>(r: CheckResult<S, A>, verdict: Verdict, written: readonly string[]): string {
  const lines: string[] = [];
  const figures = `${number(r.generatedStates)} states generated, max depth ${r.maxDepth}, ${r.seconds.toFixed(2)} s (${number(r.distinctStates / Math.max(r.seconds, 1e-3))} distinct states/s), peak memory ${number(r.peakMemoryBytes / 2 ** 20)} MB (${bytesPerState(r)} bytes per stored state)`;
  if (r.violation) {
    const v = r.violation;
    lines.push(style("red", `✗ ${violationTitle(v.kind, v.property)}: ${v.message}`));
    if (v.counterexample) {
      lines.push(`  ${r.stopped === undefined && v.kind !== "sometimes" && !("loop" in v.counterexample) ? "shortest " : ""}counterexample: ${v.counterexample.actions.length} steps, found after ${number(r.distinctStates)} distinct states`);
      lines.push(`  ${figures}`, "", formatExecution(v.counterexample, { notes: lassoNotes(v.counterexample) }));
      if ("loop" in v.counterexample) lines.push(lassoEnd(v.counterexample));
    } else lines.push(`  ${number(r.distinctStates)} distinct states, ${figures}`);
  } else {
    const judged = judgedProperties(r);
    const holds = judged.length === 0 ? "explored" : `${judged.join(", ")} ${judged.length === 1 ? "holds" : "hold"} over`;
    if (verdict === "incomplete") lines.push(style("yellow", `? incomplete after ${number(r.distinctStates)} distinct states: ${incompleteBecause(r)}; no property was violated`));
    else lines.push(style("green", `✓ ${holds} ${number(r.distinctStates)} distinct states`));
    lines.push(`  ${figures}`);
  }
  for (const l of r.liveness) lines.push(`  liveness ${l.property}: ${l.verdict} ${underFairness(l.fairness)}${l.verdict === "vacuous" || l.verdict === "not judged" ? ` (${l.reason})` : ""}`);
  if (r.symmetryAudited !== undefined) lines.push(`  symmetry: renaming the ids commuted with every step and property in the ${number(r.symmetryAudited)} states audited (a sample)`);
  for (const g of r.goals) lines.push(g.witness ? `  goal ${g.property} reached in ${g.witness.actions.length} steps` : `  goal ${g.property} not reached`);
  if (r.vacuous.length > 0 && verdict !== "incomplete") lines.push(style("yellow", `  warning: vacuous: ${vacuity(r.vacuous)}`));
  if (r.stopped && r.violation) lines.push(`  (${STOPPED[r.stopped]})`);
  if (written.length > 0) lines.push("", `wrote ${written.join(", ")}`);
  return lines.join("\n");
}

/** The properties a verdict speaks for: all but the liveness properties left unjudged (--no-liveness). */
function judgedProperties<S, A extends Action>(r: CheckResult<S, A>): string[] {
  return r.properties.filter((p) => !r.liveness.some((l) => l.property === p && l.verdict === "not judged"));
}

function underFairness(fairness: Fairness): string {
  return fairness === "none" ? "without fairness" : `under ${fairness} fairness`;
}

function violationTitle(kind: string, property: string): string {
  if (kind === "deadlock") return "deadlock";
  const name =
    { always: "invariant", sometimes: "goal", trace: "trace property", quiescent: "property at quiescence", transition: "transition property", "leads-to": "liveness property", "eventually-always": "liveness property" }[kind] ??
    kind;
  return `${name} ${property} is violated`;
}

/** The report's heading for a counterexample: a shortest execution, or a lasso with its cycle. */
function counterexampleHeading<S, A extends Action>(execution: Execution<S, A> | Lasso<S, A>): string {
  if (!("loop" in execution)) return `Shortest counterexample: ${execution.actions.length} steps`;
  const { loop, actions } = execution;
  return loop === actions.length
    ? `Lasso: ${actions.length} steps, then nothing is enabled, the obligation pending`
    : `Lasso: ${actions.length} steps; ${repeatedSteps(loop, actions.length)} forever (back to the state after step ${loop})`;
}

/** Marks where a lasso's cycle begins. */
function lassoNotes<S, A extends Action>(execution: Execution<S, A> | Lasso<S, A>): string[] | undefined {
  if (!("loop" in execution)) return undefined;
  return execution.actions.map((_, i) => (i === execution.loop ? "⟲ the cycle starts here" : ""));
}

function lassoEnd<S, A extends Action>(lasso: Lasso<S, A>): string {
  return lasso.loop === lasso.actions.length
    ? `  ⟲ nothing is enabled after step ${lasso.loop}: the execution ends here, the obligation pending`
    : `  ⟲ back to the state after step ${lasso.loop}: ${repeatedSteps(lasso.loop, lasso.actions.length)} forever`;
}

function jsonReport<S, A extends Action>(r: CheckResult<S, A>, verdict: Verdict) {
  return {
    verdict,
    ...(r.violation && { property: r.violation.property, kind: r.violation.kind, message: r.violation.message }),
    ...(verdict === "incomplete" && { incomplete: incompleteBecause(r) }),
    distinctStates: r.distinctStates,
    generatedStates: r.generatedStates,
    maxDepth: r.maxDepth,
    seconds: Number(r.seconds.toFixed(3)),
    ...(r.violation?.counterexample && { counterexampleLength: r.violation.counterexample.actions.length }),
    ...(r.stopped && { stopped: r.stopped }),
    liveness: r.liveness.map((l) => ({ property: l.property, verdict: l.verdict, fairness: l.fairness, ...(l.counterexample && { loop: l.counterexample.loop, lassoLength: l.counterexample.actions.length }) })),
    quiescentStates: r.quiescentStates,
    ...(r.symmetryAudited !== undefined && { symmetryAudited: r.symmetryAudited }),
    ...(r.vacuous.length > 0 && { vacuous: r.vacuous.map((v) => v.property), vacuity: vacuity(r.vacuous) }),
    goals: r.goals.map((g) => ({ property: g.property, reached: g.witness !== undefined, ...(g.witness && { witnessLength: g.witness.actions.length }) })),
    peakMemoryMB: Math.round(r.peakMemoryBytes / 2 ** 20),
    storeBytes: r.storeBytes,
    bytesPerState: bytesPerState(r),
    cpuSeconds: Number(cpuSeconds().toFixed(3)),
  };
}

/**
 * `--out x.json`: the counterexample's ITF trace alone; `--out DIR`: the HTML report, and the trace if there is one.
 * The report's writer (with the simulator it belongs to) is loaded only here: a check without `--out` starts faster.
 */
async function writeOutputs<S, A extends Action>(out: string, instance: ModelInstance<S, A>, r: CheckResult<S, A>, source: string, verdict: Verdict): Promise<string[]> {
  if (out.endsWith(".json")) return r.violation?.counterexample ? [writeCounterexample(out, instance, r, source)] : [];
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  if (r.violation?.counterexample) written.push(writeCounterexample(join(out, "counterexample.itf.json"), instance, r, source));
  const report = join(out, "report.html");
  const { executionReport } = await import("../../simulator/index.ts");
  writeFileSync(report, executionReport(instance.automaton, instance.properties, htmlContext(instance, r, verdict)));
  written.push(report);
  return written;
}

function htmlContext<S, A extends Action>(instance: ModelInstance<S, A>, r: CheckResult<S, A>, verdict: Verdict) {
  const v = r.violation;
  const summary =
    verdict === "violated"
      ? `✗ ${violationTitle(v!.kind, v!.property)}: ${v!.message}`
      : verdict === "incomplete"
        ? `? incomplete over ${number(r.distinctStates)} distinct states: ${incompleteBecause(r)}`
        : `✓ ${judgedProperties(r).join(", ") || "the model"} ${judgedProperties(r).length === 1 ? "holds" : "hold"} over ${number(r.distinctStates)} distinct states`;
  return {
    title: "Troupe check",
    model: instance.model.name,
    params: instance.params,
    verdict: { ok: verdict !== "violated", text: summary },
    settings: [
      ["states", `${number(r.distinctStates)} distinct, ${number(r.generatedStates)} generated, max depth ${r.maxDepth}`],
      ["time", `${r.seconds.toFixed(2)} s`],
    ] as [string, string][],
    ...(v?.counterexample && { execution: v.counterexample, heading: counterexampleHeading(v.counterexample), failure: { property: v.property, message: v.message } }),
  };
}

/** CPU seconds of this process so far, start-up included (what a shared machine disturbs least). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Peak memory per distinct state stored (the visited set and trail are `storeBytes`; the rest is the frontier's states and the runtime). */
function bytesPerState<S, A extends Action>(r: CheckResult<S, A>): number {
  return Math.round(r.peakMemoryBytes / Math.max(r.distinctStates, 1));
}

function writeCounterexample<S, A extends Action>(file: string, instance: ModelInstance<S, A>, r: CheckResult<S, A>, source: string): string {
  const v = r.violation!;
  writeItfFile(
    file,
    toItf(instance.automaton, v.counterexample!, {
      source,
      status: "violation",
      description: `Counterexample to ${v.property} found by troupe check`,
      troupe: { model: instance.model.name, params: instance.params, property: v.property, reason: v.message },
    }),
  );
  return file;
}
