// troupe tour: Troupe's main job, the one `npm start` runs. It takes the default stack — the
// reliable FIFO stack of layers/ — through everything Troupe does to a protocol: an exhaustive
// check against the fifo service's specification, the planted bugs the check must find, a batch of
// fault-injected simulations whose traces are validated as fifo traces, and walks of the example
// models whose ITF traces must validate and replay. Every section says what it found; the exit code
// is 1 if anything did not behave.

import type { Command } from "commander";
import { checkItfSchema, fromItf, instantiate, replayExecution, toItf, walk, type Action, type Invariant, type ModelInstance } from "../../ioa/index.ts";
import { check } from "../../checker/check.ts";
import { counted, formatCoverage, parseFaultItems, simulate } from "../../simulator/index.ts";
import { isGroupAction } from "../../specs/group.ts";
import { services } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";
import { loadInstance, loadModel } from "../load-model.ts";
import { integerOption } from "../options.ts";
import { style } from "../output.ts";

const EXAMPLES = ["fifo-channel", "lossy-channel", "alternating-bit", "two-phase"];
const BUGS = ["forgets-to-retransmit", "delivers-out-of-order", "delivers-duplicates", "stable-too-early"];
/** The smallest fifo configuration in which each planted bug shows. */
const BUG_PARAMS: Record<string, string[]> = {
  "forgets-to-retransmit": ["casts=1", "drops=1", "duplicates=0"],
  "stable-too-early": ["casts=1", "drops=1", "duplicates=0"],
  "delivers-out-of-order": ["casts=2", "drops=0", "duplicates=0"],
  "delivers-duplicates": ["casts=1", "drops=0", "duplicates=1"],
};
const SIMULATED = ["processes=4", "casts=3", "sends=1", "drops=20", "duplicates=20", "partitions=2", "crashes=2", "recoveries=2", "maxLength=1", "service=true"];

interface TourOptions {
  runs: number;
  walks: number;
}

/** What a section found: how many things misbehaved. */
type Problems = number;

export function registerTour(program: Command): void {
  program
    .command("tour")
    .description("check, simulate and validate the default stack (fifo), walk the example models, and report")
    .option("--runs <n>", "simulated runs of the fifo stack", integerOption("--runs", 1), 30)
    .option("--walks <n>", "random walks per example model", integerOption("--walks", 1), 50)
    .action(async (options: TourOptions) => {
      console.log(style("bold", "Troupe tour") + style("dim", ": the reliable FIFO stack (top, local, frag, stable, pt2pt, mnak, bottom), checked, broken and simulated; then the example models\n"));
      const sections = [checkStack, findBugs, simulateStack, () => walkExamples(options.walks)];
      let problems = 0;
      for (const section of sections) problems += await section(options);
      console.log(problems === 0 ? style("green", "\neverything behaved") : style("red", `\n${counted(problems, "problem")} found`));
      if (problems > 0) process.exitCode = 1;
    });
}

function heading(title: string, what: string): void {
  console.log(`${style("bold", title)}  ${style("dim", what)}`);
}

const number = (n: number) => Math.round(n).toLocaleString("en-US");

async function checkStack(): Promise<Problems> {
  const params = ["processes=2", "casts=2", "drops=1", "duplicates=1", "service=true"];
  heading("1. check", `every state of fifo with ${params.slice(0, 4).join(" ")}, judged by the specs' fifo service`);
  const result = await check(await loadInstance("fifo", params));
  const figures = `${number(result.generatedStates)} states generated, max depth ${result.maxDepth}, ${result.seconds.toFixed(2)} s`;
  if (result.violation) {
    console.log(style("red", `   ✗ ${result.violation.property} is violated: ${result.violation.message}`));
    return 1;
  }
  console.log(style("green", `   ✓ ${result.properties.join(", ")} hold over ${number(result.distinctStates)} distinct states`));
  console.log(style("dim", `     ${figures}\n`));
  return 0;
}

