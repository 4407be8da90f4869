// The message sequence chart of a run, as SVG: one lifeline per process, time flowing down, one row
// per action. Arrows run from the step that sent a message (the step after which its delivery was
// enabled) to its delivery; faults are marked by type — a cross for a drop, bars for a crash and a
// recovery (the lifeline greys out in between), a line across every lifeline for a partition and a
// heal — and events with a label (a view installed) carry it in a box. Every row is clickable: the
// page shows the state after that step.
//
// Everything comes from the kernel's action details, so the chart draws any automaton: an action of
// no process sits on the lifeline of the component that controls it.

import { compareValues, fingerprintString, formatAction, formatValue, repeatedSteps, type Action, type ActionDetails, type Value } from "../../ioa/index.ts";
import type { TimedEvent } from "../fault-plan.ts";
import type { Run, Simulation } from "../run.ts";
import { escapeXml } from "./escape.ts";

const COLUMN = 120;
const ROW = 24;
const LEFT = 96;
const TOP = 56;
const LABEL_CHARS = 18;

interface Event {
  readonly step: number;
  readonly action: Action;
  readonly details: ActionDetails;
  readonly lifeline: number;
  /** For a delivery, or a fault that happened to a message: the step whose action sent it (0: the start). */
  readonly origin?: number;
}

export interface ChartOptions {
  /** Partitions of the fault plan, drawn as bands over the rows in their interval. */
  readonly partitions?: readonly Extract<TimedEvent, { kind: "partition" }>[];
  /** Draw at most this many steps. */
  readonly maxSteps?: number;
  /**
   * For a lasso (a liveness counterexample): the number of steps before its cycle. Steps
   * loop + 1 … the last repeat forever, back to the state after step `loop`; with loop equal to the
   * number of steps, the execution ends there with nothing enabled.
   */
  readonly loop?: number;
}

/** The sequence chart of `run` as an SVG element. */
export function sequenceChart<S, A extends Action>(simulation: Simulation<S, A>, run: Run<S, A>, options: ChartOptions = {}): string {
  const actions = run.execution.actions.slice(0, options.maxSteps ?? Infinity);
  const details = actions.map((a) => simulation.detailsOf(a));
  const lifelines = new Lifelines(details.flatMap((d) => (d.process === undefined ? [] : [d.process])));
  const owners = actions.map((a, i) => (isSplit(details[i]!) ? ACROSS : lifelines.of(details[i]!.process, () => componentOf(simulation, a))));
  const origins = originsOf(simulation, run, actions.length);
  const events: Event[] = actions.map((action, i) => ({ step: i + 1, action, details: details[i]!, lifeline: owners[i]!, origin: origins[i] }));
  const failureText = run.failure ? failureLine(run.failure.property, run.failure.message) : "";
  const splits = (options.partitions?.length ?? 0) > 0 || details.some((d) => d.fault === "partition" || d.fault === "heal");
  const width = Math.max(LEFT + lifelines.names.length * COLUMN + (splits ? 200 : 40), 16 + failureText.length * 6.5);
  const height = TOP + (actions.length + 1) * ROW + (options.loop === undefined ? 24 : 40);
  const times = run.choices.map((c) => c.time);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    DEFS,
    ...partitionBands(options.partitions ?? [], times, width),
    ...(options.loop === undefined ? failureBand(run, actions.length, width, failureText) : cycleBand(options.loop, actions.length, width, failureText)),
    ...lifelines.names.map((name, i) => lifelineHeader(name, i, height)),
    ...crashedStretches(events, lifelines.names.length),
    ...events.flatMap((e) => arrow(e, events)),
    ...events.flatMap((e) => glyph(e, lifelines.names.length)),
    ...rowLabels(times, actions.length),
    ...rowTargets(events, width),
    "</svg>",
  ];
  return parts.join("\n");
}

/** The lifeline of an event drawn across all of them: a partition or a heal of no process in particular. */
const ACROSS = -1;

function isSplit(d: ActionDetails): boolean {
  return d.process === undefined && (d.fault === "partition" || d.fault === "heal");
}

const x = (lifeline: number) => LEFT + lifeline * COLUMN + COLUMN / 2;
const y = (step: number) => TOP + step * ROW + ROW / 2;

/** Processes first, in their canonical order; then components, in the order they first act. */
class Lifelines {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(processes: readonly Value[]) {
    for (const p of [...processes].sort(compareValues)) this.add(processName(p));
  }

  of(process: Value | undefined, component: () => string): number {
    return this.add(process === undefined ? component() : processName(process));
  }

