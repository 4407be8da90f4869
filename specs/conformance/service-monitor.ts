// A service's trace checker as a monitor: it judges the group actions of the service's signature
// and passes over every other action, because a trace is judged by its projection on the service's
// actions (the IOA notion of a trace of a component).

import type { Action, Monitor, Type, Value } from "../../ioa/index.ts";
import { isGroupAction, type GroupAction, type GroupActionName } from "../group.ts";
import type { GroupViolation } from "../violation.ts";

export interface ServiceMonitor<S extends Value = Value> extends Monitor<Action, S> {
  /** The group actions the service has; the monitor passes over all others. */
  readonly actions: readonly GroupActionName[];
}

export function serviceMonitor<S extends Value>(
  actions: readonly GroupActionName[],
  start: S,
  step: (s: S, a: GroupAction<Value>) => S | GroupViolation,
  type?: Type<S>,
): ServiceMonitor<S> {
  return {
    actions,
    start,
    checkability: "online",
    ...(type && { type }),
    step: (s, a) => (isGroupAction(a) && actions.includes(a.name) ? step(s, a) : s),
  };
}
