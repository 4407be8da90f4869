// The simulation report: one self-contained HTML file (no network, no CDN: styles, script and data
// inline) with the verdict, how to reproduce it, the sequence chart of the shrunk counterexample
// (or of the batch's first run when nothing failed) with the state after any step a click away, and
// the batch's coverage.

import { diffValues, formatAction, formatChange, formatValue, type Action, type Automaton, type Execution, type Lasso, type ParamValue, type Properties, type Value } from "../../ioa/index.ts";
import type { BatchResult } from "../batch.ts";
import { formatCoverage, type CoverageSummary } from "../coverage.ts";
import { formatPlan } from "../fault-plan.ts";
import { counted } from "../plural.ts";
import { Simulation, type Run } from "../run.ts";
import { describeShrunk } from "../shrink.ts";
import { sequenceChart, type ChartOptions } from "./chart.ts";
import { escapeXml as esc, inlineJson } from "./escape.ts";

export interface ReportContext {
  readonly model: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** A command that repeats the failing run. */
  readonly command?: string;
}

/** Steps of a passing run drawn at most (a failing run is drawn whole: it is shrunk). */
const SAMPLE_STEPS = 300;

export function htmlReport<S, A extends Action>(result: BatchResult<S, A>, context: ReportContext): string {
  const { simulation } = result;
  const shown = result.shrunk?.run ?? result.failing ?? result.first;
  const partitions = simulation.plan.events.flatMap((e) => (e.kind === "partition" ? [e] : []));
  return page({
    title: `Troupe simulation: ${context.model}`,
    params: context.params,
    header: `${verdict(result)}\n${settings(result, context)}`,
    run: runSection(simulation, shown, heading(result, shown), { partitions, maxSteps: result.failing ? Infinity : SAMPLE_STEPS }),
    more: `<section class="coverage">
<h2>Coverage of ${counted(result.coverage.runs, "run")}</h2>
${coverageTables(result.coverage)}
</section>`,
  });
}

/** What a report page holds: a title, a header (verdict, settings), the drawn run if any, and more sections. */
interface Page {
  readonly title: string;
  readonly params?: Readonly<Record<string, ParamValue>> | undefined;
  readonly header: string;
  readonly run: { readonly html: string; readonly steps: readonly StepView[] } | undefined;
  readonly more?: string;
}

