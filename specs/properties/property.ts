// A catalogue property: a named, deterministic monitor of group actions, with a one-line statement
// of what it means and when it can be judged.
//
// The monitor passes over every action that is not a group action (explorers feed monitors all the
// external actions of a composition). Its state is a canonical value, kept small, because the
// model checker fingerprints it together with the automaton's state; a monitor that returns its
// state unchanged returns the same object.

import type { Action, Checkability, Monitor, Type, Value } from "../../ioa/index.ts";
import { isGroupAction, type GroupAction } from "../group.ts";
import type { GroupViolation } from "../violation.ts";

export interface CatalogueProperty {
  /** The name monitors and reports use: `noDuplication`. */
  readonly name: string;
  /** The reference notes' number: `I2`. */
  readonly id: string;
  /** What it means, in one line. */
  readonly statement: string;
  /** When a violation can be seen: on the event (online), on the second of two events (pair), at the end of a run, or at quiescence. */
  readonly checkability: Checkability;
  /** Where it comes from (Chockler–Keidar–Vitenberg, Fekete–Lynch–Shvartsman, extended virtual synchrony). */
  readonly source: string;
  /** The monitor for a group of n processes. */
  monitor(n: number): Monitor<Action, Value>;
}

export interface PropertyDefinition<S extends Value> {
  readonly name: string;
  readonly id: string;
  readonly statement: string;
  readonly checkability: Checkability;
  readonly source: string;
  start(n: number): S;
  /** The type of its states for a group of n (process ids as `groupTypes(n).P`), so that symmetry reduction can rename them. */
  type?(n: number): Type<S>;
  step(s: S, a: GroupAction<Value>, n: number): S | GroupViolation;
  /** End and quiescence properties: the judgement of a finished run. */
  finish?(s: S, n: number): GroupViolation | undefined;
  /**
   * For a property whose state never changes (it judges each event alone): the group actions it
   * judges, so that explorers do not call it vacuous where such actions happened.
   */
  readonly judges?: readonly GroupAction<Value>["name"][];
}

export function groupProperty<S extends Value>(definition: PropertyDefinition<S>): CatalogueProperty {
  const { start, step, finish, judges, type, ...about } = definition;
  return {
    ...about,
    monitor: (n) => ({
      start: start(n),
      checkability: about.checkability,
      step: (s: Value, a: Action) => (isGroupAction(a) ? step(s as S, a, n) : s),
      ...(finish && { finish: (s: Value) => finish(s as S, n) }),
      ...(judges && { concerns: (a: Action) => isGroupAction(a) && judges.includes(a.name) }),
      ...(type && { type: type(n) as Type<Value> }),
    }),
  };
}
