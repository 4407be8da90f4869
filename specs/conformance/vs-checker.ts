// The VS service's trace checker: does FLS's VS-machine (vs.ts) admit this trace? Exact and
// deterministic: the online greedy checker of the reference notes (specs.md §1.6).
//
// The machine's only choices are internal: when to create a view and when to order a message. The
// checker makes them lazily. A view is created just before its first installation; a message is
// put in its view's order just before its first delivery, which must then be the sender's oldest
// cast of that view not yet ordered. So the order Q_g of view g is the longest sequence of
// deliveries any process has made in g, and a trace is admitted iff
//   - views are installed as the membership checker requires (VS-T1..T3);
//   - deliveries and safe indications happen at up processes inside a view (VS-T4);
//   - each process's deliveries in g are a prefix of Q_g (VS-T5);
//   - Q_g restricted to a sender is a prefix of what it cast in g, each entry delivered after its cast (VS-T6);
//   - each process's safe indications in g are a prefix of Q_g, the k-th only once every member of g
//     has delivered k messages in g (VS-T7).
// Creating and ordering as late as possible never blocks an admitted trace, which is why one pass
// without backtracking decides. The state doubles as a simulation relation from the checker to the
// machine: queue[g] is Q_g, pending[p][g] what p cast in g and Q_g does not hold yet.
//
// With `agreedCuts` it checks the TO service (to.ts) instead: additionally, members moving from
// view g to the same next view have delivered the same number of messages of g (hence the same
// set); the first of them fixes that number.

import { IMap, replaceAt, valuesEqual, type Value } from "../../ioa/index.ts";
import { sameMessage, type GroupAction, type GroupActionName, type MessageId, type ProcessId, type View } from "../group.ts";
import { currentView } from "../membership.ts";
import { castOf, deliveryOf, GroupViolation, installOf, message, ordinal, proc, violation } from "../violation.ts";
import { judgeMembership, membersOf, startMembershipRecord, type MembershipRecord } from "./membership-checker.ts";
import { serviceMonitor } from "./service-monitor.ts";

type Move = { readonly from: number; readonly to: number };

export type OrderRecord = {
  readonly membership: MembershipRecord;
  /** Q_g. */
  readonly order: IMap<number, readonly MessageId[]>;
  /** Per sender, per view: what it cast in the view and Q_g does not hold yet. */
  readonly pending: readonly IMap<number, readonly Value[]>[];
  /** Per process, per view: how many messages it delivered in the view. */
  readonly delivered: readonly IMap<number, number>[];
  /** Per process: how many safe indications it got in its current view. */
  readonly safe: readonly number[];
  /** TO: how many messages the first process to move from one view to another had delivered in the first. */
  readonly cuts: IMap<Move, number>;
};

interface CheckerOptions {
  readonly agreedCuts: boolean;
  readonly actions: readonly GroupActionName[];
}

/** The VS service's checker, for a group of n processes. */
export function vsChecker(n: number) {
  return orderedViewChecker(n, { agreedCuts: false, actions: ["cast", "deliver", "safe", "view", "crash", "recover"] });
}

export function orderedViewChecker(n: number, options: CheckerOptions) {
  const start: OrderRecord = {
    membership: startMembershipRecord(n),
    order: IMap.empty(),
    pending: Array.from({ length: n }, () => IMap.empty()),
    delivered: Array.from({ length: n }, () => IMap.empty()),
    safe: Array.from({ length: n }, () => 0),
    cuts: IMap.empty(),
  };
  return serviceMonitor(options.actions, start, (s, a) => judge(s, a, n, options.agreedCuts));
}

function judge(s: OrderRecord, a: GroupAction, n: number, agreedCuts: boolean): OrderRecord | GroupViolation {
  switch (a.name) {
    case "cast":
      return cast(s, a.p, a.msg as Value);
    case "deliver":
      return deliver(s, a.p, { from: a.from, msg: a.msg as Value });
    case "safe":
      return safe(s, a.p, { from: a.from, msg: a.msg as Value }, n);
    case "view":
      return installView(s, a, agreedCuts);
    case "crash":
    case "recover": {
      const membership = judgeMembership(s.membership, a);
      return membership instanceof GroupViolation ? membership : { ...s, membership, safe: replaceAt(s.safe, a.p, 0) };
    }
  }
}

function cast(s: OrderRecord, p: ProcessId, msg: Value): OrderRecord {
  const g = currentView(s.membership.members[p]!);
  if (g === undefined) return s; // dropped, as the machine drops a cast outside any view
  const mine = s.pending[p]!;
  return { ...s, pending: replaceAt(s.pending, p, mine.set(g, [...(mine.get(g) ?? []), msg])) };
}

/** The view p is in, or why p may not deliver or get safe indications now. */
function viewOf(s: OrderRecord, p: ProcessId, what: string): number | GroupViolation {
  const me = s.membership.members[p]!;
  if (!me.up) return violation(`${proc(p)} ${what} while crashed`);
  if (!me.inView) return violation(`${proc(p)} ${what} outside any view (it recovered and has installed no view since)`);
  return me.viewId;
}

