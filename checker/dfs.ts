// Depth-first search: memory for the visited set and the current path only. Counterexamples are
// real but not necessarily shortest.

import type { Action, Value } from "../ioa/index.ts";
import type { Search, Sink } from "./search.ts";

interface Frame<S, A> {
  readonly state: S;
  readonly monitors: readonly Value[] | undefined;
  readonly node: number;
  actions: A[] | undefined;
  next: number;
}

export async function depthFirst<S, A extends Action>(search: Search<S, A>): Promise<void> {
  const stack: Frame<S, A>[] = [];
  const sink: Sink<S> = { push: (state, monitors, node) => void stack.push({ state, monitors, node, actions: undefined, next: 0 }) };
  const roots: Frame<S, A>[] = [];
  search.start({ push: (state, monitors, node) => void roots.push({ state, monitors, node, actions: undefined, next: 0 }) });
  const maxDepth = search.options.maxDepth ?? Infinity;
  let steps = 0;
  let pruned = false;
  for (const root of roots.reverse()) {
    stack.push(root);
    while (stack.length > 0 && !search.done) {
      const top = stack[stack.length - 1]!;
      const depth = stack.length - 1;
      if (top.actions === undefined) {
        if (depth > search.maxDepth) search.maxDepth = depth;
        if (depth >= maxDepth) {
          pruned = true;
          stack.pop();
          continue;
        }
        top.actions = search.enabledAt(top.state, top.monitors, top.node);
      }
      if (top.next < top.actions.length) {
        const k = top.next++;
        search.transition(top.state, top.monitors, top.node, top.actions[k]!, k, sink);
      } else stack.pop();
      if ((++steps & 1023) === 0 && (await search.pause(stack.length, depth))) return;
    }
    if (search.done) return;
  }
  // The depth bound cut some paths: the search was not exhaustive.
  if (pruned) search.stopped ??= "max-depth";
}
