// troupe check <model>: explore every reachable state and report a verdict, or the shortest
// execution that breaks a property (printed step by step and written as ITF).

import type { Command } from "commander";
import { check } from "../../checker/check.ts";
import type { CheckResult, Progress } from "../../checker/result.ts";
import { toItf, writeItfFile, type Action, type Execution, type Lasso, type ModelInstance } from "../../ioa/index.ts";
import { loadInstance } from "../load-model.ts";
import { describeInstance, formatExecution, style } from "../output.ts";
import { collect, integerOption, sizeOption } from "../options.ts";

interface CheckCommandOptions {
  param: string[];
  dfs?: boolean;
  maxDepth?: number;
  maxStates?: number;
  timeLimit?: number;
  memory?: number;
  symmetry?: boolean;
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
    .option("--deadlock", "report states where no action is enabled")
    .option("--property <name>", "check only this property (repeatable)", collect, [])
    .option("--out <file>", "write the counterexample as an ITF trace")
    .option("--json", "print one JSON object with the verdict and figures")
    .action(async (model: string, options: CheckCommandOptions) => {
      const instance = await loadInstance(model, options.param);
      const aborter = new AbortController();
      const onInterrupt = () => aborter.abort();
      process.once("SIGINT", onInterrupt);
      const progress = progressPrinter(!options.json);
      if (!options.json) console.log(`${describeInstance(instance)}\n${planLine(instance, options)}\n`);
      const result = await check(instance, {
        dfs: options.dfs,
        maxDepth: options.maxDepth,
        maxStates: options.maxStates,
        timeLimit: options.timeLimit,
        memoryLimit: options.memory,
        symmetry: options.symmetry,
        deadlock: options.deadlock,
        only: options.property.length > 0 ? options.property : undefined,
        signal: aborter.signal,
        onProgress: progress.update,
      });
      process.off("SIGINT", onInterrupt);
      progress.clear();
      const written = options.out && result.violation?.counterexample ? writeCounterexample(options.out, instance, result, model) : undefined;
      console.log(options.json ? JSON.stringify(jsonReport(result)) : humanReport(result, written));
      process.exitCode = result.verdict === "violated" ? 1 : result.verdict === "incomplete" ? 3 : 0;
    });
}

function planLine(instance: ModelInstance, options: CheckCommandOptions): string {
  const names = options.property.length > 0 ? options.property : Object.keys(instance.properties);
  const how = [options.dfs ? "depth-first" : "breadth-first", options.symmetry ? "with symmetry reduction" : undefined].filter(Boolean).join(" ");
  const what = names.length === 0 ? "no properties (counting states)" : `${names.length === 1 ? "property" : "properties"} ${names.join(", ")}`;
  return `checking ${what}${options.deadlock ? " and deadlocks" : ""} by ${how} search`;
}

const number = (n: number) => Math.round(n).toLocaleString("en-US");

function progressLine(p: Progress): string {
  return `${number(p.distinctStates)} distinct · ${number(p.generatedStates)} generated · ${number(p.statesPerSecond)} states/s · queue ${number(p.queue)} · depth ${p.depth} · ${p.seconds.toFixed(0)} s`;
}

/** A live line on a TTY; otherwise a plain line every ten seconds. Always on stderr. */
function progressPrinter(enabled: boolean) {
  const tty = process.stderr.isTTY;
  let lastPlain = 0;
  let shown = false;
  return {
    update: (p: Progress) => {
      if (!enabled) return;
      if (tty) {
        process.stderr.write(`\r\x1b[2K  ${style("dim", progressLine(p))}`);
        shown = true;
      } else if (p.seconds - lastPlain >= 10) {
        lastPlain = p.seconds;
        process.stderr.write(`  ${progressLine(p)}\n`);
      }
    },
    clear: () => {
      if (shown) process.stderr.write("\r\x1b[2K");
    },
  };
}

const STOPPED: Record<string, string> = {
  "max-states": "the search stopped at the --max-states bound",
  "max-depth": "the search stopped at the --max-depth bound",
  "time-limit": "the search stopped at the --time-limit",
  memory: "the search stopped at the --memory bound",
  interrupted: "the search was interrupted",
};

