// Uniform random scheduling: every ready action is equally likely at every step.

import type { Action } from "../../ioa/index.ts";
import type { Scheduler, SchedulerContext } from "../scheduler.ts";

export const randomScheduler: Scheduler = {
  name: "random",
  begin({ random }: SchedulerContext) {
    return { choose: <A extends Action>(candidates: readonly A[]) => random.below(candidates.length) };
  },
};