  private add(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.index.set(name, i);
    }
    return i;
  }
}

function processName(p: Value): string {
  return `process ${typeof p === "string" ? p : formatValue(p)}`;
}

/** The outermost component controlling the action (from its fairness task), or the automaton. */
function componentOf<S, A extends Action>(simulation: Simulation<S, A>, a: A): string {
  const task = simulation.automaton.task(a);
  const cut = task.indexOf(": ");
  return cut < 0 ? simulation.automaton.name : task.slice(0, cut);
}

/**
 * For each delivery, and each fault that happened to a message, the step that sent the message: the
 * latest earlier step whose details name the same message, when the model's sends name their
 * messages; otherwise the step after which the delivery first became enabled (kept while a
 * partition or a crash disables it, and for a duplicate delivered again).
 */
function originsOf<S, A extends Action>(simulation: Simulation<S, A>, run: Run<S, A>, steps: number): (number | undefined)[] {
  const since = new Map<string, number>();
  const enabledSince = new Map<string, number>();
  const sent = new Map<string, number>();
  const origins: (number | undefined)[] = [];
  const enabled: A[] = [];
  let previous = new Set<string>();
  for (let i = 0; i < steps; i++) {
    enabled.length = 0;
    simulation.automaton.enabled(run.execution.states[i]!, enabled);
    const now = new Set<string>();
    for (const a of enabled) {
      if (simulation.kindOf(a) !== "deliver") continue;
      const key = fingerprintString(a);
      now.add(key);
      if (previous.has(key) || since.has(key)) continue;
      since.set(key, i);
      const message = simulation.detailsOf(a).message;
      if (message !== undefined) enabledSince.set(fingerprintString(message), i);
    }
    previous = now;
    const a = run.execution.actions[i]!;
    const kind = simulation.kindOf(a);
    const message = simulation.detailsOf(a).message;
    const id = message === undefined ? undefined : fingerprintString(message);
    if (kind === "step" || kind === "timer") {
      if (id !== undefined) sent.set(id, i + 1);
      origins.push(undefined);
    } else if (kind === "deliver") {
      const key = fingerprintString(a);
      origins.push((id !== undefined ? sent.get(id) : undefined) ?? since.get(key));
      // Forgotten once delivered for good; kept while a partition or a crash holds it back.
      if (!enabledAfter(simulation, run.execution.states[i + 1]!, key)) since.delete(key);
    } else {
      origins.push(id === undefined ? undefined : (sent.get(id) ?? enabledSince.get(id)));
    }
  }
  return origins;
}

function enabledAfter<S, A extends Action>(simulation: Simulation<S, A>, s: S, key: string): boolean {
  const enabled: A[] = [];
  simulation.automaton.enabled(s, enabled);
  return enabled.some((a) => fingerprintString(a) === key);
}

const DEFS = `<defs>
<marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#2f5d8a"/></marker>
<marker id="lost" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker>
</defs>`;

function lifelineHeader(name: string, i: number, height: number): string {
  const cx = x(i);
  return [
    `<g class="lifeline"><rect x="${cx - COLUMN / 2 + 6}" y="8" width="${COLUMN - 12}" height="24" rx="4" fill="#eef2f7" stroke="#9aa9bb"/>`,
    `<text x="${cx}" y="24" text-anchor="middle" font-weight="600">${escapeXml(shorten(name, 20))}</text>`,
    `<line x1="${cx}" y1="32" x2="${cx}" y2="${height - 8}" stroke="#9aa9bb" stroke-width="1.5"/></g>`,
  ].join("");
}

/** Greys out a lifeline from a crash to the recovery (or the end). */
function crashedStretches(events: readonly Event[], lifelines: number): string[] {
  const down = new Map<number, number>();
  const out: string[] = [];
  const stretch = (lifeline: number, from: number, to: number) =>
    out.push(`<line class="crashed" x1="${x(lifeline)}" y1="${y(from)}" x2="${x(lifeline)}" y2="${y(to)}" stroke="#fff" stroke-width="3" stroke-dasharray="4 3"/>`);
  for (const e of events) {
    if (e.details.fault === "crash") down.set(e.lifeline, e.step);
    if (e.details.fault === "recover" && down.has(e.lifeline)) {
      stretch(e.lifeline, down.get(e.lifeline)!, e.step);
      down.delete(e.lifeline);
    }
  }
  const last = events.length;
  for (const [lifeline, from] of down) if (lifeline < lifelines) stretch(lifeline, from, last + 0.5);
  return out;
}