function humanReport<S, A extends Action>(r: CheckResult<S, A>, written: string | undefined): string {
  const lines: string[] = [];
  const figures = `${number(r.generatedStates)} states generated, max depth ${r.maxDepth}, ${r.seconds.toFixed(2)} s (${number(r.distinctStates / Math.max(r.seconds, 1e-3))} distinct states/s), peak memory ${number(r.peakMemoryBytes / 2 ** 20)} MB (${bytesPerState(r)} bytes per stored state)`;
  if (r.violation) {
    const v = r.violation;
    const what = v.kind === "deadlock" ? "deadlock" : `${kindName(v.kind)} ${v.property} is violated`;
    lines.push(style("red", `✗ ${what}: ${v.message}`));
    if (v.counterexample) {
      lines.push(`  ${r.stopped === undefined && v.kind !== "sometimes" && !("loop" in v.counterexample) ? "shortest " : ""}counterexample: ${v.counterexample.actions.length} steps, found after ${number(r.distinctStates)} distinct states`);
      lines.push(`  ${figures}`, "", formatExecution(v.counterexample, { notes: lassoNotes(v.counterexample) }));
      if ("loop" in v.counterexample) lines.push(lassoEnd(v.counterexample));
      if (written) lines.push("", `wrote the counterexample to ${written}`);
    } else lines.push(`  ${number(r.distinctStates)} distinct states, ${figures}`);
  } else {
    const holds = r.properties.length === 0 ? "explored" : `${r.properties.join(", ")} ${r.properties.length === 1 ? "holds" : "hold"} over`;
    if (r.verdict === "incomplete") lines.push(style("yellow", `… incomplete: ${STOPPED[r.stopped!]}; ${r.properties.length === 0 ? "explored" : `${r.properties.join(", ")} ${r.properties.length === 1 ? "holds" : "hold"} over`} the ${number(r.distinctStates)} distinct states covered`));
    else lines.push(style("green", `✓ ${holds} ${number(r.distinctStates)} distinct states${r.stopped ? ` (${STOPPED[r.stopped]})` : ""}`));
    lines.push(`  ${figures}`);
  }
  for (const l of r.liveness) lines.push(`  liveness ${l.property}: ${l.verdict} under ${l.fairness} fairness${l.verdict === "vacuous" || l.verdict === "not judged" ? ` (${l.reason})` : ""}`);
  for (const g of r.goals) {
    lines.push(g.witness ? `  goal ${g.property} reached in ${g.witness.actions.length} steps` : `  goal ${g.property} not reached`);
  }
  if (r.stopped && r.violation) lines.push(`  (${STOPPED[r.stopped]})`);
  return lines.join("\n");
}

function kindName(kind: string): string {
  return (
    { always: "invariant", sometimes: "goal", trace: "trace property", quiescent: "property at quiescence", transition: "transition property", "leads-to": "liveness property", "eventually-always": "liveness property" }[
      kind
    ] ?? kind
  );
}

/** Marks where a lasso's cycle begins. */
function lassoNotes<S, A extends Action>(execution: Execution<S, A> | Lasso<S, A>): string[] | undefined {
  if (!("loop" in execution)) return undefined;
  return execution.actions.map((_, i) => (i === execution.loop ? "⟲ the cycle starts here" : ""));
}

function lassoEnd<S, A extends Action>(lasso: Lasso<S, A>): string {
  return lasso.loop === lasso.actions.length
    ? `  ⟲ nothing is enabled after step ${lasso.loop}: the execution ends here, the obligation pending`
    : `  ⟲ back to the state after step ${lasso.loop}: steps ${lasso.loop + 1}–${lasso.actions.length} repeat forever`;
}

function jsonReport<S, A extends Action>(r: CheckResult<S, A>) {
  return {
    verdict: r.verdict,
    ...(r.violation && { property: r.violation.property, kind: r.violation.kind, message: r.violation.message }),
    distinctStates: r.distinctStates,
    generatedStates: r.generatedStates,
    maxDepth: r.maxDepth,
    seconds: Number(r.seconds.toFixed(3)),
    ...(r.violation?.counterexample && { counterexampleLength: r.violation.counterexample.actions.length }),
    ...(r.stopped && { stopped: r.stopped }),
    liveness: r.liveness.map((l) => ({ property: l.property, verdict: l.verdict, fairness: l.fairness, ...(l.counterexample && { loop: l.counterexample.loop, lassoLength: l.counterexample.actions.length }) })),
    goals: r.goals.map((g) => ({ property: g.property, reached: g.witness !== undefined, ...(g.witness && { witnessLength: g.witness.actions.length }) })),
    peakMemoryMB: Math.round(r.peakMemoryBytes / 2 ** 20),
    storeBytes: r.storeBytes,
    bytesPerState: bytesPerState(r),
    cpuSeconds: Number(cpuSeconds().toFixed(3)),
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
