// How each visited state was first reached: its parent and the ordinal of the action taken (its
// position among the parent's enabled actions). Eight bytes a state. A path is rebuilt by replaying
// those ordinals from a start state, so every counterexample is a real execution of the model —
// also under symmetry reduction, where the set holds representatives but the trail holds steps.

import type { Action, Automaton, Execution } from "../ioa/index.ts";

/** Parents below zero name start states: -1 is the first start state, -2 the second, … */
export const startNode = (index: number): number => -1 - index;

export class Trail {
  private parents: Int32Array = new Int32Array(1 << 16);
  private ordinals: Int32Array = new Int32Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.parents.byteLength + this.ordinals.byteLength;
  }

  /** Records a new node reached from `parent` by its `ordinal`-th enabled action; returns the node. */
  add(parent: number, ordinal: number): number {
    if (this.count === this.parents.length) {
      this.parents = grown(this.parents);
      this.ordinals = grown(this.ordinals);
    }
    this.parents[this.count] = parent;
    this.ordinals[this.count] = ordinal;
    return this.count++;
  }

  /** The start-state index and the ordinals leading to `node`. */
  path(node: number): { start: number; ordinals: number[] } {
    const ordinals: number[] = [];
    let n = node;
    while (this.parents[n]! >= 0) {
      ordinals.push(this.ordinals[n]!);
      n = this.parents[n]!;
    }
    return { start: -1 - this.parents[n]!, ordinals: ordinals.reverse() };
  }
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Replays a path of ordinals into an execution. */
export function replayOrdinals<S, A extends Action>(automaton: Automaton<S, A>, start: number, ordinals: readonly number[]): Execution<S, A> {
  const states: S[] = [automaton.startStates()[start]!];
  const actions: A[] = [];
  const enabled: A[] = [];
  for (const k of ordinals) {
    const s = states[states.length - 1]!;
    enabled.length = 0;
    automaton.enabled(s, enabled);
    const a = enabled[k];
    if (a === undefined) throw new Error(`internal error: the model's enabled actions changed during replay (no action ${k} of ${enabled.length})`);
    actions.push(a);
    states.push(automaton.step(s, a));
  }
  return { states, actions };
}