function page(p: Page): string {
  const params = Object.entries(p.params ?? {}).map(([k, v]) => `${k}=${v}`).join(" ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(p.title)} <small>${esc(params)}</small></h1>
${p.header}
</header>
<main>
${p.run?.html ?? ""}
${p.more ?? ""}
</main>
<script type="application/json" id="steps">${inlineJson(p.run?.steps ?? [])}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The sequence chart of a run, with the state after each step a click away. */
function runSection<S, A extends Action>(simulation: Simulation<S, A>, run: Run<S, A>, title: string, options: ChartOptions & { maxSteps: number }) {
  const html = `<section class="run">
<h2>${title}</h2>
<p class="hint">One lifeline per process, time flowing down. Click a row to see the state after that step.${options.loop !== undefined && options.loop < run.execution.actions.length ? " The shaded steps repeat forever (the arrow in the margin goes back to where the cycle starts)." : ""}</p>
<div class="split">
<div class="chart-wrap">${sequenceChart(simulation, run, options)}</div>
<aside id="state"><p class="hint">Click a step in the chart.</p></aside>
</div>
${LEGEND}
</section>`;
  return { html, steps: stepData(simulation, run, options.maxSteps) };
}

export interface ExecutionReportContext<S, A extends Action> {
  /** "Troupe check", say; the model's name follows it. */
  readonly title: string;
  readonly model: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly verdict: { readonly ok: boolean; readonly text: string };
  readonly settings: readonly (readonly [string, string])[];
  /** The execution to draw (a counterexample), and the property it breaks in its last state; a lasso's cycle is drawn as such. */
  readonly execution?: Execution<S, A> | Lasso<S, A>;
  readonly heading?: string;
  readonly failure?: { readonly property: string; readonly message: string };
}

/**
 * The same self-contained page for one execution found by any explorer (the checker's
 * counterexample): its steps are drawn in order, one time unit apart, since there is no virtual time.
 */
export function executionReport<S, A extends Action>(automaton: Automaton<S, A>, properties: Properties<S, A>, context: ExecutionReportContext<S, A>): string {
  const simulation = new Simulation({ automaton, properties });
  const header = `<p class="verdict ${context.verdict.ok ? "ok" : "bad"}">${esc(context.verdict.text)}</p>
<table class="settings">${context.settings.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>`;
  const loop = context.execution && "loop" in context.execution ? (context.execution as Lasso<S, A>).loop : undefined;
  const run = context.execution && runSection(simulation, runOf(context.execution, context.failure), esc(context.heading ?? "Execution"), { maxSteps: Infinity, ...(loop !== undefined && { loop }) });
  return page({ title: `${context.title}: ${context.model}`, params: context.params, header, run });
}

function runOf<S, A extends Action>(execution: Execution<S, A>, failure: ExecutionReportContext<S, A>["failure"]): Run<S, A> {
  const step = execution.actions.length;
  return {
    seed: 0,
    execution,
    choices: execution.actions.map((action, i) => ({ action, time: i + 1, cause: "scheduler" as const })),
    ended: failure ? "violation" : "steps",
    ...(failure && { failure: { ...failure, kind: "always" as const, step } }),
    goals: [],
    missed: [],
  };
}

function heading<S, A extends Action>(result: BatchResult<S, A>, shown: Run<S, A>): string {
  if (result.shrunk) return `Counterexample, shrunk from ${result.shrunk.originalLength} to ${describeShrunk(result.shrunk)}`;
  if (result.failing) return `Counterexample (seed ${shown.seed}, not shrunk)`;
  return `The first run (seed ${shown.seed})${shown.execution.actions.length > SAMPLE_STEPS ? `, its first ${SAMPLE_STEPS} steps` : ""}`;
}

function verdict<S, A extends Action>(result: BatchResult<S, A>): string {
  const failure = result.shrunk?.run.failure ?? result.failing?.failure;
  if (!failure || !result.failing) {
    return `<p class="verdict ok">✓ No property broke in ${counted(result.runs, "run")} (${counted(result.steps, "step")}).</p>`;
  }
  return `<p class="verdict bad">✗ <b>${esc(failure.property)}</b> broke in run ${result.runs} (seed ${result.failing.seed}) after ${result.failing.execution.actions.length} steps: ${esc(failure.message)}</p>`;
}

function settings<S, A extends Action>(result: BatchResult<S, A>, context: ReportContext): string {
  const { simulation } = result;
  const rows: [string, string][] = [
    ["scheduler", simulation.scheduler.name],
    ["fault plan", formatPlan(simulation.plan)],
    ["runs", `${result.runs.toLocaleString("en-US")}, at most ${counted(simulation.steps, "step")} each, batch seed ${result.seed}`],
    ["time", `${result.seconds.toFixed(2)} s`],
  ];
  if (result.shrunk) rows.push(["shrinking", `${counted(result.shrunk.replays, "replay")}, ${counted(result.shrunk.shrinks, "smaller run")} accepted`]);
  if (context.command) rows.push(["repeat with", `<code>${esc(context.command)}</code>`]);
  return `<table class="settings">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${k === "repeat with" ? v : esc(v)}</td></tr>`).join("")}</table>`;
}

interface StepView {
  readonly title: string;
  readonly time?: number;
  readonly cause?: string;
  readonly changes: string[];
  readonly state: string[];
  readonly failure?: string;
}

function stepData<S, A extends Action>(simulation: Simulation<S, A>, run: Run<S, A>, maxSteps: number): StepView[] {
  const { states, actions } = run.execution;
  const out: StepView[] = [];
  for (let i = 0; i <= Math.min(actions.length, maxSteps); i++) {
    const state = states[i] as Value;
    const failure = run.failure?.step === i ? `${run.failure.property}: ${run.failure.message}` : undefined;
    const base = { state: stateLines(state), ...(failure && { failure }) };
    if (i === 0) {
      out.push({ title: "start state", changes: [], ...base });
      continue;
    }
    const a = actions[i - 1]!;
    const choice = run.choices[i - 1]!;
    const d = simulation.detailsOf(a);
    const cause = choice.instead ? `${choice.cause}, instead of ${formatAction(choice.instead)}` : choice.cause;
    out.push({
      title: `${i}. ${formatAction(a)}`,
      time: choice.time,
      cause: `${d.kind}${d.fault ? ` (${d.fault})` : ""}; ${cause}`,
      changes: diffValues(states[i - 1] as Value, state).map((c) => formatChange(c)),
      ...base,
    });
  }
  return out;
}

const LINE = 110;

/** The state as `path: value` lines, opening records and lists whose rendering would not fit a line. */
function stateLines(state: Value, path = "", depth = 0): string[] {
  const text = formatValue(state);
  const entries = depth < 5 && text.length > LINE ? entriesOf(state) : undefined;
  if (!entries) return [path === "" ? text : `${path}: ${text}`];
  return entries.flatMap(([key, v]) => stateLines(v, typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`, depth + 1));
}

