// Random walks: one execution, choosing uniformly among the enabled locally controlled actions at
// each step. A walk is the simplest way to see an automaton move, and the first test of a model.

import type { Action } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { TroupeError, ValueError } from "./errors.ts";
import type { Execution } from "./execution.ts";
import { formatAction } from "./format.ts";
import { Random } from "./random.ts";
import { assertType } from "./types.ts";

export interface WalkOptions {
  /** At most this many steps. */
  readonly steps: number;
  readonly seed: number;
  /** Check every state against the state type (default true); a bad state names the step and the path. */
  readonly validate?: boolean;
}

export interface Walk<S, A extends Action> extends Execution<S, A> {
  readonly seed: number;
  /** Why the walk ended: the step bound, or no action was enabled. */
  readonly ended: "steps" | "quiescent";
}

export class StepError extends TroupeError {
  override name = "StepError";
}

export function walk<S, A extends Action>(automaton: Automaton<S, A>, options: WalkOptions): Walk<S, A> {
  const random = Random.seeded(options.seed);
  const validate = options.validate ?? true;
  const states: S[] = [random.pick(automaton.startStates())];
  const actions: A[] = [];
  const enabled: A[] = [];
  while (actions.length < options.steps) {
    const s = states[states.length - 1]!;
    enabled.length = 0;
    automaton.enabled(s, enabled);
    if (enabled.length === 0) return { states, actions, seed: options.seed, ended: "quiescent" };
    const a = random.pick(enabled);
    const next = automaton.step(s, a);
    if (validate) checkStep(automaton, next, actions.length + 1, a);
    actions.push(a);
    states.push(next);
  }
  return { states, actions, seed: options.seed, ended: "steps" };
}

function checkStep<S, A extends Action>(automaton: Automaton<S, A>, s: S, step: number, a: A): void {
  try {
    assertType(automaton.stateType, s, "state");
  } catch (e) {
    if (e instanceof ValueError) throw new StepError(`step ${step}, ${formatAction(a)}: ${e.message}`);
    throw e;
  }
}
