// troupe tour: Troupe's main job, the one `npm start` runs. It takes the default stack — the
// reliable FIFO stack of layers/ — through everything Troupe does to a protocol: an exhaustive
// check against the fifo service's specification, the planted bugs the check must find, a batch of
// fault-injected simulations judged by the service at every step, a real group of the same stack
// over UDP on loopback whose recorded traces must validate, and walks of the example models whose
// ITF traces must validate and replay. Every section says what it found; the exit code
// is 1 if anything did not behave.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import type { Command } from "commander";
import { checkItfSchema, fromItf, instantiate, range, replayExecution, toItf, walk, type Action, type Invariant, type ModelInstance } from "../../ioa/index.ts";
import { check } from "../../checker/check.ts";
import { counted, formatCoverage, parseFaultItems, simulate } from "../../simulator/index.ts";
import { freePorts, join, type Member } from "../../runtime/index.ts";
import { isGroupAction } from "../../specs/group.ts";
import { mergeRecordings } from "../../specs/trace/merge.ts";
import { readRecording } from "../../specs/trace/read.ts";
import { services } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";
import { loadInstance, loadModel, loadSimulatedInstance } from "../load-model.ts";
import { integerOption } from "../options.ts";
import { style } from "../output.ts";
import { FIFO_MUTANT_NAMES } from "../../layers/models/fifo-mutants.ts";

const EXAMPLES = ["fifo-channel", "lossy-channel", "alternating-bit", "two-phase"];
const BUGS = FIFO_MUTANT_NAMES;
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
      console.log(style("bold", "Troupe tour") + style("dim", ": the reliable FIFO stack (top, local, frag, flow, stable, pt2pt, mnak, bottom), checked, broken, simulated and run; then the vsync and total stacks; then the example models\n"));
      const sections = [checkStack, findBugs, simulateStack, runGroup, viewStacks, () => walkExamples(options.walks)];
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
  const instance = await loadSimulatedInstance("fifo", SIMULATED);
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

const MEMBERS = 3;
const CASTS_EACH = 300;
const RUN_FAULTS = { drop: 0.1, duplicate: 0.05 };

