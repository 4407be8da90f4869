// Breadth-first search: level by level, so the first violation found has a shortest counterexample.

import type { Action, Value } from "../ioa/index.ts";
import type { Search, Sink } from "./search.ts";

/** One BFS level, as parallel arrays (no object per state). */
class Level<S> implements Sink<S> {
  readonly states: S[] = [];
  readonly monitors: (readonly Value[] | undefined)[] = [];
  readonly nodes: number[] = [];

  push(state: S, monitors: readonly Value[] | undefined, node: number): void {
    this.states.push(state);
    this.monitors.push(monitors);
    this.nodes.push(node);
  }
}

export async function breadthFirst<S, A extends Action>(search: Search<S, A>): Promise<void> {
  let level = new Level<S>();
  search.start(level);
  const maxDepth = search.options.maxDepth ?? Infinity;
  for (let depth = 0; level.states.length > 0 && !search.done; depth++) {
    if (depth >= maxDepth) {
      search.stopped ??= "max-depth";
      return;
    }
    const next = new Level<S>();
    for (let i = 0; i < level.states.length; i++) {
      search.expand(level.states[i]!, level.monitors[i], level.nodes[i]!, next);
      if (search.done || ((i & 255) === 255 && (await search.pause(level.states.length - i + next.states.length, depth)))) return;
    }
    if (next.states.length > 0) search.maxDepth = depth + 1;
    level = next;
  }
}