function arrow(e: Event, events: readonly Event[]): string[] {
  if (e.origin === undefined) return [];
  const from = e.origin === 0 ? undefined : events[e.origin - 1];
  const x1 = from ? x(from.lifeline) : x(e.lifeline);
  const y1 = from ? y(from.step) : y(0);
  const x2 = x(e.lifeline);
  const y2 = y(e.step);
  const lost = e.details.kind === "fault";
  const style = lost ? `stroke="#c0392b" stroke-dasharray="5 3" marker-end="url(#lost)"` : `stroke="#2f5d8a" marker-end="url(#head)"`;
  if (x1 === x2) {
    const bend = x1 + COLUMN * 0.35;
    return [`<path class="message" d="M${x1},${y1} C${bend},${y1} ${bend},${y2} ${x2 + 4},${y2}" fill="none" stroke-width="1.3" ${style}/>`];
  }
  const end = x2 + (x1 < x2 ? -5 : 5);
  return [`<line class="message" x1="${x1}" y1="${y1}" x2="${end}" y2="${y2}" stroke-width="1.3" ${style}/>`];
}

function glyph(e: Event, lifelines: number): string[] {
  const cx = x(e.lifeline);
  const cy = y(e.step);
  const label = e.details.label ?? e.action.name;
  const text = `<text x="${cx + 9}" y="${cy - 4}" fill="#333">${escapeXml(shorten(label, LABEL_CHARS))}</text>`;
  const boxed = e.details.label !== undefined ? labelBox(cx, cy, e.details.label) : text;
  switch (e.details.kind) {
    case "deliver":
      return [`<circle class="deliver" cx="${cx}" cy="${cy}" r="3.5" fill="#2f5d8a"/>`, boxed];
    case "timer":
      return [`<g class="timer"><circle cx="${cx}" cy="${cy}" r="5" fill="#fff" stroke="#8e6c00" stroke-width="1.5"/><path d="M${cx},${cy - 3} V${cy} H${cx + 3}" stroke="#8e6c00" fill="none"/></g>`, boxed];
    case "fault":
      return faultGlyph(e, cx, cy, lifelines, text);
    default:
      return [`<circle class="step" cx="${cx}" cy="${cy}" r="3.5" fill="#444"/>`, boxed];
  }
}

function labelBox(cx: number, cy: number, label: string): string {
  const text = shorten(label, LABEL_CHARS + 4);
  const w = text.length * 6.2 + 10;
  return `<g class="label"><rect x="${cx + 7}" y="${cy - 9}" width="${w}" height="16" rx="3" fill="#fff7d6" stroke="#c9a227"/><text x="${cx + 12}" y="${cy + 3}" fill="#5a4500">${escapeXml(text)}</text></g>`;
}

function faultGlyph(e: Event, cx: number, cy: number, lifelines: number, text: string): string[] {
  const fault = e.details.fault ?? e.action.name;
  switch (fault) {
    case "drop":
      return [`<path class="fault drop" d="M${cx - 5},${cy - 5} L${cx + 5},${cy + 5} M${cx + 5},${cy - 5} L${cx - 5},${cy + 5}" stroke="#c0392b" stroke-width="2.5"/>`, text];
    case "duplicate":
      return [`<g class="fault duplicate"><rect x="${cx - 5}" y="${cy - 5}" width="7" height="7" fill="none" stroke="#d35400"/><rect x="${cx - 2}" y="${cy - 2}" width="7" height="7" fill="#fff" stroke="#d35400"/></g>`, text];
    case "crash":
      return [`<rect class="fault crash" x="${cx - 14}" y="${cy - 3}" width="28" height="6" fill="#c0392b"/>`, text];
    case "recover":
      return [`<rect class="fault recover" x="${cx - 14}" y="${cy - 3}" width="28" height="6" fill="#27ae60"/>`, text];
    case "partition":
    case "heal": {
      const colour = fault === "partition" ? "#c0392b" : "#27ae60";
      const split = e.details.components ? ` ${e.details.components.map((c) => `{${c.map((p) => formatValue(p)).join(", ")}}`).join(" | ")}` : "";
      return [
        `<line class="fault ${fault}" x1="${LEFT}" y1="${cy}" x2="${LEFT + lifelines * COLUMN}" y2="${cy}" stroke="${colour}" stroke-width="2" stroke-dasharray="8 4"/>`,
        `<text x="${LEFT + lifelines * COLUMN + 4}" y="${cy + 4}" fill="${colour}">${escapeXml(fault + split)}</text>`,
        ...(e.lifeline === ACROSS ? [] : [`<circle cx="${cx}" cy="${cy}" r="4" fill="${colour}"/>`]),
      ];
    }
    default:
      return [`<path class="fault" d="M${cx},${cy - 6} L${cx + 6},${cy} L${cx},${cy + 6} L${cx - 6},${cy} z" fill="#c0392b"/>`, text];
  }
}

