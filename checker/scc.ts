// Strongly connected components of the subgraph induced by a set of nodes: Tarjan's algorithm,
// iterative (the graphs have millions of nodes; recursion would overflow the stack), over typed
// arrays. Linear in the nodes and edges of the subgraph.

import type { Graph } from "./state-graph.ts";

export interface Components {
  /** Per node: its component, or -1 if the node is outside the subgraph. */
  readonly componentOf: Int32Array;
  /** The nodes of each component. */
  readonly members: readonly Int32Array[];
}

/** The components of the subgraph of `graph` induced by the nodes `inside` marks. */
export function stronglyConnectedComponents(graph: Graph, inside: Uint8Array, roots: Iterable<number> = allNodes(graph.nodeCount)): Components {
  const n = graph.nodeCount;
  const { offsets, targets } = graph;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const members: Int32Array[] = [];
  let sp = 0;
  let next = 0;
  for (const root of roots) {
    if (!inside[root] || index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = offsets[root]!;
    index[root] = low[root] = next++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth]!;
      const e = callEdge[depth]!;
      if (e < offsets[v + 1]!) {
        callEdge[depth] = e + 1;
        const w = targets[e]!;
        if (!inside[w]) continue;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[++depth] = w;
          callEdge[depth] = offsets[w]!;
        } else if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      if (low[v] === index[v]) {
        let start = sp;
        do start--;
        while (stack[start] !== v);
        const component = stack.slice(start, sp);
        for (const w of component) {
          onStack[w] = 0;
          componentOf[w] = members.length;
        }
        members.push(component);
        sp = start;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return { componentOf, members };
}

function* allNodes(n: number): Generator<number> {
  for (let v = 0; v < n; v++) yield v;
}
