// The group membership service: views with increasing ids, each installed only by its members.
//
// Views are created by an internal action and installed by processes; this is the membership half
// of Fekete, Lynch and Shvartsman's VS-machine. A created view's id is above every id created
// before it (FLS's `createview`); a process installs a created view that contains it and whose id
// is above every view it has installed (self inclusion, local monotonicity); one id has one
// membership (a view is created once). Every process starts in view 0, which has every process.
//
// Failures are inputs: `crash(p)` stops p (it installs nothing until it recovers); `recover(p)`
// brings p back outside any view, and p then waits for a view above every view it installed before
// it crashed. FLS model failures by timed status inputs that only affect performance; this is the
// framework's choice for traces that carry crashes.
//
// The functions below are the one home of this logic; the VS and TO services use them too.

import { automaton, IMap, ISet, range, replaceAt, t, type IdsType, type RecordType, type Type } from "../ioa/index.ts";
import { groupTypes, initialView, type ProcessId, type View } from "./group.ts";

/** What the services know of one process: the last view it installed, whether it is still in it, whether it is up. */
export type Member = {
  readonly viewId: number;
  /** False after a recovery, until the process installs a new view. */
  readonly inView: boolean;
  readonly up: boolean;
};

/** Views created so far, by id (view 0, the initial view, included). */
export type Created = IMap<number, ISet<ProcessId>>;

/**
 * Which views there are: `views: 2` lets the service create ids 1 and 2, each with any non-empty
 * membership; a list gives exactly the views listed (a scenario such as a partition and a merge),
 * created from the start. Creating a scenario's views at the start rather than one by one changes
 * no trace (FLS's note N1: any execution can be rearranged to create them first) and saves
 * exhaustive checks the interleavings of the creations.
 */
export type ViewPlan = number | readonly View[];

export function memberType(): RecordType<{ viewId: Type<number>; inView: Type<boolean>; up: Type<boolean> }> {
  return t.record({ viewId: t.int(0), inView: t.bool(), up: t.bool() });
}

export function createdType(P: IdsType): Type<Created> {
  return t.map(t.int(0), t.set(P));
}

export function startMembers(n: number): Member[] {
  return range(n).map(() => ({ viewId: 0, inView: true, up: true }));
}

export function startCreated(n: number, plan: ViewPlan): Created {
  const scenario = typeof plan === "number" ? [] : plan;
  return IMap.from<number, ISet<ProcessId>>([[0, initialView(n).members], ...scenario.map((v) => [v.id, v.members] as [number, ISet<ProcessId>])]);
}

/** Every view `createView` may create under the plan, in id order (none for a scenario). */
export function plannedViews(n: number, plan: ViewPlan): readonly View[] {
  if (typeof plan !== "number") return [];
  const subsets = range(2 ** n - 1).map((bits) => ISet.from(range(n).filter((p) => ((bits + 1) >> p) & 1)));
  return range(plan).flatMap((i) => subsets.map((members) => ({ id: i + 1, members })));
}

/** Views that may be created now: planned, with an id above every id created so far. */
export function creatableViews(planned: readonly View[], created: Created): View[] {
  const highest = Math.max(...created.keys());
  return planned.filter((v) => v.id > highest);
}

/** Views p may install now: created, containing p, above every view p installed. */
export function installableViews(created: Created, member: Member, p: ProcessId): View[] {
  if (!member.up) return [];
  const out: View[] = [];
  for (const [id, members] of created) if (id > member.viewId && members.has(p)) out.push({ id, members });
  return out;
}

export function installed(members: readonly Member[], p: ProcessId, viewId: number): Member[] {
  return replaceAt(members, p, { viewId, inView: true, up: true });
}

export function crashed(members: readonly Member[], p: ProcessId): Member[] {
  const m = members[p]!;
  return m.up ? replaceAt(members, p, { ...m, up: false }) : (members as Member[]);
}

/** Up again, outside any view (whether or not it had crashed). */
export function recovered(members: readonly Member[], p: ProcessId): Member[] {
  const m = members[p]!;
  return replaceAt(members, p, { viewId: m.viewId, inView: false, up: true });
}

/** The id of the view p is in, or undefined if it is down or outside any view. */
export function currentView(member: Member): number | undefined {
  return member.up && member.inView ? member.viewId : undefined;
}

export interface MembershipOptions {
  readonly processes: number;
  readonly views: ViewPlan;
}

/** The membership service automaton. */
export function membershipService(options: MembershipOptions) {
  const n = options.processes;
  const G = groupTypes(n);
  const planned = plannedViews(n, options.views);
  const State = t.record({ created: createdType(G.P), members: t.table(G.P, memberType()) });
  return automaton("membership", State)
    .start({ created: startCreated(n, options.views), members: startMembers(n) })
    .internal("createView", { view: G.View }, {
      enabled: (s) => creatableViews(planned, s.created).map((view) => ({ view })),
      next: (s, { view }) => State.with(s, { created: s.created.set(view.id, view.members) }),
    })
    .output("view", G.view, {
      owner: "p",
      enabled: (s) => range(n).flatMap((p) => installableViews(s.created, s.members[p]!, p).map((view) => ({ p, view }))),
      next: (s, { p, view }) => State.with(s, { members: installed(s.members, p, view.id) }),
    })
    .input("crash", G.crash, { kind: "fault", details: () => ({ fault: "crash" }), next: (s, { p }) => State.with(s, { members: crashed(s.members, p) }) })
    .input("recover", G.recover, { kind: "fault", details: () => ({ fault: "recover" }), next: (s, { p }) => State.with(s, { members: recovered(s.members, p) }) });
}