function deliver(s: OrderRecord, q: ProcessId, m: MessageId<Value>): OrderRecord | GroupViolation {
  const g = viewOf(s, q, `delivers ${message(m)}`);
  if (typeof g !== "number") return g;
  const k = s.delivered[q]!.get(g) ?? 0;
  const order = s.order.get(g) ?? [];
  const delivered = replaceAt(s.delivered, q, s.delivered[q]!.set(g, k + 1));
  if (k < order.length) {
    const e = order[k]!;
    if (sameMessage(e, m)) return { ...s, delivered };
    return violation(
      `${proc(q)} delivers ${message(m)} as its ${ordinal(k + 1)} message in view ${g}, but ${message(e)} was delivered ${ordinal(k + 1)} there before: the members of a view deliver prefixes of one order`,
      deliveryOf(e),
    );
  }
  const waiting = s.pending[m.from]!.get(g) ?? [];
  if (waiting.length === 0 || !valuesEqual(waiting[0]!, m.msg)) return unorderable(s, q, m, g, waiting);
  const rest = waiting.slice(1);
  const sender = rest.length === 0 ? s.pending[m.from]!.delete(g) : s.pending[m.from]!.set(g, rest);
  return { ...s, delivered, pending: replaceAt(s.pending, m.from, sender), order: s.order.set(g, [...order, m]) };
}

/** Why m cannot be the next message of view g's order. */
function unorderable(s: OrderRecord, q: ProcessId, m: MessageId<Value>, g: number, waiting: readonly Value[]): GroupViolation {
  const at = `${proc(q)} delivers ${message(m)} in view ${g}`;
  if (waiting.some((x) => valuesEqual(x, m.msg))) {
    const first = { from: m.from, msg: waiting[0]! };
    return violation(`${at} before ${message(first)}, which ${proc(m.from)} cast before it in view ${g}: a sender's messages are ordered in cast order`, castOf(first));
  }
  if ((s.order.get(g) ?? []).some((e) => sameMessage(e, m))) return violation(`${at} a second time`, deliveryOf(m, q));
  const elsewhere = [...s.pending[m.from]!].find(([, msgs]) => msgs.some((x) => valuesEqual(x, m.msg)));
  if (elsewhere) return violation(`${at}, but ${proc(m.from)} cast it in view ${elsewhere[0]}: messages are delivered in the view they were sent in`, castOf(m));
  return violation(`${at}, but ${proc(m.from)} did not cast it in view ${g} (or it was already ordered in another view)`);
}

function safe(s: OrderRecord, q: ProcessId, m: MessageId<Value>, n: number): OrderRecord | GroupViolation {
  const g = viewOf(s, q, `gets a safe indication for ${message(m)}`);
  if (typeof g !== "number") return g;
  const k = s.safe[q]!;
  const e = (s.order.get(g) ?? [])[k];
  const at = `${proc(q)} gets a safe indication for ${message(m)} in view ${g}`;
  if (e === undefined) return violation(`${at} as its ${ordinal(k + 1)}, but no member of view ${g} has delivered a ${ordinal(k + 1)} message there`);
  if (!sameMessage(e, m)) {
    return violation(`${at} as its ${ordinal(k + 1)}, but the ${ordinal(k + 1)} message of view ${g} is ${message(e)}: safe indications follow the view's order`, deliveryOf(e));
  }
  const lagging = membersOf(s.membership, g, n)!.toArray().find((r) => (s.delivered[r]!.get(g) ?? 0) <= k);
  if (lagging !== undefined) return violation(`${at} before ${proc(lagging)}, a member of view ${g}, delivered it: safe means every member has it`);
  return { ...s, safe: replaceAt(s.safe, q, k + 1) };
}

function installView(s: OrderRecord, a: GroupAction & { name: "view" }, agreedCuts: boolean): OrderRecord | GroupViolation {
  const membership = judgeMembership(s.membership, a);
  if (membership instanceof GroupViolation) return membership;
  const cuts = agreedCuts ? agreedCut(s, a.p, a.view) : s.cuts;
  if (cuts instanceof GroupViolation) return cuts;
  return { ...s, membership, cuts, safe: replaceAt(s.safe, a.p, 0) };
}

/** TO: p's move to view v must agree with the first move between the same two views. */
function agreedCut(s: OrderRecord, p: ProcessId, v: View): OrderRecord["cuts"] | GroupViolation {
  const from = currentView(s.membership.members[p]!);
  if (from === undefined) return s.cuts;
  const count = s.delivered[p]!.get(from) ?? 0;
  const move = { from, to: v.id };
  const first = s.cuts.get(move);
  if (first === undefined) return s.cuts.set(move, count);
  if (first === count) return s.cuts;
  return violation(
    `${proc(p)} moves from view ${from} to view ${v.id} having delivered ${count} messages in view ${from}, but another process made the same move having delivered ${first}: members moving together deliver the same messages`,
    installOf(v.id),
  );
}
