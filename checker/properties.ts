// The model's properties, sorted by where the search evaluates them: invariants on every new
// state, goals on every new state until reached, monitors on every external action (their state
// travels with the automaton's), quiescence properties and monitor endings where nothing is
// enabled, transition properties on every transition; liveness properties label every new state,
// and are judged on the recorded graph once the search is over (liveness.ts).

import {
  type Action,
  type Fairness,
  type Goal,
  type Invariant,
  type LivenessProperty,
  type Monitor,
  type Properties,
  type QuiescentProperty,
  type TransitionProperty,
  type Value,
} from "../ioa/index.ts";
import { DefinitionError, isLiveness } from "../ioa/index.ts";

export type Named<P> = { readonly name: string; readonly property: P };

export interface PropertyPlan<S, A extends Action> {
  readonly invariants: readonly Named<Invariant<S>>[];
  readonly goals: readonly Named<Goal<S>>[];
  readonly monitors: readonly Named<Monitor<A>>[];
  readonly quiescent: readonly Named<QuiescentProperty<S>>[];
  readonly transitions: readonly Named<TransitionProperty<S, A>>[];
  readonly liveness: readonly Named<LivenessProperty<S>>[];
  readonly names: readonly string[];
}

export function planProperties<S, A extends Action>(properties: Properties<S, A>, only?: readonly string[]): PropertyPlan<S, A> {
  const unknown = only?.find((n) => !(n in properties));
  if (unknown !== undefined) {
    const known = Object.keys(properties);
    throw new DefinitionError(`no property "${unknown}"; the model's properties are ${known.length ? known.join(", ") : "none"}`);
  }
  const chosen = Object.entries(properties).filter(([name]) => !only || only.includes(name));
  const pick = <K extends string, P>(kind: K) => chosen.flatMap(([name, p]) => (p.kind === kind ? [{ name, property: p as P }] : []));
  return {
    invariants: pick<"always", Invariant<S>>("always"),
    goals: pick<"sometimes", Goal<S>>("sometimes"),
    monitors: chosen.flatMap(([name, p]) => (p.kind === "trace" ? [{ name, property: p.monitor }] : [])),
    quiescent: pick<"quiescent", QuiescentProperty<S>>("quiescent"),
    transitions: pick<"transition", TransitionProperty<S, A>>("transition"),
    liveness: chosen.flatMap(([name, p]) => (isLiveness(p) ? [{ name, property: p }] : [])),
    names: chosen.map(([name]) => name),
  };
}

/** The plan with every liveness property judged under `fairness` (unchanged when it is undefined). */
export function withFairness<S, A extends Action>(plan: PropertyPlan<S, A>, fairness: Fairness | undefined): PropertyPlan<S, A> {
  if (fairness === undefined) return plan;
  return { ...plan, liveness: plan.liveness.map(({ name, property }) => ({ name, property: { ...property, fairness } })) };
}

export interface Broken {
  readonly property: string;
  readonly message: string;
}

export function brokenInvariant<S>(plan: PropertyPlan<S, Action>, s: S): Broken | undefined {
  for (const { name, property } of plan.invariants) {
    if (!property.holds(s)) return { property: name, message: property.explain?.(s) ?? property.description ?? "it does not hold" };
  }
  return undefined;
}

export function brokenTransition<S, A extends Action>(plan: PropertyPlan<S, A>, before: S, a: A, after: S): Broken | undefined {
  for (const { name, property } of plan.transitions) {
    const v = property.check(before, a, after);
    if (v) return { property: name, message: v.message };
  }
  return undefined;
}

/** At a state where nothing is enabled: quiescence properties and the endings of monitors. */
export function brokenAtQuiescence<S>(plan: PropertyPlan<S, Action>, s: S, monitorStates: readonly Value[] | undefined): Broken | undefined {
  for (const { name, property } of plan.quiescent) {
    if (!property.holds(s)) return { property: name, message: property.explain?.(s) ?? property.description ?? "it does not hold at quiescence" };
  }
  if (!monitorStates) return undefined;
  for (let i = 0; i < plan.monitors.length; i++) {
    const { name, property } = plan.monitors[i]!;
    const v = property.finish?.(monitorStates[i]!);
    if (v) return { property: name, message: v.message };
  }
  return undefined;
}

export function isBroken(x: readonly Value[] | Broken): x is Broken {
  return !Array.isArray(x);
}
