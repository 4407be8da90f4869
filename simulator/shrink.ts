// Shrinking a failing run to a minimal one, with fast-check's shrinking machinery.
//
// The run is handed to fast-check as the one example of a property over arrays of choices — "this
// sequence of choices does not break the property" — and fast-check's array shrinker does the
// rest: it removes choices (runs of them, then one at a time) and simplifies each one, replays,
// and keeps what still fails. Removing a choice drops a step or a fault from the run; simplifying
// a message fault turns it back into the delivery it stood in for. A replay skips choices that are
// no longer enabled, so whatever fast-check proposes is an execution of the model; it counts as
// failing when the same property breaks.
//
// A failure at quiescence is judged after the replay settles the run (run.ts): then the last
// choices are the ones settling redoes, so the choices go to fast-check in reverse, and the runs
// it removes first (its array shrinker cuts from the front) are the last of the run. A safety
// failure ends the run where it happens, and the first choices are the likeliest to be noise.

import fc from "fast-check";
import type { Action } from "../ioa/index.ts";
import { counted } from "./plural.ts";
import type { Choice, Run, Simulation } from "./run.ts";

export interface ShrinkOptions {
  /** Stop accepting smaller runs once this many steps have been replayed in all (default 2,000,000). */
  readonly budget?: number;
}

export interface Shrunk<S, A extends Action> {
  /** The minimal failing run found: it replays, and breaks the same property. */
  readonly run: Run<S, A>;
  readonly originalLength: number;
  readonly shrunkLength: number;
  /** Of the shrunk run's steps, those it chose (the rest settle a run that failed at quiescence). */
  readonly chosen: number;
  /** Replays tried, and how many smaller runs were kept. */
  readonly replays: number;
  readonly shrinks: number;
}

export const DEFAULT_SHRINK_BUDGET = 2_000_000;

export class ShrinkError extends Error {
  override name = "ShrinkError";
}

export function shrinkRun<S, A extends Action>(simulation: Simulation<S, A>, failing: Run<S, A>, options: ShrinkOptions = {}): Shrunk<S, A> {
  const failure = failing.failure;
  if (failure === undefined) throw new ShrinkError("only a failing run can be shrunk");
  const start = failing.execution.states[0]!;
  const settle = failure.kind === "quiescent";
  const budget = options.budget ?? DEFAULT_SHRINK_BUDGET;
  let replayed = 0;
  let replays = 0;
  const replay = (choices: readonly Choice<A>[]) => {
    replays++;
    // Settling a candidate takes no longer than the whole failing run did.
    const run = simulation.replay(start, choices, failing.seed, { settle, settleSteps: failing.execution.actions.length });
    replayed += run.execution.actions.length + 1;
    return run;
  };
  const stillFails = (run: Run<S, A>) => run.failure?.property === failure.property;
  if (!stillFails(replay(failing.choices))) {
    throw new ShrinkError(`the failing run (seed ${failing.seed}) does not fail again when replayed: are the model's transitions deterministic?`);
  }
  const orient = (choices: readonly Choice<A>[]) => (settle ? [...choices].reverse() : [...choices]);
  // A smaller run is one that still fails and is no longer than the last kept (settling a run can
  // take more steps than the run it replaces did).
  let longest = failing.execution.actions.length;
  const smaller = (candidate: readonly Choice<A>[]) => {
    const run = replay(orient(candidate));
    if (!stillFails(run) || run.execution.actions.length > longest) return false;
    longest = run.execution.actions.length;
    return true;
  };
  const choices = fc.array(new ChoiceArbitrary(failing.choices), { maxLength: failing.choices.length });
  const details = fc.check(
    fc.property(choices, (candidate) => replayed > budget || !smaller(candidate)),
    { examples: [[orient(failing.choices)]], numRuns: 1, seed: 0 },
  );
  const minimal = details.counterexample ? orient(details.counterexample[0]!) : failing.choices;
  const run = replay(minimal);
  const chosen = run.choices.filter((c) => c.cause !== "settle").length;
  return { run, originalLength: failing.execution.actions.length, shrunkLength: run.execution.actions.length, chosen, replays, shrinks: details.numShrinks };
}

/**
 * One recorded choice, as fast-check sees it: never generated afresh (the run is the only
 * example), and simplified in the one way that keeps it meaningful anywhere in a run — a message
 * fault becomes the delivery it preempted.
 */
class ChoiceArbitrary<A extends Action> extends fc.Arbitrary<Choice<A>> {
  constructor(private readonly recorded: readonly Choice<A>[]) {
    super();
  }

  generate(mrng: fc.Random): fc.Value<Choice<A>> {
    return new fc.Value(this.recorded[mrng.nextInt(0, this.recorded.length - 1)]!, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is Choice<A> {
    return typeof value === "object" && value !== null && "action" in value;
  }

  shrink(choice: Choice<A>): fc.Stream<fc.Value<Choice<A>>> {
    if (choice.instead === undefined) return fc.Stream.nil();
    return fc.Stream.of(new fc.Value({ action: choice.instead, time: choice.time, cause: "scheduler" as const }, undefined));
  }
}

/** "5 steps", or for a run settled to quiescence "106 steps: 4 chosen, then 102 that settle the run". */
export function describeShrunk<S, A extends Action>(shrunk: Shrunk<S, A>): string {
  const settled = shrunk.shrunkLength - shrunk.chosen;
  return settled === 0 ? counted(shrunk.shrunkLength, "step") : `${counted(shrunk.shrunkLength, "step")}: ${shrunk.chosen} chosen, then ${settled} that settle the run`;
}
