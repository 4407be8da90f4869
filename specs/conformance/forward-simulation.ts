// Checking a forward simulation from an implementation to a specification, the IOA way: the user
// gives an abstraction function from implementation states to specification states, and every
// transition of the implementation must be matched by the specification. A start state maps to a
// start state; an external action moves the abstract state by the same action of the
// specification, possibly with internal specification steps before and after it; an internal
// action moves it by internal specification steps only (or leaves it alone). If every reachable
// transition passes, every trace of the implementation is a trace of the specification.
//
// It is a transition property (`everyTransition`), so the model checker judges every transition
// it explores; a failure names the action and says how the abstract states differ.

import {
  diffValues,
  everyTransition,
  fingerprintString,
  formatAction,
  formatChange,
  Violation,
  type Action,
  type Automaton,
  type TransitionProperty,
  type Value,
} from "../../ioa/index.ts";

export interface SimulationOptions {
  /** At most this many specification states are searched to match one transition (internal steps). */
  readonly maxStates?: number;
}

export function forwardSimulation<S, A extends Action, T, B extends Action>(
  implementation: Automaton<S, A>,
  specification: Automaton<T, B>,
  abstraction: (s: S) => T,
  options: SimulationOptions = {},
): TransitionProperty<S, A> {
  const maxStates = options.maxStates ?? 10_000;
  const key = (x: T) => fingerprintString(x as Value);
  const implStarts = new Set(implementation.startStates().map((s) => fingerprintString(s as Value)));
  const specStarts = new Set(specification.startStates().map(key));
  const spec = specification.name;

  /** The specification states reachable from `from` by internal steps (itself included). */
  const internalClosure = (from: readonly T[]): Map<string, T> => {
    const seen = new Map(from.map((x) => [key(x), x]));
    const queue = [...from];
    for (let i = 0; i < queue.length && seen.size < maxStates; i++) {
      const enabled: B[] = [];
      specification.enabled(queue[i]!, enabled);
      for (const b of enabled) {
        if (specification.roleOf(b) !== "internal") continue;
        const next = specification.step(queue[i]!, b);
        const k = key(next);
        if (!seen.has(k)) {
          seen.set(k, next);
          queue.push(next);
        }
      }
    }
    return seen;
  };

  const changes = (x: T, y: T) =>
    diffValues(x as Value, y as Value, "")
      .slice(0, 4)
      .map((c) => formatChange(c, { maxLength: 80 }))
      .join("; ");

  return everyTransition((before, a, after) => {
    const x = abstraction(before);
    const y = abstraction(after);
    if (implStarts.has(fingerprintString(before as Value)) && !specStarts.has(key(x))) {
      return new Violation(`the abstraction of a start state is not a start state of ${spec}`);
    }
    const role = implementation.roleOf(a);
    if (role === "internal") {
      if (internalClosure([x]).has(key(y))) return undefined;
      return new Violation(`${formatAction(a)} is internal, so the abstract state may change only by internal steps of ${spec}, but it changes: ${changes(x, y)}`);
    }
    const b = a as unknown as B;
    const specRole = specification.roleOf(b);
    if (specRole !== "input" && specRole !== "output") return new Violation(`${formatAction(a)} is external here, but not an external action of ${spec}`);
    const ready = [...internalClosure([x]).values()].filter((z) => specification.why(z, b) === undefined);
    if (ready.length === 0) return new Violation(`after ${formatAction(a)}, ${spec} should take it too, but refuses it: ${specification.why(x, b)}`);
    if (internalClosure(ready.map((z) => specification.step(z, b))).has(key(y))) return undefined;
    const direct = specification.why(x, b) === undefined ? specification.step(x, b) : specification.step(ready[0]!, b);
    return new Violation(`after ${formatAction(a)}, the abstract state is not where ${spec} goes (abstraction → ${spec}): ${changes(y, direct)}`);
  }, `every transition is matched by ${spec} through the abstraction`);
}