function partitionBands(partitions: readonly Extract<TimedEvent, { kind: "partition" }>[], times: readonly number[], width: number): string[] {
  return partitions.flatMap((p) => {
    const rows = times.flatMap((t, i) => (t >= p.at && t < p.until ? [i + 1] : []));
    if (rows.length === 0) return [];
    const top = y(rows[0]!) - ROW / 2;
    const bottom = y(rows.at(-1)!) + ROW / 2;
    const split = p.components.map((c) => `{${c.map((q) => formatValue(q)).join(", ")}}`).join(" | ");
    return [
      `<rect class="partitioned" x="${LEFT}" y="${top}" width="${width - LEFT}" height="${bottom - top}" fill="#fdecea"/>`,
      `<text x="${width - 6}" y="${bottom - 5}" text-anchor="end" fill="#c0392b">partitioned ${escapeXml(split)} (plan, ${p.at}–${p.until} ms)</text>`,
    ];
  });
}

function failureLine(property: string, message: string): string {
  return `✗ ${property}: ${shorten(message, 120)}`;
}

function failureBand<S, A extends Action>(run: Run<S, A>, steps: number, width: number, text: string): string[] {
  const f = run.failure;
  if (f === undefined || f.step > steps) return [];
  const cy = y(f.step);
  return [
    `<rect class="failure" x="0" y="${cy - ROW / 2}" width="${width}" height="${ROW}" fill="#f9d6d2"/>`,
    `<text x="8" y="${cy + ROW / 2 + 12}" fill="#a93226" font-weight="600">${escapeXml(text)}</text>`,
  ];
}

/**
 * A lasso's cycle: its rows shaded, a bracket in the left margin from the first repeated step to
 * the last, and an arrow from the last back up to the state the cycle returns to (the row of step
 * `loop`, or the start) — or, for an execution that stops, a band on its last row.
 */
function cycleBand(loop: number, steps: number, width: number, text: string): string[] {
  const end = y(steps) + ROW / 2;
  if (loop >= steps) {
    return [
      `<rect class="cycle stop" x="0" y="${end - ROW}" width="${width}" height="${ROW}" fill="#e3ecf7"/>`,
      `<text class="cycle-note" x="8" y="${end + 12}" fill="#2f5d8a" font-weight="600">⟲ nothing is enabled after step ${steps}: the execution ends here, the obligation pending</text>`,
      `<text x="8" y="${end + 26}" fill="#a93226" font-weight="600">${escapeXml(text)}</text>`,
    ];
  }
  const top = y(loop + 1) - ROW / 2;
  const back = y(loop);
  return [
    `<rect class="cycle" x="0" y="${top}" width="${width}" height="${end - top}" fill="#e3ecf7"/>`,
    `<path class="cycle-arrow" d="M${LEFT - 54},${y(steps)} H${LEFT - 68} V${back} H${LEFT - 52}" fill="none" stroke="#2f5d8a" stroke-width="1.6" marker-end="url(#head)"/>`,
    `<text class="cycle-note" x="8" y="${end + 12}" fill="#2f5d8a" font-weight="600">⟲ ${repeatedSteps(loop, steps)} forever, back to the ${loop === 0 ? "start state" : `state after step ${loop}`}</text>`,
    `<text x="8" y="${end + 26}" fill="#a93226" font-weight="600">${escapeXml(text)}</text>`,
  ];
}

function rowLabels(times: readonly number[], steps: number): string[] {
  const out = [`<text x="8" y="${y(0) + 4}" fill="#777">start</text>`];
  for (let i = 1; i <= steps; i++) {
    out.push(`<text x="8" y="${y(i) + 4}" fill="#777">${i}</text><text x="${LEFT - 10}" y="${y(i) + 4}" text-anchor="end" fill="#999">${times[i - 1]} ms</text>`);
  }
  return out;
}

/** Transparent rows on top of everything: hover highlights, a click shows the state after the step. */
function rowTargets(events: readonly Event[], width: number): string[] {
  const row = (step: number, title: string) =>
    `<rect class="row" data-step="${step}" x="0" y="${y(step) - ROW / 2}" width="${width}" height="${ROW}"><title>${escapeXml(title)}</title></rect>`;
  return [row(0, "the start state"), ...events.map((e) => row(e.step, `${e.step}. ${formatAction(e.action, { maxLength: 200 })}`))];
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
