// The length of a shortest execution that reaches a state where `bad` holds, by breadth-first
// search: the independent reference a shrunk counterexample's length is compared with.

import { enabledActions, fingerprintString, type Action, type Automaton, type Value } from "../../ioa/index.ts";

export function shortestViolation<S, A extends Action>(automaton: Automaton<S, A>, bad: (s: S) => boolean, limit = 1_000_000): number | undefined {
  const seen = new Set<string>();
  let frontier = [...automaton.startStates()];
  for (let depth = 0; frontier.length > 0 && seen.size < limit; depth++) {
    const next: S[] = [];
    for (const s of frontier) {
      if (bad(s)) return depth;
      for (const a of enabledActions(automaton, s)) {
        const t = automaton.step(s, a);
        const key = fingerprintString(t as Value);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(t);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}
