// What a batch of runs exercised, and how often: actions by name, by kind and by the component that
// controls them (for a stack, its layers), fault types, goals reached, how runs ended, and the
// actions of the model's signature that no run ever took. A batch that never crashes anything has
// tested nothing about crashes; this is where that shows.

import type { Action, Automaton } from "../ioa/index.ts";
import { counted } from "./plural.ts";
import type { Run, Simulation } from "./run.ts";

export interface CoverageSummary {
  readonly runs: number;
  readonly steps: number;
  /** Virtual milliseconds, summed over runs. */
  readonly time: number;
  readonly endings: Readonly<Record<string, number>>;
  readonly kinds: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<string, number>>;
  readonly actions: Readonly<Record<string, number>>;
  readonly components: Readonly<Record<string, number>>;
  /** Locally controlled actions of the signature that no run took. */
  readonly neverTaken: readonly string[];
  /** Per goal: in how many runs it was reached. */
  readonly goals: Readonly<Record<string, number>>;
  /** Timed events of the plan that found nothing to act on, and in how many runs. */
  readonly missed: Readonly<Record<string, number>>;
}

/** A coverage's counts as plain data, to cross threads: merged, they give the coverage of every run counted. */
export interface CoverageCounts {
  readonly runs: number;
  readonly steps: number;
  readonly time: number;
  readonly tables: Readonly<Record<CountedBy, readonly (readonly [string, number])[]>>;
}

type CountedBy = "endings" | "kinds" | "faults" | "actions" | "components" | "goals" | "missed";
const COUNTED_BY: readonly CountedBy[] = ["endings", "kinds", "faults", "actions", "components", "goals", "missed"];

export class Coverage<S, A extends Action> {
  private runCount = 0;
  private stepCount = 0;
  private time = 0;
  private readonly endings = new Map<string, number>();
  private readonly kinds = new Map<string, number>();
  private readonly faults = new Map<string, number>();
  private readonly actions = new Map<string, number>();
  private readonly components = new Map<string, number>();
  private readonly goals: Map<string, number>;
  private readonly missed = new Map<string, number>();
  private readonly componentByName = new Map<string, string>();

  constructor(private readonly simulation: Simulation<S, A>) {
    this.goals = new Map(simulation.checker.goalNames.map((g) => [g, 0]));
  }

  add(run: Run<S, A>): void {
    this.runCount++;
    this.stepCount += run.execution.actions.length;
    this.time += run.choices.at(-1)?.time ?? 0;
    count(this.endings, run.ended);
    for (const a of run.execution.actions) {
      const kind = this.simulation.kindOf(a);
      count(this.kinds, kind);
      count(this.actions, a.name);
      count(this.components, this.componentOf(a));
      if (kind === "fault") count(this.faults, this.simulation.detailsOf(a).fault ?? a.name);
    }
    for (const g of run.goals) count(this.goals, g);
    // A missed event reads "crash@100=2: no enabled crash action … at 103": counted by the event.
    for (const m of run.missed) count(this.missed, m.slice(0, m.indexOf(":")));
  }

  /** Runs counted (made here or merged). */
  get runs(): number {
    return this.runCount;
  }

  /** Their steps. */
  get steps(): number {
    return this.stepCount;
  }

  /** The counts so far, as plain data. */
  counts(): CoverageCounts {
    const tables = Object.fromEntries(COUNTED_BY.map((by) => [by, [...this[by]]])) as Record<CountedBy, [string, number][]>;
    return { runs: this.runCount, steps: this.stepCount, time: this.time, tables };
  }

  /** Adds the counts of other runs (made elsewhere: another thread's). */
  merge(counts: CoverageCounts): void {
    this.runCount += counts.runs;
    this.stepCount += counts.steps;
    this.time += counts.time;
    for (const by of COUNTED_BY) for (const [key, n] of counts.tables[by]) count(this[by], key, n);
  }

  /** The component controlling the action, from its fairness task, with instance ids folded: `proc[*]: mnak`. */
  private componentOf(a: A): string {
    let component = this.componentByName.get(a.name);
    if (component === undefined) {
      const task = this.simulation.automaton.task(a);
      const cut = task.lastIndexOf(": ");
      component = cut < 0 ? this.simulation.automaton.name : task.slice(0, cut).replace(/\[[^\]]*\]/g, "[*]");
      this.componentByName.set(a.name, component);
    }
    return component;
  }

  summary(): CoverageSummary {
    return {
      runs: this.runCount,
      steps: this.stepCount,
      time: this.time,
      endings: sorted(this.endings),
      kinds: sorted(this.kinds),
      faults: sorted(this.faults),
      actions: sorted(this.actions),
      components: sorted(this.components),
      neverTaken: neverTaken(this.simulation.automaton, this.actions),
      goals: Object.fromEntries(this.goals),
      missed: sorted(this.missed),
    };
  }
}

function count(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Most frequent first. */
function sorted(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([x, m], [y, n]) => n - m || (x < y ? -1 : 1)));
}

function neverTaken(automaton: Automaton<unknown, Action>, taken: ReadonlyMap<string, number>): string[] {
  return [...automaton.actions.values()].filter((info) => info.role !== "input" && !taken.has(info.name)).map((info) => info.name);
}

/** The summary as lines of text, for terminals and test logs. */
export function formatCoverage(c: CoverageSummary): string[] {
  const list = (counts: Readonly<Record<string, number>>, total?: number) =>
    Object.entries(counts)
      .map(([k, n]) => `${k} ${total ? `${percent(n, total)}` : n.toLocaleString("en-US")}`)
      .join(" · ") || "none";
  const goals = Object.entries(c.goals).map(([g, n]) => `${g} in ${counted(n, "run")} (${percent(n, c.runs)})`);
  return [
    `${counted(c.runs, "run")}, ${counted(c.steps, "step")}, ${c.time.toLocaleString("en-US")} virtual ms`,
    `endings     ${list(c.endings)}`,
    `kinds       ${list(c.kinds, c.steps)}`,
    `faults      ${list(c.faults)}`,
    `components  ${list(c.components, c.steps)}`,
    `actions     ${list(c.actions)}`,
    ...(c.neverTaken.length ? [`never taken ${c.neverTaken.join(", ")}`] : []),
    ...(goals.length ? [`goals       ${goals.join(" · ")}`] : []),
    ...Object.entries(c.missed).map(([e, n]) => `missed      ${e} found no enabled action in ${counted(n, "run")}`),
  ];
}

function percent(n: number, total: number): string {
  const p = (100 * n) / total;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
