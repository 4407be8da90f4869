// The law of the fair-cycle search: on small random graphs, findFairComponent finds a fair
// component exactly when a brute-force search over every strongly connected set of edges finds a
// fair lasso, and the cycle it builds is itself fair.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findFairComponent, isTerminal } from "../../checker/fair-component.ts";
import { fairCycle, sourceOf } from "../../checker/lasso-path.ts";
import type { Graph } from "../../checker/state-graph.ts";
import type { Fairness } from "../../ioa/index.ts";

type Edge = readonly [from: number, to: number, task: number];

function graphOf(n: number, edges: readonly Edge[], fair: readonly boolean[]): Graph {
  const sorted = [...edges].sort((x, y) => x[0] - y[0]);
  const offsets = new Int32Array(n + 1);
  for (const [from] of sorted) offsets[from + 1]!++;
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  return {
    nodeCount: n,
    offsets,
    targets: Int32Array.from(sorted, (e) => e[1]),
    tasks: Int32Array.from(sorted, (e) => e[2]),
    ordinals: Int32Array.from(sorted, (_, i) => i),
    fairTasks: Uint8Array.from(fair, (f) => (f ? 1 : 0)),
    taskNames: fair.map((_, i) => `t${i}`),
  };
}

/** Whether going round exactly `edges` (and their nodes) forever is fair and stays where asked. */
function fairTour(g: Graph, edges: readonly number[], fairness: Fairness, region: Uint8Array, accepting?: Uint8Array): boolean {
  const nodes = new Set(edges.flatMap((e) => [sourceOf(g, e), g.targets[e]!]));
  if ([...nodes].some((v) => !region[v])) return false;
  if (accepting && ![...nodes].some((v) => accepting[v])) return false;
  if (fairness === "none") return true;
  const taken = new Set(edges.map((e) => g.tasks[e]!));
  const enabledAt = (v: number) => new Set(Array.from(g.tasks.subarray(g.offsets[v]!, g.offsets[v + 1]!)));
  return g.taskNames.every((_, task) => {
    if (!g.fairTasks[task] || taken.has(task)) return true;
    const enabled = [...nodes].filter((v) => enabledAt(v).has(task));
    return fairness === "weak" ? enabled.length < nodes.size : enabled.length === 0;
  });
}

function stronglyConnected(g: Graph, edges: readonly number[]): boolean {
  const nodes = [...new Set(edges.flatMap((e) => [sourceOf(g, e), g.targets[e]!]))];
  const reach = (from: number) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) {
      const v = stack.pop()!;
      for (const e of edges) if (sourceOf(g, e) === v && !seen.has(g.targets[e]!)) seen.add(g.targets[e]!), stack.push(g.targets[e]!);
    }
    return seen;
  };
  return nodes.every((v) => reach(v).size === nodes.length);
}

function bruteForce(g: Graph, fairness: Fairness, region: Uint8Array, accepting?: Uint8Array): boolean {
  for (let v = 0; v < g.nodeCount; v++) if (region[v] && isTerminal(g, v) && (!accepting || accepting[v])) return true;
  const m = g.targets.length;
  for (let subset = 1; subset < 1 << m; subset++) {
    const edges = Array.from({ length: m }, (_, e) => e).filter((e) => subset & (1 << e));
    if (stronglyConnected(g, edges) && fairTour(g, edges, fairness, region, accepting)) return true;
  }
  return false;
}

const graphArb = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), tasks: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, tasks }) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(tasks - 1)), { maxLength: 8 }),
      fair: fc.array(fc.boolean(), { minLength: tasks, maxLength: tasks }),
      region: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      accepting: fc.option(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { nil: undefined }),
      fairness: fc.constantFrom<Fairness>("weak", "strong", "none"),
    }),
  );

describe("the fair-component search", () => {
  it("agrees with a brute-force lasso search on small random graphs, and its cycle is fair", () => {
    fc.assert(
      fc.property(graphArb, ({ n, edges, fair, region, accepting, fairness }) => {
        const unique = [...new Map(edges.map((e) => [e.join(), e])).values()];
        const g = graphOf(n, unique, fair);
        const inside = Uint8Array.from(region, (r) => (r ? 1 : 0));
        const acc = accepting && Uint8Array.from(accepting, (a) => (a ? 1 : 0));
        const found = findFairComponent(g, inside, fairness, acc);
        expect(found !== undefined).toBe(bruteForce(g, fairness, inside, acc));
        if (!found || found.terminal) return;
        const cycle = fairCycle(g, found, found.nodes[0]!, fairness, acc);
        expect(cycle.length).toBeGreaterThan(0);
        cycle.forEach((e, i) => expect(sourceOf(g, e)).toBe(i === 0 ? found.nodes[0] : g.targets[cycle[i - 1]!]));
        expect(g.targets[cycle[cycle.length - 1]!]).toBe(found.nodes[0]);
        expect(fairTour(g, cycle, fairness, inside, acc)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
