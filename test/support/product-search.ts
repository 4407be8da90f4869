// A deliberately simple breadth-first search of a model's product with its trace monitors: the
// automaton's state together with every monitor's state, so that a monitor judges every trace the
// automaton can produce. It also checks invariants, transition properties, and (where nothing is
// enabled) quiescence properties and monitor endings. It stands in for `troupe check` in tests,
// and is the independent count the checker's is compared with.

import {
  enabledActions,
  fingerprintString,
  typedFingerprintInto,
  Violation,
  type Action,
  type Invariant,
  type ModelInstance,
  type Monitor,
  type QuiescentProperty,
  type TransitionProperty,
  type Value,
} from "../../ioa/index.ts";

export interface ProductResult {
  /** Distinct states of the automaton reached. */
  readonly states: number;
  /** Distinct (state, monitor states) pairs reached. */
  readonly productStates: number;
  readonly transitions: number;
  /** The first property broken, with the shortest execution that breaks it (its actions). */
  readonly violation?: { readonly property: string; readonly message: string; readonly actions: readonly Action[] };
}

interface Node {
  readonly s: Value;
  readonly monitors: readonly Value[];
  readonly parent: number;
  readonly action: Action | undefined;
}

export interface SearchOptions {
  /** Stop after this many product states. */
  readonly limit?: number;
  /** Breadth first (shortest counterexamples, the default) or depth first (a counterexample sooner). */
  readonly order?: "bfs" | "dfs";
}

export function productSearch(instance: ModelInstance, options: SearchOptions = {}): ProductResult {
  const limit = options.limit ?? 2_000_000;
  const aut = instance.automaton;
  const props = Object.entries(instance.properties);
  const pick = <P>(kind: string) => props.filter(([, p]) => p.kind === kind) as [string, P][];
  const monitors = props.flatMap(([name, p]) => (p.kind === "trace" ? [[name, p.monitor] as [string, Monitor<Action>]] : []));
  const invariants = pick<Invariant<unknown>>("always");
  const quiescent = pick<QuiescentProperty<unknown>>("quiescent");
  const transitions = pick<TransitionProperty<unknown, Action>>("transition");

  const nodes: Node[] = [];
  const seen = new Set<string>();
  const states = new Set<string>();
  let transitionCount = 0;
  const path = (i: number) => {
    const actions: Action[] = [];
    for (let k = i; nodes[k]!.action; k = nodes[k]!.parent) actions.unshift(nodes[k]!.action!);
    return actions;
  };
  const result = (violation?: ProductResult["violation"]): ProductResult => ({ states: states.size, productStates: seen.size, transitions: transitionCount, ...(violation && { violation }) });
  const lanes = new Int32Array(2);
  const add = (node: Node) => {
    typedFingerprintInto(aut.stateType, node.s, lanes, 0);
    const state = `${lanes[0]}:${lanes[1]}`;
    const key = `${state}|${fingerprintString(node.monitors as Value)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    states.add(state);
    nodes.push(node);
    return true;
  };

  for (const s of aut.startStates()) add({ s: s as Value, monitors: monitors.map(([, m]) => m.start), parent: -1, action: undefined });
  // Breadth first: nodes in discovery order are the queue. Depth first: a stack of node indices.
  const stack = nodes.map((_, i) => i);
  const dfs = options.order === "dfs";
  for (let head = 0; (dfs ? stack.length > 0 : head < nodes.length) && seen.size < limit; head++) {
    const i = dfs ? stack.pop()! : head;
    const { s, monitors: ms } = nodes[i]!;
    const broken = invariants.find(([, inv]) => !inv.holds(s));
    if (broken) return result({ property: broken[0], message: broken[1].explain?.(s) ?? broken[1].description ?? "", actions: path(i) });
    const enabled = enabledActions(aut, s);
    if (enabled.length === 0) {
      const stuck = quiescent.find(([, q]) => !q.holds(s));
      if (stuck) return result({ property: stuck[0], message: stuck[1].explain?.(s) ?? stuck[1].description ?? "", actions: path(i) });
      for (let k = 0; k < monitors.length; k++) {
        const v = monitors[k]![1].finish?.(ms[k]!);
        if (v) return result({ property: monitors[k]![0], message: v.message, actions: path(i) });
      }
    }
    for (const a of enabled) {
      transitionCount++;
      const next = aut.step(s, a) as Value;
      for (const [name, tp] of transitions) {
        const v = tp.check(s, a, next);
        if (v) return result({ property: name, message: v.message, actions: [...path(i), a] });
      }
      const role = aut.roleOf(a);
      let after = ms;
      if (role === "input" || role === "output") {
        after = [];
        for (let k = 0; k < monitors.length; k++) {
          const m = monitors[k]![1].step(ms[k]!, a);
          if (m instanceof Violation) return result({ property: monitors[k]![0], message: m.message, actions: [...path(i), a] });
          (after as Value[]).push(m);
        }
      }
      if (add({ s: next, monitors: after, parent: i, action: a }) && dfs) stack.push(nodes.length - 1);
    }
  }
  return result();
}
