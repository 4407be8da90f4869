// `--scheduler`: a scheduler by name (random, pct, pct:<depth>, swarm), or a module of the user's
// whose default export is one.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TroupeError } from "../ioa/index.ts";
import { isScheduler, schedulerByName, type Scheduler } from "../simulator/index.ts";

export async function loadScheduler(name: string): Promise<Scheduler> {
  if (!/[/\\]|\.m?[jt]s$/.test(name)) return schedulerByName(name);
  const module = (await import(pathToFileURL(resolve(name)).href)) as { default?: unknown };
  if (!isScheduler(module.default)) throw new TroupeError(`${name}: its default export is not a scheduler (an object with a name and begin(context))`);
  return module.default;
}
