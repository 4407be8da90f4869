// The automaton interface: what the checker, the simulator and the runtime explore or execute.
//
// An automaton has a state type, start states, a signature, and transitions written the IOA way:
// a locally controlled action (output or internal) happens only when its precondition holds; an
// input action is always enabled. Transitions are deterministic — nondeterminism lives in which
// action is taken and with which parameters — so an execution replays from its actions alone.

import type { Action, ActionDetails, ActionInfo, Role } from "./action.ts";
import type { Type } from "./types.ts";

export interface Automaton<S = unknown, A extends Action = Action> {
  readonly name: string;
  readonly stateType: Type<S>;
  /** The signature by action name. Per-owner membership is decided by `roleOf`. */
  readonly actions: ReadonlyMap<string, ActionInfo>;
  /** The start states (at least one). */
  startStates(): readonly S[];
  /** Pushes every locally controlled action enabled in `s` onto `out`, always in the same order. */
  enabled(s: S, out: A[]): void;
  /** The state after `a`. `a` must be in the signature and, if locally controlled, enabled in `s`. */
  step(s: S, a: A): S;
  /** Why `a` cannot happen in `s`: not in the signature, a bad parameter, a false precondition. */
  why(s: S, a: A): string | undefined;
  /** The role of this very action (its owner considered), or undefined if it is not in the signature. */
  roleOf(a: A): Role | undefined;
  /** The fairness task a locally controlled action belongs to. */
  task(a: A): string;
  /** What this action means to schedulers and charts (its kind, process, peer, message, delay, fault). */
  details(a: A): ActionDetails;
}

/** The state type of an automaton. */
export type StateOf<X> = X extends Automaton<infer S, Action> ? S : never;
/** The action type of an automaton. */
export type ActionOf<X> = X extends Automaton<unknown, infer A> ? A : never;

/** The locally controlled actions enabled in `s`, as a new array. */
export function enabledActions<S, A extends Action>(automaton: Automaton<S, A>, s: S): A[] {
  const out: A[] = [];
  automaton.enabled(s, out);
  return out;
}
