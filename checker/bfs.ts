// Breadth-first search: level by level, so the first violation found has a shortest counterexample.

import type { Action, Value } from "../ioa/index.ts";
import type { Search, Sink } from "./search.ts";

/**
 * One BFS level, as parallel arrays (no object per state); `lanes` what the node keys keep per
 * state, `width` each. Two levels take turns: the one just expanded is cleared and filled with
 * the level after next, keeping its grown lanes buffer.
 */
class Level<S> implements Sink<S> {
  states: S[] = [];
  monitors: (readonly Value[] | undefined)[] = [];
  nodes: number[] = [];
  lanes: Int32Array;

  constructor(readonly width: number) {
    this.lanes = new Int32Array(width * 64);
  }

  /** Empties the level (fresh arrays: the states it held may be collected). */
  clear(): void {
    this.states = [];
    this.monitors = [];
    this.nodes = [];
  }

  push(state: S, monitors: readonly Value[] | undefined, node: number, lanes: Int32Array): void {
    const at = this.states.length * this.width;
    this.states.push(state);
    this.monitors.push(monitors);
    this.nodes.push(node);
    if (this.width === 0) return;
    if (at + this.width > this.lanes.length) {
      const grown = new Int32Array(this.lanes.length * 2);
      grown.set(this.lanes);
      this.lanes = grown;
    }
    this.lanes.set(lanes, at);
  }
}

export async function breadthFirst<S, A extends Action>(search: Search<S, A>): Promise<void> {
  const width = search.keys.width;
  let level = new Level<S>(width);
  let next = new Level<S>(width);
  search.start(level);
  const maxDepth = search.options.maxDepth ?? Infinity;
  for (let depth = 0; level.states.length > 0 && !search.done; depth++) {
    if (depth >= maxDepth) {
      search.stopped ??= "max-depth";
      return;
    }
    next.clear();
    for (let i = 0; i < level.states.length; i++) {
      search.expand(level.states[i]!, level.monitors[i], level.nodes[i]!, next, level.lanes, i * width);
      if (search.done || ((i & 255) === 255 && (await search.pause(level.states.length - i + next.states.length, depth)))) return;
    }
    if (next.states.length > 0) search.maxDepth = depth + 1;
    [level, next] = [next, level];
  }
}
