// The search for a fair cycle in a region of the reachable graph: the heart of liveness checking.
//
// An infinite execution that stays in a region ends up going round one strongly connected component
// of it. Going round *all* of a component C, every node and every edge, is the fairest way to stay
// in C, so C harbours a fair execution exactly when that tour is fair:
//  - weak fairness: every task enabled at every node of C is taken by some edge inside C;
//  - strong fairness: every task enabled at some node of C is taken inside C. If not, no fair run
//    may visit the nodes where such a task is enabled: remove them and search what is left
//    (the Emerson–Lei refinement, as in Streett-emptiness checking);
//  - none: any cycle will do.
// A node where nothing is enabled is fair on its own: a maximal execution may end there.
// `accepting`, when given, asks for a component that also contains one of its nodes (for
// "eventually always p": a fair cycle that visits ¬p).

import type { Fairness } from "../ioa/index.ts";
import { ComponentFinder } from "./scc.ts";
import type { Graph } from "./state-graph.ts";

export interface FairComponent {
  readonly nodes: Int32Array;
  /** True for a single node where nothing is enabled: the execution ends there. */
  readonly terminal: boolean;
}

/** Per task, over the nodes of a component: at how many nodes it is enabled, and whether an edge inside takes it. */
export interface TaskCensus {
  readonly enabledAt: Int32Array;
  readonly takenInside: Uint8Array;
  /** Scratch: the last node at which each task was counted. */
  readonly seenAt: Int32Array;
}

export function findFairComponent(graph: Graph, region: Uint8Array, fairness: Fairness, accepting?: Uint8Array): FairComponent | undefined {
  const finder = new ComponentFinder(graph);
  const census = emptyCensus(graph.taskNames.length);
  const stamp = new Int32Array(graph.nodeCount);
  const regionNodes: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (region[v]) regionNodes.push(v), (stamp[v] = 1);
  const work: { mark: number; roots: ArrayLike<number> }[] = [{ mark: 1, roots: regionNodes }];
  let marks = 1;
  while (work.length > 0) {
    const { mark, roots } = work.pop()!;
    finder.run(stamp, mark, roots);
    const refinements: Int32Array[] = [];
    for (let c = 0; c < finder.count; c++) {
      const nodes = finder.nodes(c);
      if (accepting && !nodes.some((v) => accepting[v] === 1)) continue;
      if (nodes.length === 1 && isTerminal(graph, nodes[0]!)) return { nodes: nodes.slice(), terminal: true };
      if (!hasInnerEdge(graph, nodes, finder.componentOf, c)) continue;
      if (fairness === "none") return { nodes: nodes.slice(), terminal: false };
      takeCensus(graph, nodes, finder.componentOf, c, census);
      if (fairness === "weak") {
        if (weaklyFair(graph, census, nodes.length)) return { nodes: nodes.slice(), terminal: false };
        continue;
      }
      const keep = nodesWithoutUnfairTasks(graph, nodes, census);
      if (keep === undefined) return { nodes: nodes.slice(), terminal: false };
      if (keep.length > 0) refinements.push(keep);
    }
    finder.forget();
    for (const keep of refinements) {
      marks++;
      for (const v of keep) stamp[v] = marks;
      work.push({ mark: marks, roots: keep });
    }
  }
  return undefined;
}

export function isTerminal(graph: Graph, v: number): boolean {
  return graph.offsets[v] === graph.offsets[v + 1];
}

export function hasInnerEdge(graph: Graph, nodes: Int32Array, componentOf: Int32Array, c: number): boolean {
  for (const v of nodes) {
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) if (componentOf[graph.targets[e]!] === c) return true;
  }
  return false;
}

export function emptyCensus(tasks: number): TaskCensus {
  return { enabledAt: new Int32Array(tasks), takenInside: new Uint8Array(tasks), seenAt: new Int32Array(tasks) };
}

/** Counts, into `census`, the tasks enabled at and taken inside component `c` (whose nodes `componentOf` marks `c`). */
export function takeCensus(graph: Graph, nodes: Int32Array, componentOf: Int32Array, c: number, census: TaskCensus): void {
  const { enabledAt, takenInside, seenAt } = census;
  enabledAt.fill(0);
  takenInside.fill(0);
  seenAt.fill(-1);
  for (const v of nodes) {
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const t = graph.tasks[e]!;
      if (seenAt[t] !== v) {
        seenAt[t] = v;
        enabledAt[t]!++;
      }
      if (componentOf[graph.targets[e]!] === c) takenInside[t] = 1;
    }
  }
}

function weaklyFair(graph: Graph, { enabledAt, takenInside }: TaskCensus, size: number): boolean {
  for (let t = 0; t < enabledAt.length; t++) {
    if (graph.fairTasks[t] && enabledAt[t] === size && !takenInside[t]) return false;
  }
  return true;
}

/** Undefined if the component is strongly fair; else its nodes where no task it never takes is enabled. */
function nodesWithoutUnfairTasks(graph: Graph, nodes: Int32Array, { enabledAt, takenInside }: TaskCensus): Int32Array | undefined {
  const starved = new Uint8Array(enabledAt.length);
  let any = false;
  for (let t = 0; t < enabledAt.length; t++) {
    if (graph.fairTasks[t] && enabledAt[t]! > 0 && !takenInside[t]) {
      starved[t] = 1;
      any = true;
    }
  }
  if (!any) return undefined;
  return nodes.filter((v) => {
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) if (starved[graph.tasks[e]!]) return false;
    return true;
  });
}

export function maskOf(n: number, nodes: Iterable<number>): Uint8Array {
  const mask = new Uint8Array(n);
  for (const v of nodes) mask[v] = 1;
  return mask;
}
