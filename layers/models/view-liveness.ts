// The liveness properties of a stack that changes views (vsync, total), judged by `troupe check` of
// their models on infinite executions, where the properties at quiescence see only the executions
// that settle:
//
//  - castsDelivered:      every cast of a live member is eventually delivered by every live member
//                         of its view (once the view is rid of crashed members);
//  - suspectsExcluded:    a member crashed, or suspected by a live member, is eventually out of that
//                         member's view;
//  - viewChangeCompletes: a member asked to block for a view change eventually installs a view.
//
// Each is always (p ⇒ eventually q) under strong fairness of tasks. Strong, because the timers are
// patient (they wait while packets fly) and the heartbeats never stop: a member's suspicion timer
// is enabled only between heartbeats, so weak fairness would let the heartbeats win forever while
// a crashed member is never suspected — a cycle that no real scheduler sustains. The heartbeats and
// sweeps (background timers) are tasks like the others: fairness obliges them too, so a cycle of
// heartbeats alone is a counterexample only when nothing else fair is due.

import { leadsTo, type LeadsTo } from "../../ioa/index.ts";
import type { ISet } from "../../ioa/index.ts";

interface ViewGroupState {
  readonly application: readonly { readonly crashed: boolean; readonly blocked: number }[];
  readonly stacks: readonly { readonly view: { readonly id: number; readonly members: ISet<number> }; readonly layers: unknown }[];
}

type SuspectLayer = { readonly suspect: { readonly suspects: ISet<number> } };

export interface ViewLivenessOptions<S> {
  readonly processes: number;
  /** What live members of clean views miss of their view-mates' casts (view-model.ts), in words. */
  readonly missing: (s: S) => string[];
}

export function viewLiveness<S extends ViewGroupState>({ processes, missing }: ViewLivenessOptions<S>): Record<string, LeadsTo<S>> {
  const live = (s: S, p: number) => !s.application[p]!.crashed;
  /** Members of live process p's view that are crashed or that p suspects, in words. */
  const unwanted = (s: S): string[] => {
    const out: string[] = [];
    for (let p = 0; p < processes; p++) {
      if (!live(s, p)) continue;
      const { view, layers } = s.stacks[p]!;
      const { suspects } = (layers as SuspectLayer).suspect;
      for (const q of view.members) {
        if (q === p) continue;
        if (!live(s, q)) out.push(`process ${p} is in view ${view.id} with crashed ${q}`);
        else if (suspects.has(q)) out.push(`process ${p} is in view ${view.id} with ${q}, which it suspects`);
      }
    }
    return out;
  };
  const anyUnwanted = (s: S) => {
    for (let p = 0; p < processes; p++) {
      if (!live(s, p)) continue;
      const { view, layers } = s.stacks[p]!;
      const { suspects } = (layers as SuspectLayer).suspect;
      for (const q of view.members) if (q !== p && (!live(s, q) || suspects.has(q))) return true;
    }
    return false;
  };
  const blocked = (s: S) => {
    for (let p = 0; p < processes; p++) if (live(s, p) && s.application[p]!.blocked !== 0) return true;
    return false;
  };
  const blockedOnes = (s: S) =>
    s.application.flatMap((app, p) => (live(s, p) && app.blocked !== 0 ? [`process ${p} was asked to block in view ${s.stacks[p]!.view.id} and has installed no view since`] : []));
  const strong = <X>(explain: (s: S) => X[]) => ({ fairness: "strong" as const, explain: (s: S) => explain(s).join("; ") });
  return {
    castsDelivered: leadsTo(
      (s) => missing(s).length > 0,
      (s) => missing(s).length === 0,
      "every cast of a live member is eventually delivered by every live member of its view, once the view is rid of crashed members (under strong fairness)",
      strong(missing),
    ),
    suspectsExcluded: leadsTo(
      anyUnwanted,
      (s) => !anyUnwanted(s),
      "a member crashed, or suspected by a live member, is eventually out of that member's view (under strong fairness)",
      strong(unwanted),
    ),
    viewChangeCompletes: leadsTo(
      blocked,
      (s) => !blocked(s),
      "a live member asked to block for a view change eventually installs a view (under strong fairness)",
      strong(blockedOnes),
    ),
  };
}
