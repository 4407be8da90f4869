// The view each process is in, as the catalogue's properties see it (the reference notes' viewAt):
// every process starts in view 0, installs views with `view`, and is in no view after `recover`
// until it installs one. A crash leaves the view as it was (a crashed process does nothing).

import { IMap } from "../../ioa/index.ts";
import { initialView, type GroupAction, type ProcessId, type View } from "../group.ts";

/** Each process's current view; a process outside any view is absent. */
export type ViewsAt = IMap<ProcessId, View>;

export function startViews(n: number): ViewsAt {
  const v0 = initialView(n);
  return IMap.from(Array.from({ length: n }, (_, p) => [p, v0] as [ProcessId, View]));
}

/** The views after action a. */
export function trackViews(views: ViewsAt, a: GroupAction): ViewsAt {
  if (a.name === "view") return views.set(a.p, a.view);
  if (a.name === "recover") return views.delete(a.p);
  return views;
}

/** The id of p's view, or -1 outside any view (so that "no view" compares as a view id). */
export function viewIdAt(views: ViewsAt, p: ProcessId): number {
  return views.get(p)?.id ?? -1;
}