function entriesOf(v: Value): [string | number, Value][] | undefined {
  if (Array.isArray(v)) return v.map((x: Value, i) => [i, x]);
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) return Object.entries(v as Record<string, Value>);
  return undefined;
}

function coverageTables(c: CoverageSummary): string {
  const table = (title: string, counts: Readonly<Record<string, number>>, total?: number) => {
    const entries = Object.entries(counts);
    if (entries.length === 0) return `<div class="table"><h3>${title}</h3><p class="hint">none</p></div>`;
    const max = Math.max(1, ...entries.map(([, n]) => n));
    const rows = entries.map(
      ([k, n]) =>
        `<tr><td>${esc(k)}</td><td class="n">${n.toLocaleString("en-US")}${total ? ` <small>${((100 * n) / total).toFixed(1)}%</small>` : ""}</td><td class="bar"><span style="width:${((100 * n) / max).toFixed(1)}%"></span></td></tr>`,
    );
    return `<div class="table"><h3>${title}</h3><table>${rows.join("")}</table></div>`;
  };
  const never = c.neverTaken.length ? `<p class="warn">Never taken: ${c.neverTaken.map(esc).join(", ")}</p>` : "";
  const missed = Object.entries(c.missed).map(([e, n]) => `<p class="warn">Timed event ${esc(e)} found no enabled action in ${counted(n, "run")}.</p>`).join("");
  return `<p class="summary">${esc(formatCoverage(c)[0]!)}</p>${never}${missed}<div class="tables">
${table("How runs ended", c.endings, c.runs)}
${table("Kinds", c.kinds, c.steps)}
${table("Faults", c.faults)}
${table("Goals reached (runs)", c.goals, c.runs)}
${table("Components", c.components, c.steps)}
${table("Actions", c.actions, c.steps)}
</div>`;
}

