// A breadth-first search over typed fingerprints, faster than naive-search.ts, for models with
// hundreds of thousands of states: it checks invariants in every state and quiescent properties
// where nothing is enabled, and stops at the first violation with the path that leads to it.

import { typedFingerprintInto, type Action, type Automaton } from "../../ioa/index.ts";

export interface SearchResult<S, A extends Action> {
  readonly states: number;
  readonly transitions: number;
  readonly quiescent: number;
  /** The first state breaking a check, the actions that lead to it from a start state, and the check's name. */
  readonly violation?: { readonly check: string; readonly state: S; readonly path: readonly A[] };
  /** The search stopped at the state limit. */
  readonly truncated: boolean;
}

export interface SearchChecks<S> {
  readonly always?: { readonly [name: string]: (s: S) => boolean };
  readonly atQuiescence?: { readonly [name: string]: (s: S) => boolean };
}

export function search<S, A extends Action>(automaton: Automaton<S, A>, checks: SearchChecks<S> = {}, limit = 5_000_000): SearchResult<S, A> {
  const out = new Int32Array(2);
  const key = (s: S) => {
    typedFingerprintInto(automaton.stateType, s, out, 0);
    return `${out[0]},${out[1]}`;
  };
  const parents = new Map<string, { readonly from: string | undefined; readonly action: A | undefined }>();
  const queue: { readonly s: S; readonly k: string }[] = [];
  const always = Object.entries(checks.always ?? {});
  const quiet = Object.entries(checks.atQuiescence ?? {});
  let transitions = 0;
  let quiescent = 0;
  const path = (k: string): A[] => {
    const actions: A[] = [];
    for (let at = parents.get(k); at?.action !== undefined; at = parents.get(at.from!)) actions.unshift(at.action);
    return actions;
  };
  const broken = (s: S, k: string, list: [string, (s: S) => boolean][]) => {
    const failed = list.find(([, holds]) => !holds(s));
    return failed && { check: failed[0], state: s, path: path(k) };
  };
  for (const s of automaton.startStates()) {
    const k = key(s);
    if (parents.has(k)) continue;
    parents.set(k, { from: undefined, action: undefined });
    queue.push({ s, k });
  }
  const enabled: A[] = [];
  for (let i = 0; i < queue.length; i++) {
    const { s, k } = queue[i]!;
    queue[i] = undefined as never;
    const violation = broken(s, k, always);
    if (violation) return { states: parents.size, transitions, quiescent, violation, truncated: false };
    enabled.length = 0;
    automaton.enabled(s, enabled);
    if (enabled.length === 0) {
      quiescent++;
      const stuck = broken(s, k, quiet);
      if (stuck) return { states: parents.size, transitions, quiescent, violation: stuck, truncated: false };
    }
    for (const a of enabled) {
      transitions++;
      const next = automaton.step(s, a);
      if (next === s) continue;
      const nk = key(next);
      if (parents.has(nk)) continue;
      parents.set(nk, { from: k, action: a });
      queue.push({ s: next, k: nk });
      if (parents.size >= limit) return { states: parents.size, transitions, quiescent, truncated: true };
    }
  }
  return { states: parents.size, transitions, quiescent, truncated: false };
}
