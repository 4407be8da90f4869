// The scheduler interface: at every step of a run, which of the ready actions happens next.
//
// The simulator offers the scheduler the actions that are ready at the current virtual time (the
// enabled steps, and the deliveries and timers whose time has come); faults are the fault plan's
// business, except that a scheduler may rule fault types out of a run (swarm testing). A scheduler
// is pluggable: anything with this shape can be passed to `simulate`, or named on the command line
// as a module whose default export is a Scheduler.

import type { Action, ActionDetails, Random } from "../ioa/index.ts";

export interface SchedulerContext {
  /** The run's own randomness: a scheduler draws only from it, so that the run replays from its seed. */
  readonly random: Random;
  /** The run's step bound. */
  readonly steps: number;
}

/** What a scheduler may ask about the candidates of one step. */
export interface CandidateView<A extends Action = Action> {
  /** The action's thread of control: its process when its details name one, else its fairness task. */
  thread(a: A): string;
  details(a: A): ActionDetails;
  /** How many actions the run has taken so far. */
  readonly step: number;
  /** The virtual time. */
  readonly now: number;
}

export interface RunScheduler {
  /** The index, in `candidates` (never empty), of the action to take. */
  choose<A extends Action>(candidates: readonly A[], view: CandidateView<A>): number;
  /** May the fault plan inject faults of this type in this run? Without this method, every type may. */
  allowsFault?(fault: string): boolean;
}

export interface Scheduler {
  /** How the scheduler is named on the command line and in reports (`pct:3`). */
  readonly name: string;
  /** A fresh scheduler for one run. */
  begin(context: SchedulerContext): RunScheduler;
}

export function isScheduler(x: unknown): x is Scheduler {
  const s = x as Scheduler | undefined;
  return typeof s === "object" && s !== null && typeof s.name === "string" && typeof s.begin === "function";
}
