// The reachable graph, recorded while the search runs, for liveness checking: every transition as
// (from, to, task, ordinal) in growable typed arrays — sixteen bytes an edge, no objects — and,
// once the search is over, the same edges grouped by source node (compressed sparse rows).
//
// Each node also carries, per liveness property, what its predicates said there (liveness.ts).
//
// Tasks are interned as small integers. A task whose actions are faults is not fair: fairness never
// obliges the environment to lose, duplicate or crash anything.

import type { Action, Automaton, LivenessProperty } from "../ioa/index.ts";
import { labelOf } from "./liveness.ts";

/** The graph by source node: node n's edges are offsets[n] .. offsets[n + 1] - 1. */
export interface Graph {
  readonly nodeCount: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly tasks: Int32Array;
  /** Each edge's action, as its position among the enabled actions of its source (for replay). */
  readonly ordinals: Int32Array;
  /** Per task: 1 if fairness constrains it, 0 for fault tasks. */
  readonly fairTasks: Uint8Array;
  readonly taskNames: readonly string[];
}

export class StateGraph<S, A extends Action> {
  private from = new Int32Array(1 << 16);
  private to = new Int32Array(1 << 16);
  private task = new Int32Array(1 << 16);
  private ordinal = new Int32Array(1 << 16);
  private edges = 0;
  private readonly taskIds = new Map<string, number>();
  /**
   * Task ids by action object: automata that enumerate a fixed domain hand out the same action
   * objects every time, so most lookups skip building the task's name. Weak, so that automata
   * which make fresh actions do not fill memory with them.
   */
  private readonly taskByAction = new WeakMap<A, number>();
  private readonly taskNames: string[] = [];
  private readonly fair: boolean[] = [];
  /** Per liveness property, per node: its label. */
  labels: Uint8Array[];

  constructor(
    private readonly automaton: Automaton<S, A>,
    private readonly properties: readonly LivenessProperty<S>[],
  ) {
    this.labels = properties.map(() => new Uint8Array(1 << 16));
  }

  /** Records what the liveness properties say of node `node`, state `s`. */
  label(node: number, s: S): void {
    if (node >= this.labels[0]!.length) this.labels = this.labels.map((l) => grownBytes(l, node));
    for (let i = 0; i < this.properties.length; i++) this.labels[i]![node] = labelOf(this.properties[i]!, s);
  }

  get edgeCount(): number {
    return this.edges;
  }

  get bytes(): number {
    return this.from.byteLength * 4 + this.labels.reduce((sum, l) => sum + l.byteLength, 0);
  }

  addEdge(from: number, to: number, a: A, ordinal: number): void {
    if (this.edges === this.from.length) this.grow();
    const e = this.edges++;
    this.from[e] = from;
    this.to[e] = to;
    this.task[e] = this.taskOf(a);
    this.ordinal[e] = ordinal;
  }

  private taskOf(a: A): number {
    const cached = this.taskByAction.get(a);
    if (cached !== undefined) return cached;
    const id = this.taskNamed(a);
    this.taskByAction.set(a, id);
    return id;
  }

  private taskNamed(a: A): number {
    const name = this.automaton.task(a);
    const known = this.taskIds.get(name);
    if (known !== undefined) return known;
    const id = this.taskNames.length;
    this.taskIds.set(name, id);
    this.taskNames.push(name);
    this.fair.push(this.automaton.details(a).kind !== "fault");
    return id;
  }

  private grow(): void {
    const twice = (x: Int32Array) => {
      const y = new Int32Array(x.length * 2);
      y.set(x);
      return y;
    };
    this.from = twice(this.from);
    this.to = twice(this.to);
    this.task = twice(this.task);
    this.ordinal = twice(this.ordinal);
  }

  /** The edges grouped by source (a counting sort: stable, so each node keeps its ordinal order). */
  freeze(nodeCount: number): Graph {
    const m = this.edges;
    const offsets = new Int32Array(nodeCount + 1);
    for (let e = 0; e < m; e++) offsets[this.from[e]! + 1]!++;
    for (let n = 0; n < nodeCount; n++) offsets[n + 1]! += offsets[n]!;
    const cursor = offsets.slice(0, nodeCount);
    const targets = new Int32Array(m);
    const tasks = new Int32Array(m);
    const ordinals = new Int32Array(m);
    for (let e = 0; e < m; e++) {
      const k = cursor[this.from[e]!]!++;
      targets[k] = this.to[e]!;
      tasks[k] = this.task[e]!;
      ordinals[k] = this.ordinal[e]!;
    }
    return { nodeCount, offsets, targets, tasks, ordinals, fairTasks: Uint8Array.from(this.fair, (f) => (f ? 1 : 0)), taskNames: this.taskNames };
  }
}

function grownBytes(a: Uint8Array, index: number): Uint8Array {
  let length = a.length;
  while (length <= index) length *= 2;
  const b = new Uint8Array(length);
  b.set(a);
  return b;
}
