// Swarm testing (Groce et al., 2012): each run leaves out a random subset of the fault types, so
// that a batch tries many fault mixes instead of one. A bug that needs many drops and no crashes
// shows more often in runs without crashes than in runs where every fault competes. Within a run,
// scheduling is uniform.

import type { Action } from "../../ioa/index.ts";
import type { Scheduler, SchedulerContext } from "../scheduler.ts";

export const swarmScheduler: Scheduler = {
  name: "swarm",
  begin({ random }: SchedulerContext) {
    const salt = random.int(0, 0x7fffffff);
    const allowed = new Map<string, boolean>();
    return {
      choose: <A extends Action>(candidates: readonly A[]) => random.below(candidates.length),
      // A coin per fault type, from the run's salt and the type's name: the same whatever order
      // the run meets the types in.
      allowsFault(fault: string): boolean {
        let verdict = allowed.get(fault);
        if (verdict === undefined) allowed.set(fault, (verdict = (mix(salt, fault) & 1) === 0));
        return verdict;
      },
    };
  },
};

/** FNV-1a over the name, seeded with the salt, then a murmur3 finalizer so that every bit is fair. */
function mix(salt: number, name: string): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
