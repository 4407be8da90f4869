// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
// every thread of control gets a random priority, the highest-priority ready thread always runs,
// and at d - 1 random steps the running thread drops below all others. A bug of depth d (one that
// needs d ordering constraints to hold) shows with probability at least 1/(n·k^(d-1)) per run for
// n threads and k steps, where uniform random choice can be exponentially unlikely to line up a
// long run of one thread ahead of another.
//
// Threads are processes (an action's details name its process) or, for actions of no process,
// fairness tasks. Priorities are drawn the first time a thread is seen; change points fall in the
// run's step bound.

import { TroupeError, type Action } from "../../ioa/index.ts";
import type { CandidateView, Scheduler, SchedulerContext } from "../scheduler.ts";

export function pctScheduler(depth = 3): Scheduler {
  if (!Number.isSafeInteger(depth) || depth < 1) throw new TroupeError(`pct: the bug depth is an integer ≥ 1, got ${depth}`);
  return {
    name: `pct:${depth}`,
    begin({ random, steps }: SchedulerContext) {
      const priorities = new Map<string, number>();
      const changes = changePoints(depth - 1, steps, random.below.bind(random));
      let lowered = 0;
      const priority = (thread: string) => {
        let p = priorities.get(thread);
        // Above every lowered priority (1 … d - 1), in a random order among threads.
        if (p === undefined) priorities.set(thread, (p = depth + random.float()));
        return p;
      };
      const highest = <A extends Action>(candidates: readonly A[], view: CandidateView<A>): number => {
        let best = -Infinity;
        const ties: number[] = [];
        for (let i = 0; i < candidates.length; i++) {
          const p = priority(view.thread(candidates[i]!));
          if (p > best) {
            best = p;
            ties.length = 0;
          }
          if (p === best) ties.push(i);
        }
        return ties.length === 1 ? ties[0]! : ties[random.below(ties.length)]!;
      };
      return {
        choose<A extends Action>(candidates: readonly A[], view: CandidateView<A>): number {
          const chosen = highest(candidates, view);
          // A change point that fell on a fault injected by the plan takes effect at the next choice.
          if (lowered === changes.length || view.step < changes[lowered]!) return chosen;
          lowered++;
          priorities.set(view.thread(candidates[chosen]!), lowered);
          return highest(candidates, view);
        },
      };
    },
  };
}

/** `count` distinct steps in [0, steps), ascending. */
function changePoints(count: number, steps: number, below: (n: number) => number): number[] {
  const points = new Set<number>();
  while (points.size < Math.min(count, steps)) points.add(below(steps));
  return [...points].sort((a, b) => a - b);
}
