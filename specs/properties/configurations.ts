// Configurations of extended virtual synchrony, as its properties see them.
//
// In a trace, a regular configuration is a `view` event; a transitional configuration is a `view`
// event whose view has `kind: "transitional"`, whose members are those moving together from the
// regular configuration the process is in to the next one, and whose id is that next regular
// configuration's id. A process is in a regular configuration R, or in the transitional
// configuration T that follows R, or (after recovering) in none. Every process starts in the
// regular configuration 0 of all processes.

import { IMap } from "../../ioa/index.ts";
import { initialView, type GroupAction, type ProcessId, type View } from "../group.ts";

/** The regular configuration a process is in or has just left, and the transitional one it is in, if any. */
export type Configuration = { readonly regular: View; readonly transitional?: View };
export type Configurations = IMap<ProcessId, Configuration>;

export function startConfigurations(n: number): Configurations {
  const v0 = initialView(n);
  return IMap.from(Array.from({ length: n }, (_, p) => [p, { regular: v0 }] as [ProcessId, Configuration]));
}

export function isTransitional(v: View): boolean {
  return v.kind === "transitional";
}

/** The configurations after action a (a transitional configuration outside any regular one is not tracked). */
export function trackConfigurations(c: Configurations, a: GroupAction): Configurations {
  if (a.name === "recover") return c.delete(a.p);
  if (a.name !== "view") return c;
  if (!isTransitional(a.view)) return c.set(a.p, { regular: a.view });
  const now = c.get(a.p);
  return now ? c.set(a.p, { regular: now.regular, transitional: a.view }) : c;
}

/** A configuration's identity: its id, members and kind (a regular view may also carry a transitional set). */
export function identity(v: View): View {
  return isTransitional(v) ? { id: v.id, members: v.members, kind: "transitional" } : { id: v.id, members: v.members };
}

/** The regular configuration a message cast by p now belongs to: p's, or the next one if p is in a transitional configuration (-1: none). */
export function chargedTo(c: Configurations, p: ProcessId): number {
  const now = c.get(p);
  if (!now) return -1;
  return now.transitional ? now.transitional.id : now.regular.id;
}

/** The configuration p is in, or undefined. */
export function currentConfiguration(c: Configurations, p: ProcessId): View | undefined {
  const now = c.get(p);
  return now && (now.transitional ?? now.regular);
}

export function describeConfiguration(v: View | undefined): string {
  if (!v) return "no configuration";
  return `${isTransitional(v) ? "transitional" : "regular"} configuration ${v.id}`;
}
