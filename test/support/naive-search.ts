// A deliberately simple breadth-first search (strings of generic fingerprints in a Set): the
// reference that faster explorers are compared with.

import { enabledActions, fingerprintString, type Action, type Automaton, type Value } from "../../ioa/index.ts";

export interface NaiveResult<S> {
  /** Distinct reachable states. */
  readonly states: S[];
  /** Start states plus every transition taken (TLC's "states generated"). */
  readonly generated: number;
  /** Reachable states with nothing enabled. */
  readonly quiescent: S[];
}

/** Explores breadth-first; stops early at the first state satisfying `stopWhen`, if given. */
export function naiveSearch<S, A extends Action>(automaton: Automaton<S, A>, stopWhen?: (s: S) => boolean, limit = 1_000_000): NaiveResult<S> {
  const seen = new Map<string, S>();
  const quiescent: S[] = [];
  const queue: S[] = [];
  let generated = 0;
  for (const s of automaton.startStates()) {
    generated++;
    const key = fingerprintString(s as Value);
    if (!seen.has(key)) {
      seen.set(key, s);
      queue.push(s);
    }
  }
  for (let i = 0; i < queue.length && seen.size < limit; i++) {
    const s = queue[i]!;
    const enabled = enabledActions(automaton, s);
    if (enabled.length === 0) quiescent.push(s);
    for (const a of enabled) {
      generated++;
      const next = automaton.step(s, a);
      const key = fingerprintString(next as Value);
      if (!seen.has(key)) {
        seen.set(key, next);
        queue.push(next);
        if (stopWhen?.(next)) return { states: [...seen.values()], generated, quiescent };
      }
    }
  }
  return { states: [...seen.values()], generated, quiescent };
}
