// The execution and the choices of a run as it grows, with the model's properties judged at every
// step. An exception the model (or a property) throws is a failure of the model, named as such,
// never a crash of the simulator.

import { formatAction, type Action } from "../ioa/index.ts";
import { MODEL_ERROR, type Failure } from "./properties.ts";
import type { Choice, Run, Simulation } from "./run.ts";

/** The execution and choices of a run so far, with the properties checked as it grows. */
export class Trail<S, A extends Action> {
  readonly states: S[];
  readonly actions: A[] = [];
  readonly choices: Choice<A>[] = [];
  failure: Failure | undefined;

  constructor(
    private readonly simulation: Simulation<S, A>,
    start: S,
  ) {
    this.states = [start];
    this.failure = guard(0, undefined, () => simulation.checker.begin(start));
  }

  get state(): S {
    return this.states[this.states.length - 1]!;
  }

  /** Fills `out` with the enabled actions; false if the model threw (a failure). */
  enabled(out: A[]): boolean {
    out.length = 0;
    // try/catch in place rather than `guard`: no closure on the path every step takes.
    try {
      this.simulation.automaton.enabled(this.state, out);
    } catch (e) {
      this.failure = modelError(this.actions.length, undefined, e);
    }
    return this.failure === undefined;
  }

  take(a: A, time: number, why: Pick<Choice<A>, "cause" | "instead">): void {
    const before = this.state;
    const index = this.actions.length + 1;
    try {
      const after = this.simulation.automaton.step(before, a);
      this.states.push(after);
      this.actions.push(a);
      this.choices.push(why.instead === undefined ? { action: a, time, cause: why.cause } : { action: a, time, cause: why.cause, instead: why.instead });
      this.failure = this.simulation.checker.step(before, a, after, index);
    } catch (e) {
      this.failure = modelError(index, a, e);
    }
  }

  finish(seed: number, quiescent: boolean, missed: readonly string[]): Run<S, A> {
    this.failure ??= guard(this.actions.length, undefined, () => this.simulation.checker.end(this.state, quiescent, this.actions.length));
    const ended = this.failure ? "violation" : quiescent ? "quiescent" : "steps";
    const run = { seed, execution: { states: this.states, actions: this.actions }, choices: this.choices, ended, goals: this.simulation.checker.reachedGoals(), missed } as const;
    return this.failure ? { ...run, failure: this.failure } : run;
  }
}

/** Runs a step of the model or of a property; an exception is a failure of the model, not of the simulator. */
function guard(step: number, a: Action | undefined, body: () => Failure | undefined): Failure | undefined {
  try {
    return body();
  } catch (e) {
    return modelError(step, a, e);
  }
}

/** An exception the model (or a property) threw, at this step, as a failure. */
function modelError(step: number, a: Action | undefined, e: unknown): Failure {
  const where = a ? `${formatAction(a)} threw` : "the model threw";
  return { property: MODEL_ERROR, kind: "error", step, message: `${where}: ${e instanceof Error ? e.message : String(e)}` };
}