async function runGroup(): Promise<Problems> {
  heading("4. run", `${MEMBERS} members of the same stack over UDP on 127.0.0.1, ${CASTS_EACH} casts each, ${RUN_FAULTS.drop * 100}% of datagrams dropped and ${RUN_FAULTS.duplicate * 100}% duplicated; the recorded traces validated`);
  const dir = mkdtempSync(joinPath(tmpdir(), "troupe-tour-"));
  const members: Member[] = [];
  try {
    const ports = await freePorts(MEMBERS);
    const peers = ports.map((port) => `127.0.0.1:${port}`);
    for (let rank = 0; rank < MEMBERS; rank++) {
      members.push(await join({ group: "tour", peers, rank, timerScale: 0.05, faults: { ...RUN_FAULTS, seed: rank + 1 }, trace: joinPath(dir, `node-${rank}.jsonl`) }));
    }
    const delivered = members.map(() => 0);
    members.forEach((m, rank) => m.on("deliver", () => delivered[rank]!++));
    const started = performance.now();
    for (let i = 0; i < CASTS_EACH; i++) for (const m of members) m.castJson({ i });
    const all = MEMBERS * CASTS_EACH;
    const done = await settle(() => delivered.every((d) => d === all), 20_000);
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(members.splice(0).map((m) => m.close()));
    if (!done) {
      console.log(style("red", `   ✗ after 20 s the members had delivered ${delivered.join(", ")} of ${all}\n`));
      return 1;
    }
    console.log(style("green", `   ✓ every member delivered all ${number(all)} casts in ${seconds.toFixed(2)} s despite the faults`));
    const events = mergeRecordings(range(MEMBERS).map((rank) => readRecording(joinPath(dir, `node-${rank}.jsonl`)).events), MEMBERS);
    const broken = validateTrace(services.fifo, events.map((e) => e.action), { processes: MEMBERS, quiescent: true }).filter((v) => v.verdict === "violated");
    if (broken.length > 0) {
      console.log(style("red", `   ✗ the recorded traces break ${broken.map((v) => `${v.property}: ${v.violation!.message}`).join("; ")}\n`));
      return 1;
    }
    console.log(style("green", `   ✓ the ${number(events.length)} recorded group actions validate as \`troupe validate --spec fifo --quiescent\` does: a fifo trace\n`));
    return 0;
  } finally {
    await Promise.all(members.map((m) => m.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolves true once `holds()`, false after `limitMs`. */
async function settle(holds: () => boolean, limitMs: number): Promise<boolean> {
  const give = performance.now() + limitMs;
  while (!holds()) {
    if (performance.now() > give) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** Planted bugs of the view-changing stacks, each with the smallest configuration in which it shows (deaf-to-casts, a liveness bug, as a lasso). */
const VIEW_BUGS: readonly [model: string, bug: string, params: readonly string[]][] = [
  ["vsync", "never-suspects", ["crashes=1"]],
  ["vsync", "coordinator-leaves-itself-out", ["crashes=1"]],
  ["vsync", "deaf-to-casts", ["crashes=0", "falseSuspicions=false"]],
  ["total", "delivers-before-order", ["crashes=0"]],
];
const VIEW_MEMBERS = 4;

async function viewStacks(options: TourOptions): Promise<Problems> {
  heading("5. vsync and total", "views that exclude failed members, installed after a flush, and merge when partitions heal; total order over them; checked, broken, simulated and run over UDP with a member gone");
  let problems = 0;
  const checked = await check(await loadInstance("vsync", ["processes=2", "casts=1", "crashes=1"]));
  if (checked.violation) problems++, console.log(style("red", `   ✗ vsync: ${checked.violation.property}: ${checked.violation.message}`));
  else console.log(style("green", `   ✓ vsync with processes=2 casts=1 crashes=1: the vsync service and its properties hold over ${number(checked.distinctStates)} distinct states, its liveness properties under strong fairness (${checked.seconds.toFixed(2)} s)`));
  const merging = ["processes=2", "casts=1", "casters=1", "crashes=0", "partitions=1", "merges=1"];
  const merged = await check(await loadInstance("vsync", merging));
  if (merged.violation) problems++, console.log(style("red", `   ✗ vsync merging: ${merged.violation.property}: ${merged.violation.message}`));
  else console.log(style("green", `   ✓ vsync with ${merging.join(" ")}: the sides of a partition merge when it heals; the vsync service and its properties hold over ${number(merged.distinctStates)} distinct states (${merged.seconds.toFixed(2)} s)`));
  for (const [model, bug, params] of VIEW_BUGS) {
    const found = await check(await loadInstance(model, ["processes=2", "casts=1", ...params, `bug=${bug}`]));
    const v = found.violation;
    const shape = v?.counterexample && "loop" in v.counterexample ? "a lasso of " : "";
    if (v?.counterexample) console.log(`   ${style("green", "✓")} ${`${model} ${bug}`.padEnd(36)} ${v.property}: ${v.message} ${style("dim", `(${shape}${v.counterexample.actions.length} steps)`)}`);
    else problems++, console.log(style("red", `   ✗ ${model} ${bug} not found over ${number(found.distinctStates)} states`));
  }
  const instance = await loadSimulatedInstance("vsync", ["processes=4", "casts=2", "crashes=2", "partitions=1", "drops=4"]);
  const simulated = simulate({ ...instance, plan: parseFaultItems(["drop=0.05,crash=0.01,other=0.01"]), steps: 3000, runs: options.runs, seed: 1 });
  if (simulated.failing) problems++, console.log(style("red", `   ✗ vsync simulation: ${(simulated.shrunk?.run.failure ?? simulated.failing.failure!).message}`));
  else console.log(style("green", `   ✓ vsync simulated: no property broke in ${counted(simulated.runs, "run")} of 4 processes with crashes, a partition and drops, ${number(simulated.steps)} steps, ${counted(simulated.coverage.actions.view ?? 0, "view")} installed in all`));
  return problems + (await runVsyncGroup());
}

/** 4 vsync members over UDP; one leaves without a word (its socket closed, as if killed); the others must exclude it, agree on what it cast, and record traces that validate. */
async function runVsyncGroup(): Promise<Problems> {
  const dir = mkdtempSync(joinPath(tmpdir(), "troupe-tour-"));
  const members: Member[] = [];
  try {
    const ports = await freePorts(VIEW_MEMBERS);
    const peers = ports.map((port) => `127.0.0.1:${port}`);
    for (let rank = 0; rank < VIEW_MEMBERS; rank++) members.push(await join({ group: "tour-vsync", stack: "vsync", peers, rank, timerScale: 0.2, trace: joinPath(dir, `node-${rank}.jsonl`) }));
    const survivors = members.slice(0, -1);
    const views = members.map(() => "");
    members.forEach((m, rank) => m.on("view", (v) => (views[rank] = v.members.toArray().join())));
    for (let i = 0; i < 50; i++) for (const m of members) m.castJson({ i });
    await settle(() => false, 300);
    const started = performance.now();
    await members.at(-1)!.close();
    const excluded = await settle(() => survivors.every((_, rank) => views[rank] === "0,1,2"), 10_000);
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(survivors.map((m) => m.close()));
    if (!excluded) {
      console.log(style("red", `   ✗ over UDP: after 10 s the survivors' views are ${views.slice(0, -1).map((v) => `{${v}}`).join(", ")}\n`));
      return 1;
    }
    const events = mergeRecordings(range(VIEW_MEMBERS).map((rank) => readRecording(joinPath(dir, `node-${rank}.jsonl`)).events), VIEW_MEMBERS);
    const broken = validateTrace(services.vsync, events.map((e) => e.action), { processes: VIEW_MEMBERS }).filter((v) => v.verdict === "violated");
    if (broken.length > 0) {
      console.log(style("red", `   ✗ the recorded traces break ${broken.map((v) => `${v.property}: ${v.violation!.message}`).join("; ")}\n`));
      return 1;
    }
    console.log(style("green", `   ✓ over UDP: ${VIEW_MEMBERS} members cast 50 messages each, member ${VIEW_MEMBERS - 1} goes silent; the others install view {0, 1, 2} in ${seconds.toFixed(2)} s, and their ${number(events.length)} recorded group actions validate as \`troupe validate --spec vsync\` does\n`));
    return 0;
  } finally {
    await Promise.all(members.map((m) => m.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function walkExamples(walks: number): Promise<Problems> {
  heading("6. example models", `${counted(walks, "random walk")} each, invariants checked at every step; each trace written as ITF, validated against the schema, read back and replayed`);
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
