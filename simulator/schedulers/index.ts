// The built-in schedulers, by the names the command line and reports use.

import { TroupeError } from "../../ioa/index.ts";
import type { Scheduler } from "../scheduler.ts";
import { pctScheduler } from "./pct.ts";
import { randomScheduler } from "./random.ts";
import { swarmScheduler } from "./swarm.ts";

export { pctScheduler, randomScheduler, swarmScheduler };

export const SCHEDULER_NAMES = "random, pct (or pct:<depth>, default depth 3) or swarm";

/** `random`, `swarm`, `pct` or `pct:<depth>`. */
export function schedulerByName(name: string): Scheduler {
  const [kind, arg, ...rest] = name.split(":");
  if (kind === "pct" && rest.length === 0) {
    if (arg === undefined) return pctScheduler();
    const depth = Number(arg);
    if (arg.trim() === "" || !Number.isSafeInteger(depth) || depth < 1) throw new TroupeError(`scheduler ${name}: the depth after pct: is an integer ≥ 1`);
    return pctScheduler(depth);
  }
  if (arg === undefined && kind === "random") return randomScheduler;
  if (arg === undefined && kind === "swarm") return swarmScheduler;
  throw new TroupeError(`no scheduler named "${name}"; the schedulers are ${SCHEDULER_NAMES}, or a module whose default export is a scheduler`);
}
