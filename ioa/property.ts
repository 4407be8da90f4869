// Properties of executions, shared by the checker, the simulator and runtime trace validation.
//
//  - always:    an invariant, true in every reachable state;
//  - sometimes: a goal, true in at least one reachable state (reported with a witness);
//  - trace:     a monitor of external actions that rejects bad traces (safety properties of
//               services: the hook the specifications plug into);
//  - quiescent: true in every reachable state where nothing is enabled (liveness at quiescence:
//               "once everything has settled, every message was delivered");
//  - transition: a judgement of every transition taken (how a forward simulation is checked);
//  - leads-to:  always (trigger ⇒ eventually response), over infinite (or maximal) executions;
//  - eventually-always: from some point on, a predicate holds forever.
// The last two are liveness properties: judged under fairness of the automaton's tasks (weak by
// default; strong where asked; none to see why fairness is needed), over maximal executions — a
// finite execution that ends where nothing is enabled counts too, since nothing more can happen.

import type { Action } from "./action.ts";
import type { Type } from "./types.ts";
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
  /**
   * Whether `a` is an action the monitor judges. Explorers call a property that judged no action
   * vacuous; by default a monitor judged an action when it left its state, which a monitor with
   * nothing to remember (a check of each event alone) never does: such a monitor says here which
   * actions it judges.
   */
  concerns?(a: A): boolean;
  /**
   * The type of its states, declaring the process ids in them with the model's own `t.ids`: then
   * symmetry reduction renames them with the processes (an untyped monitor rules `--symmetry` out).
   */
  readonly type?: Type<M>;
}

/** Whether `monitor`, which went from `before` to `after` on `a`, judged `a` (so that it holds of the run non-vacuously). */
export function monitorJudged<A extends Action, M extends Value>(monitor: Monitor<A, M>, before: M, after: M, a: A): boolean {
  return after !== before || (monitor.concerns?.(a) ?? false);
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

/**
 * Which executions a liveness property is judged on:
 *  - "weak":   a task continuously enabled is eventually taken (the IOA notion of a fair execution);
 *  - "strong": a task enabled infinitely often is taken infinitely often (fair loss needs this);
 *  - "none":   every execution, however unfair.
 * Fault actions (kind "fault") are never forced by fairness: the environment may stop injecting them.
 */
export type Fairness = "weak" | "strong" | "none";

export interface LeadsTo<S> extends Described {
  readonly kind: "leads-to";
  /** When this holds and `response` does not, an obligation starts. */
  trigger(s: S): boolean;
  /** Discharges the obligation. */
  response(s: S): boolean;
  readonly fairness: Fairness;
  /** Says what is still pending in a state of the counterexample's cycle. */
  explain?(s: S): string;
}

export interface EventuallyAlways<S> extends Described {
  readonly kind: "eventually-always";
  holds(s: S): boolean;
  readonly fairness: Fairness;
  explain?(s: S): string;
}

export type LivenessProperty<S> = LeadsTo<S> | EventuallyAlways<S>;

export interface LivenessOptions<S> {
  readonly fairness?: Fairness;
  readonly explain?: (s: S) => string;
}

export type Property<S, A extends Action> =
  | Invariant<S>
  | Goal<S>
  | TraceProperty<A>
  | QuiescentProperty<S>
  | TransitionProperty<S, A>
  | LeadsTo<S>
  | EventuallyAlways<S>;
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

/** always (trigger ⇒ eventually response): every obligation the trigger starts is discharged. */
export function leadsTo<S>(trigger: (s: S) => boolean, response: (s: S) => boolean, description?: string, options: LivenessOptions<S> = {}): LeadsTo<S> {
  const { fairness = "weak", explain } = options;
  return { kind: "leads-to", trigger, response, fairness, description, ...(explain && { explain }) };
}

/** eventually always holds: every (fair) execution reaches a point after which `holds` never fails. */
export function eventuallyAlways<S>(holds: (s: S) => boolean, description?: string, options: LivenessOptions<S> = {}): EventuallyAlways<S> {
  const { fairness = "weak", explain } = options;
  return { kind: "eventually-always", holds, fairness, description, ...(explain && { explain }) };
}

export function isLiveness<S, A extends Action>(p: Property<S, A>): p is LivenessProperty<S> {
  return p.kind === "leads-to" || p.kind === "eventually-always";
}