const LEGEND = `<p class="legend">
<span><svg width="40" height="12"><line x1="2" y1="6" x2="32" y2="6" stroke="#2f5d8a" stroke-width="1.3" marker-end="url(#head)"/><circle cx="36" cy="6" r="3.5" fill="#2f5d8a"/></svg>message delivered</span>
<span><svg width="14" height="14"><path d="M2,2 L12,12 M12,2 L2,12" stroke="#c0392b" stroke-width="2.5"/></svg>dropped</span>
<span><svg width="14" height="14"><rect x="1" y="1" width="7" height="7" fill="none" stroke="#d35400"/><rect x="4" y="4" width="7" height="7" fill="#fff" stroke="#d35400"/></svg>duplicated</span>
<span><svg width="30" height="8"><rect x="1" y="1" width="28" height="6" fill="#c0392b"/></svg>crash</span>
<span><svg width="30" height="8"><rect x="1" y="1" width="28" height="6" fill="#27ae60"/></svg>recovery</span>
<span><svg width="30" height="8"><line x1="0" y1="4" x2="30" y2="4" stroke="#c0392b" stroke-width="2" stroke-dasharray="8 4"/></svg>partition</span>
<span><svg width="30" height="8"><line x1="0" y1="4" x2="30" y2="4" stroke="#27ae60" stroke-width="2" stroke-dasharray="8 4"/></svg>heal</span>
<span><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" stroke="#8e6c00" stroke-width="1.5"/></svg>timer</span>
<span><svg width="40" height="16"><rect x="1" y="1" width="38" height="14" rx="3" fill="#fff7d6" stroke="#c9a227"/></svg>milestone (view installed, …)</span>
</p>`;

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; background: #fafbfc; }
header, main { padding: 12px 24px; }
header { background: #fff; border-bottom: 1px solid #dde3ea; }
h1 { font-size: 20px; margin: 4px 0 8px; } h1 small { color: #667; font-weight: normal; font-size: 14px; }
h2 { font-size: 16px; margin: 18px 0 4px; } h3 { font-size: 13px; margin: 0 0 4px; color: #445; }
.verdict { font-size: 15px; padding: 8px 12px; border-radius: 6px; margin: 6px 0; }
.verdict.bad { background: #fdecea; color: #922b21; } .verdict.ok { background: #e8f6ec; color: #1d6b3a; }
table.settings th { text-align: left; color: #667; font-weight: normal; padding-right: 12px; vertical-align: top; }
table.settings td { font-family: ui-monospace, monospace; font-size: 12px; }
.hint { color: #778; font-size: 12px; margin: 2px 0 6px; }
.split { display: flex; gap: 16px; align-items: flex-start; }
.chart-wrap { overflow: auto; max-height: 80vh; background: #fff; border: 1px solid #dde3ea; border-radius: 6px; flex: 0 1 auto; }
aside#state { position: sticky; top: 12px; flex: 1 1 320px; min-width: 280px; max-height: 80vh; overflow: auto; background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 8px 12px; font-size: 12px; }
aside#state h3 { font-family: ui-monospace, monospace; font-size: 12px; color: #222; word-break: break-all; }
aside#state pre { white-space: pre-wrap; word-break: break-word; margin: 2px 0 8px; font-size: 11.5px; }
aside#state .failure { color: #a93226; font-weight: 600; }
svg.chart rect.row { fill: transparent; cursor: pointer; }
svg.chart rect.row:hover { fill: rgba(47, 93, 138, 0.08); }
svg.chart rect.row.selected { fill: rgba(47, 93, 138, 0.16); }
.legend span { margin-right: 14px; font-size: 12px; color: #556; white-space: nowrap; } .legend svg { vertical-align: middle; margin-right: 4px; }
.tables { display: flex; flex-wrap: wrap; gap: 16px; }
.table { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 8px 12px; min-width: 260px; }
.table table { border-collapse: collapse; font-size: 12px; } .table td { padding: 1px 6px; } .table td.n { text-align: right; white-space: nowrap; }
.table td.bar { width: 120px; } .table td.bar span { display: block; height: 8px; background: #7f9cbf; border-radius: 2px; }
.warn { color: #8a5a00; font-size: 13px; } .summary { color: #445; }
`;

const SCRIPT = `
const steps = JSON.parse(document.getElementById("steps").textContent);
const panel = document.getElementById("state");
const esc = (t) => String(t).replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
function show(i) {
  const s = steps[i];
  if (!s) return;
  document.querySelectorAll("rect.row.selected").forEach((r) => r.classList.remove("selected"));
  document.querySelectorAll('rect.row[data-step="' + i + '"]').forEach((r) => r.classList.add("selected"));
  let html = "<h3>" + esc(s.title) + "</h3>";
  if (s.time !== undefined) html += "<p>at " + s.time + " virtual ms; " + esc(s.cause) + "</p>";
  if (s.failure) html += '<p class="failure">✗ ' + esc(s.failure) + "</p>";
  if (s.changes.length) html += "<b>changes</b><pre>" + s.changes.map(esc).join("\\n") + "</pre>";
  else if (i > 0) html += "<p>(no change)</p>";
  html += "<b>state after</b><pre>" + s.state.map(esc).join("\\n") + "</pre>";
  panel.innerHTML = html;
}
document.querySelectorAll("rect.row").forEach((r) => r.addEventListener("click", () => show(Number(r.dataset.step))));
show(steps.findIndex((s) => s.failure) >= 0 ? steps.findIndex((s) => s.failure) : 0);
`;
