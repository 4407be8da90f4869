// The membership service's trace checker: does the membership automaton (membership.ts) admit this
// trace? Exact and deterministic. A trace is admitted iff every view is installed by an up process
// that is a member of it (self inclusion), with an id above every view the process installed before
// (local monotonicity, across crashes too), and with the membership every other installer of that
// id saw (one id, one membership). Creating each view just before its first installation always
// works, because the service may create views in any order of ids it likes before they are used.
//
// The VS and TO checkers judge views with the same functions.

import { IMap, t, type ISet, type Type } from "../../ioa/index.ts";
import { groupTypes, initialView, type GroupAction, type ProcessId, type View } from "../group.ts";
import { crashed, installed, recovered, startMembers, type Member } from "../membership.ts";
import { installOf, members as membersText, proc, view as viewText, violation, type GroupViolation } from "../violation.ts";
import { serviceMonitor } from "./service-monitor.ts";

/** What the checker knows of views: each process's status, and the membership of each id installed. */
export type MembershipRecord = {
  readonly members: readonly Member[];
  readonly installs: IMap<number, ISet<ProcessId>>;
};

/** Its type, for symmetry reduction: process ids as `groupTypes(n).P`. */
export function membershipRecordType(n: number): Type<MembershipRecord> {
  const { P } = groupTypes(n);
  return t.record({ members: t.table(P, t.record({ viewId: t.int(0), inView: t.bool(), up: t.bool() })), installs: t.map(t.int(0), t.set(P)) });
}

export function startMembershipRecord(n: number): MembershipRecord {
  return { members: startMembers(n), installs: IMap.empty() };
}

/** The membership of view g as the trace has shown it (view 0: everyone). */
export function membersOf(record: MembershipRecord, g: number, n: number): ISet<ProcessId> | undefined {
  return g === 0 ? initialView(n).members : record.installs.get(g);
}

/** Judges a view, crash or recover action. */
export function judgeMembership(record: MembershipRecord, a: GroupAction & { name: "view" | "crash" | "recover" }): MembershipRecord | GroupViolation {
  switch (a.name) {
    case "crash":
      return { ...record, members: crashed(record.members, a.p) };
    case "recover":
      return { ...record, members: recovered(record.members, a.p) };
    case "view":
      return judgeView(record, a.p, a.view);
  }
}

function judgeView(record: MembershipRecord, p: ProcessId, v: View): MembershipRecord | GroupViolation {
  const me = record.members[p]!;
  if (!me.up) return violation(`${proc(p)} installs ${viewText(v)} while crashed`);
  if (v.kind === "transitional") return violation(`${proc(p)} installs a transitional configuration (${viewText(v)}); only extended virtual synchrony has them`);
  if (!v.members.has(p)) return violation(`${proc(p)} installs ${viewText(v)}, which does not contain it (self inclusion)`);
  if (v.id <= me.viewId) {
    return violation(`${proc(p)} installs view ${v.id} after view ${me.viewId}: a process's view ids must increase (local monotonicity)`);
  }
  const known = record.installs.get(v.id);
  if (known && !known.equals(v.members)) {
    return violation(
      `${proc(p)} installs view ${v.id} as ${membersText(v.members)}, but view ${v.id} was installed as ${membersText(known)} before: one id, one membership`,
      installOf(v.id),
    );
  }
  return { members: installed(record.members, p, v.id), installs: known ? record.installs : record.installs.set(v.id, v.members) };
}

/** The membership service's checker, for a group of n processes. */
export function membershipChecker(n: number) {
  return serviceMonitor(["view", "crash", "recover"], startMembershipRecord(n), (s, a) => judgeMembership(s, a as GroupAction & { name: "view" | "crash" | "recover" }), membershipRecordType(n));
}

