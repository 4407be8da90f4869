// Random small automata over a shared alphabet of parameterless actions, for testing the laws of
// composition and hiding against a brute-force exploration.

import fc from "fast-check";
import { automaton, enabledActions, fingerprintString, t, type Action, type Automaton, type Role, type Value } from "../../ioa/index.ts";

export const ALPHABET = ["a", "b", "c", "d", "e"] as const;
const STATES = 3;

export interface ActionSpec {
  readonly role: Role;
  readonly next: readonly number[];
  readonly enabledIn: readonly boolean[];
}
export interface AutomatonSpec {
  readonly start: number;
  readonly actions: { readonly [name: string]: ActionSpec };
}

/** Three compatible automata: each action has at most one controller; internal actions are private. */
export const systemArb: fc.Arbitrary<AutomatonSpec[]> = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: -1, max: 2 }), fc.boolean(), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 })), {
      minLength: ALPHABET.length,
      maxLength: ALPHABET.length,
    }),
    fc.array(fc.array(fc.integer({ min: 0, max: STATES - 1 }), { minLength: STATES, maxLength: STATES }), { minLength: 15, maxLength: 15 }),
    fc.array(fc.array(fc.boolean(), { minLength: STATES, maxLength: STATES }), { minLength: 15, maxLength: 15 }),
    fc.array(fc.integer({ min: 0, max: STATES - 1 }), { minLength: 3, maxLength: 3 }),
  )
  .map(([plan, nexts, enables, starts]) => {
    const specs = starts.map((start) => ({ start, actions: {} as Record<string, ActionSpec> }));
    ALPHABET.forEach((name, k) => {
      const [controller, internal, inputs] = plan[k]!;
      specs.forEach((spec, i) => {
        const table = { next: nexts[k * 3 + i]!, enabledIn: enables[k * 3 + i]! };
        if (i === controller) spec.actions[name] = { role: internal && !inputs.some((x, j) => x && j !== i) ? "internal" : "output", ...table };
        else if (inputs[i] && !(controller >= 0 && internal && !inputs.some((x, j) => x && j !== controller))) spec.actions[name] = { role: "input", ...table };
      });
    });
    return specs;
  });

export function build(name: string, spec: AutomatonSpec): Automaton<{ x: number }, Action> {
  let d = automaton(name, { x: t.int(0, STATES - 1) }).start({ x: spec.start }) as ReturnType<typeof automaton<{ x: ReturnType<typeof t.int> }>>;
  for (const [action, a] of Object.entries(spec.actions)) {
    const next = (s: { x: number }) => ({ x: a.next[s.x]! });
    if (a.role === "input") d = d.input(action, {}, { next }) as typeof d;
    else d = d[a.role](action, {}, { pre: (s) => a.enabledIn[s.x]!, next }) as typeof d;
  }
  return d as unknown as Automaton<{ x: number }, Action>;
}

/** The reachable transition system, with states rendered by `view` (to compare compositions). */
export function explore<S>(aut: Automaton<S, Action>, view: (s: S) => Value, limit = 10_000): Set<string> {
  const edges = new Set<string>();
  const seen = new Set<string>();
  const queue = [...aut.startStates()];
  queue.forEach((s) => seen.add(fingerprintString(view(s))));
  for (const s of aut.startStates()) edges.add(`start ${JSON.stringify(view(s))}`);
  while (queue.length > 0 && seen.size < limit) {
    const s = queue.shift()!;
    for (const a of enabledActions(aut, s)) {
      const n = aut.step(s, a);
      edges.add(`${JSON.stringify(view(s))} ${a.name}:${aut.roleOf(a)} ${JSON.stringify(view(n))}`);
      const key = fingerprintString(view(n));
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(n);
      }
    }
  }
  return edges;
}
