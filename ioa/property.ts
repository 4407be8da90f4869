// Properties of executions, shared by the checker, the simulator and runtime trace validation.
//
//  - always:    an invariant, true in every reachable state;
//  - sometimes: a goal, true in at least one reachable state (reported with a witness);
//  - trace:     a monitor of external actions that rejects bad traces (safety properties of
//               services: the hook the specifications plug into);
//  - quiescent: true in every reachable state where nothing is enabled (liveness at quiescence:
//               "once everything has settled, every message was delivered");
//  - transition: a judgement of every transition taken (how a forward simulation is checked).

import type { Action } from "./action.ts";
import type { Value } from "./value.ts";

/** A monitor rejected the trace: which property, and why, in words a person can act on. */
export class Violation {
  constructor(readonly message: string) {}
}

/**
 * When a monitor can judge (after Chockler, Keidar and Vitenberg's checkability classes):
 *  - "online":     every violation shows on the event that causes it;
 *  - "pair":       a violation shows once both of two related events have happened (still online);
 *  - "end":        judged on a finished run only (`finish`), e.g. "every view eventually connects";
 *  - "quiescence": liveness judged once nothing is enabled (`finish` at a quiescent state).
 */
export type Checkability = "online" | "pair" | "end" | "quiescence";

/**
 * A deterministic monitor over external actions. Its state is a value, so that explorers can
 * fingerprint it together with the automaton's state.
 */
export interface Monitor<A extends Action = Action, M extends Value = Value> {
  readonly start: M;
  /** The monitor state after `a`, or a Violation if the trace so far is bad. */
  step(m: M, a: A): M | Violation;
  /** Online by default; "end" and "quiescence" monitors judge in `finish`. */
  readonly checkability?: Checkability;
  /** Judges a finished run (or a quiescent state): a Violation, or undefined if it is fine. */
  finish?(m: M): Violation | undefined;
}

interface Described {
  readonly description?: string | undefined;
}

export interface Invariant<S> extends Described {
  readonly kind: "always";
  holds(s: S): boolean;
  /** Says what is wrong in a state where the invariant fails. */
  explain?(s: S): string;
}

export interface Goal<S> extends Described {
  readonly kind: "sometimes";
  holds(s: S): boolean;
}

export interface TraceProperty<A extends Action> extends Described {
  readonly kind: "trace";
  readonly monitor: Monitor<A>;
}

export interface QuiescentProperty<S> extends Described {
  readonly kind: "quiescent";
  holds(s: S): boolean;
  explain?(s: S): string;
}

export interface TransitionProperty<S, A extends Action> extends Described {
  readonly kind: "transition";
  /** Judges one transition: a Violation if it is bad, undefined if it is fine. */
  check(before: S, a: A, after: S): Violation | undefined;
}

export type Property<S, A extends Action> = Invariant<S> | Goal<S> | TraceProperty<A> | QuiescentProperty<S> | TransitionProperty<S, A>;
export type Properties<S, A extends Action> = { readonly [name: string]: Property<S, A> };

export function always<S>(holds: (s: S) => boolean, description?: string, explain?: (s: S) => string): Invariant<S> {
  return { kind: "always", holds, description, ...(explain && { explain }) };
}

export function sometimes<S>(holds: (s: S) => boolean, description?: string): Goal<S> {
  return { kind: "sometimes", holds, description };
}

export function traceMonitor<A extends Action>(monitor: Monitor<A>, description?: string): TraceProperty<A> {
  return { kind: "trace", monitor, description };
}

export function atQuiescence<S>(holds: (s: S) => boolean, description?: string, explain?: (s: S) => string): QuiescentProperty<S> {
  return { kind: "quiescent", holds, description, ...(explain && { explain }) };
}

export function everyTransition<S, A extends Action>(
  check: (before: S, a: A, after: S) => Violation | undefined,
  description?: string,
): TransitionProperty<S, A> {
  return { kind: "transition", check, description };
}
