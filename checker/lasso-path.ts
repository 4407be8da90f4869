// A lasso through the graph, as edges: a stem from where the obligation starts to a fair component,
// and a closed walk round the component that satisfies fairness — it takes one edge of every task
// the component takes, visits a node where each task it never takes is disabled, and visits an
// accepting node if one is asked for. Every leg is a breadth-first shortest path inside the region.

import type { Fairness } from "../ioa/index.ts";
import { emptyCensus, maskOf, takeCensus, type FairComponent } from "./fair-component.ts";
import type { Graph } from "./state-graph.ts";

export interface Path {
  readonly from: number;
  readonly edges: readonly number[];
  readonly to: number;
}

/** A shortest path inside `inside` from one of `sources` to a node that `isGoal`, or undefined. */
export function shortestPath(graph: Graph, inside: Uint8Array, sources: Iterable<number>, isGoal: (v: number) => boolean): Path | undefined {
  const via = new Map<number, number>();
  const queue: number[] = [];
  for (const s of sources) {
    if (!inside[s] || via.has(s)) continue;
    via.set(s, -1);
    queue.push(s);
  }
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    if (isGoal(v)) return { from: rootOf(graph, via, v), edges: edgesTo(graph, via, v), to: v };
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const w = graph.targets[e]!;
      if (!inside[w] || via.has(w)) continue;
      via.set(w, e);
      queue.push(w);
    }
  }
  return undefined;
}

/** The source of each edge, found by binary search over the rows. */
export function sourceOf(graph: Graph, e: number): number {
  let lo = 0;
  let hi = graph.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (graph.offsets[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function edgesTo(graph: Graph, via: Map<number, number>, v: number): number[] {
  const edges: number[] = [];
  for (let e = via.get(v)!; e >= 0; e = via.get(sourceOf(graph, e))!) edges.push(e);
  return edges.reverse();
}

function rootOf(graph: Graph, via: Map<number, number>, v: number): number {
  let n = v;
  for (let e = via.get(n)!; e >= 0; e = via.get(n)!) n = sourceOf(graph, e);
  return n;
}

type Stop = { readonly edge: number } | { readonly node: number };

/** A closed walk from `entry` round the component that is fair (see the file's comment); empty for a terminal node. */
export function fairCycle(graph: Graph, component: FairComponent, entry: number, fairness: Fairness, accepting?: Uint8Array): number[] {
  if (component.terminal) return [];
  const inside = maskOf(graph.nodeCount, component.nodes);
  const stops = cycleStops(graph, component, inside, fairness, accepting);
  if (!stops.some((s) => "edge" in s)) stops.push({ edge: innerEdgeOf(graph, entry, inside) });
  const walk: number[] = [];
  let at = entry;
  const goTo = (goal: number) => {
    const leg = shortestPath(graph, inside, [at], (v) => v === goal)!;
    walk.push(...leg.edges);
    at = goal;
  };
  for (const stop of stops) {
    if ("node" in stop) goTo(stop.node);
    else {
      goTo(sourceOf(graph, stop.edge));
      walk.push(stop.edge);
      at = graph.targets[stop.edge]!;
    }
  }
  goTo(entry);
  return walk;
}

function cycleStops(graph: Graph, component: FairComponent, inside: Uint8Array, fairness: Fairness, accepting?: Uint8Array): Stop[] {
  const stops: Stop[] = [];
  const acceptingNode = accepting && component.nodes.find((v) => accepting[v] === 1);
  if (acceptingNode !== undefined) stops.push({ node: acceptingNode });
  if (fairness === "none") return stops;
  const componentOf = Int32Array.from(inside, (x) => (x ? 0 : -1));
  const census = emptyCensus(graph.taskNames.length);
  takeCensus(graph, component.nodes, componentOf, 0, census);
  const { enabledAt, takenInside } = census;
  for (let t = 0; t < enabledAt.length; t++) {
    if (!graph.fairTasks[t] || enabledAt[t] === 0) continue;
    if (takenInside[t]) stops.push({ edge: innerEdgeOfTask(graph, component.nodes, inside, t) });
    else stops.push({ node: component.nodes.find((v) => !enables(graph, v, t))! });
  }
  return stops;
}

function enables(graph: Graph, v: number, task: number): boolean {
  for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) if (graph.tasks[e] === task) return true;
  return false;
}

function innerEdgeOf(graph: Graph, v: number, inside: Uint8Array): number {
  for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) if (inside[graph.targets[e]!]) return e;
  throw new Error("internal error: a node of a cyclic component without an edge inside it");
}

function innerEdgeOfTask(graph: Graph, nodes: Int32Array, inside: Uint8Array, task: number): number {
  for (const v of nodes) {
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) if (graph.tasks[e] === task && inside[graph.targets[e]!]) return e;
  }
  throw new Error("internal error: a task taken inside a component without an edge of it");
}
