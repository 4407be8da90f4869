// Strongly connected components of the subgraph induced by a set of nodes: Tarjan's algorithm,
// iterative (the graphs have millions of nodes; recursion would overflow the stack), over typed
// arrays allocated once per graph. Strong fairness asks for components of ever smaller node sets,
// many times over, so a set is given by stamps (node v is inside when stamp[v] === mark) and every
// run touches only the nodes it visits: linear in the subgraph, not in the graph.

import type { Graph } from "./state-graph.ts";

export class ComponentFinder {
  /** Per node: its component in the last run, or -1 (reset by `forget`). */
  readonly componentOf: Int32Array;
  /** The last run's components, one after another: component c is order[starts[c]] .. order[starts[c + 1] - 1]. */
  readonly order: Int32Array;
  readonly starts: number[] = [0];
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly callNode: Int32Array;
  private readonly callEdge: Int32Array;

  constructor(private readonly graph: Graph) {
    const n = graph.nodeCount;
    this.componentOf = new Int32Array(n).fill(-1);
    this.order = new Int32Array(n);
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callNode = new Int32Array(n);
    this.callEdge = new Int32Array(n);
  }

  get count(): number {
    return this.starts.length - 1;
  }

  nodes(c: number): Int32Array {
    return this.order.subarray(this.starts[c]!, this.starts[c + 1]!);
  }

  /** Finds the components of the nodes stamped `mark`, searching from `roots` (which must cover them). */
  run(stamp: Int32Array, mark: number, roots: ArrayLike<number>): void {
    const { offsets, targets } = this.graph;
    const { index, low, onStack, stack, callNode, callEdge, componentOf, order } = this;
    this.starts.length = 1;
    let sp = 0;
    let done = 0;
    let next = 0;
    for (let r = 0; r < roots.length; r++) {
      const root = roots[r]!;
      if (stamp[root] !== mark || index[root] !== -1) continue;
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
          if (stamp[w] !== mark) continue;
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
          const c = this.starts.length - 1;
          for (let k = start; k < sp; k++) {
            const w = stack[k]!;
            onStack[w] = 0;
            componentOf[w] = c;
            order[done++] = w;
          }
          this.starts.push(done);
          sp = start;
        }
        depth--;
        if (depth >= 0) {
          const parent = callNode[depth]!;
          if (low[v]! < low[parent]!) low[parent] = low[v]!;
        }
      }
    }
  }

  /** Makes the last run's nodes unvisited again, so that a later run may search subsets of them. */
  forget(): void {
    const end = this.starts[this.starts.length - 1]!;
    for (let k = 0; k < end; k++) {
      const v = this.order[k]!;
      this.index[v] = -1;
      this.componentOf[v] = -1;
    }
  }
}