async function findBugs(): Promise<Problems> {
  heading("2. planted bugs", "each must be found, with a shortest counterexample");
  let missed = 0;
  for (const bug of BUGS) {
    const result = await check(await loadInstance("fifo", [...BUG_PARAMS[bug]!, `bug=${bug}`, "service=true"]));
    const v = result.violation;
    if (v?.counterexample) console.log(`   ${style("green", "✓")} ${bug.padEnd(22)} ${v.property}: ${v.message} ${style("dim", `(${v.counterexample.actions.length} steps)`)}`);
    else {
      missed++;
      console.log(style("red", `   ✗ ${bug.padEnd(22)} not found over ${number(result.distinctStates)} states`));
    }
  }
  console.log("");
  return missed;
}

async function simulateStack(options: TourOptions): Promise<Problems> {
  heading("3. simulate", `${counted(options.runs, "run")} of fifo with ${SIMULATED.join(" ")}, faults at random; the fifo service's checker and properties judged at every step`);
  const instance = await loadInstance("fifo", SIMULATED);
  const plan = parseFaultItems(["drop=0.05,duplicate=0.05,other=0.005"]);
  const result = simulate({ ...instance, plan, steps: 2000, runs: options.runs, seed: 1 });
  if (result.failing) {
    const failure = result.shrunk?.run.failure ?? result.failing.failure!;
    console.log(style("red", `   ✗ ${failure.property} broke in run seed ${result.failing.seed}: ${failure.message} (troupe sim fifo reproduces it)`));
    return 1;
  }
  console.log(style("green", `   ✓ no property broke in ${counted(result.runs, "run")}, ${number(result.steps)} steps, ${result.seconds.toFixed(2)} s`));
  for (const line of formatCoverage(result.coverage)) console.log(style("dim", `     ${line}`));
  const trace = result.first.execution.actions.filter((a: Action) => isGroupAction(a));
  const broken = validateTrace(services.fifo, trace).filter((v) => v.verdict === "violated");
  if (broken.length > 0) {
    console.log(style("red", `   ✗ the first run's recorded trace does not validate: ${broken.map((v) => v.property).join(", ")}\n`));
    return 1;
  }
  console.log(style("green", `   ✓ the first run's trace (${counted(trace.length, "group action")}), validated after the fact as \`troupe validate --spec fifo\` does: a fifo trace\n`));
  return 0;
}

async function walkExamples(walks: number): Promise<Problems> {
  heading("4. example models", `${counted(walks, "random walk")} each, invariants checked at every step; each trace written as ITF, validated against the schema, read back and replayed`);
  let problems = 0;
  for (const name of EXAMPLES) problems += walkModel(instantiate(await loadModel(name)), walks);
  return problems;
}

function walkModel(instance: ModelInstance, walks: number): Problems {
  const invariants = Object.entries(instance.properties).filter(([, p]) => p.kind === "always") as [string, Invariant<unknown>][];
  let steps = 0;
  let problems = 0;
  const started = performance.now();
  for (let seed = 0; seed < walks; seed++) {
    const run = walk(instance.automaton, { steps: 50, seed });
    steps += run.actions.length;
    const broken = invariants.find(([, inv]) => !run.states.every((s) => inv.holds(s)));
    const json = JSON.parse(JSON.stringify(toItf(instance.automaton, run)));
    checkItfSchema(json);
    const replayed = replayExecution(instance.automaton, fromItf(instance.automaton, json));
    if (broken || !replayed.ok) {
      problems++;
      console.log(style("red", `   ✗ ${instance.model.name} seed ${seed}: ${broken ? `invariant ${broken[0]} fails` : "its trace does not replay"}`));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const names = invariants.map(([n]) => n).join(", ") || "none";
  const verdict = problems ? style("red", `${problems} failures`) : style("green", "hold");
  console.log(`   ${instance.model.name.padEnd(16)} ${number(steps)} steps in ${seconds.toFixed(2)} s; invariants ${names}: ${verdict}; traces validate and replay`);
  return problems;
}
