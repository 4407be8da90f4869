// How messages relate to views (Chockler, Keidar and Vitenberg): where a message is delivered,
// what processes moving together between views agree on, transitional sets, self delivery.

import { IMap, ISet } from "../../ioa/index.ts";
import { sameMessage, type MessageId, type ProcessId, type View } from "../group.ts";
import { castOf, deliveryOf, installOf, members, message, proc, viewId, violation, type GroupViolation } from "../violation.ts";
import { groupProperty } from "./property.ts";
import { startViews, trackViews, viewIdAt } from "./views-at.ts";

const CKV = "Chockler, Keidar, Vitenberg";

/** A message's identity and the id of a view (-1: no view). */
export type Placed = { readonly m: MessageId; readonly view: number };

export const sendingViewDelivery = groupProperty({
  name: "sendingViewDelivery",
  id: "V1",
  statement: "a message is delivered only in the view in which it was cast",
  checkability: "online",
  source: CKV,
  start: (n) => ({ views: startViews(n), sentIn: IMap.empty<MessageId, number>() }),
  step: (s, a) => {
    if (a.name === "cast") {
      const m = { from: a.p, msg: a.msg };
      return s.sentIn.has(m) ? s : { ...s, sentIn: s.sentIn.set(m, viewIdAt(s.views, a.p)) };
    }
    if (a.name !== "deliver") return { ...s, views: trackViews(s.views, a) };
    const m = { from: a.from, msg: a.msg };
    const sent = s.sentIn.get(m);
    const here = viewIdAt(s.views, a.p);
    if (sent === undefined || sent === here) return s;
    return violation(`${proc(a.p)} delivers ${message(m)} in ${viewId(here < 0 ? undefined : here)}, but ${proc(a.from)} cast it in ${viewId(sent < 0 ? undefined : sent)}`, castOf(m));
  },
});

export const sameViewDelivery = groupProperty({
  name: "sameViewDelivery",
  id: "V2",
  statement: "processes that deliver the same message deliver it in the same view",
  checkability: "pair",
  source: CKV,
  start: (n) => ({ views: startViews(n), first: IMap.empty<MessageId, number>() }),
  step: (s, a) => {
    if (a.name !== "deliver") return { ...s, views: trackViews(s.views, a) };
    const m = { from: a.from, msg: a.msg };
    const here = viewIdAt(s.views, a.p);
    const first = s.first.get(m);
    if (first === undefined) return { ...s, first: s.first.set(m, here) };
    if (first === here) return s;
    return violation(`${proc(a.p)} delivers ${message(m)} in view ${here}, but it was delivered in view ${first} before`, deliveryOf(m));
  },
});

type Move = { readonly from: number; readonly to: number };

export const virtualSynchrony = groupProperty({
  name: "virtualSynchrony",
  id: "V5",
  statement: "processes that move together from one view to the same next view delivered the same messages in the first",
  checkability: "pair",
  source: `${CKV}; failure atomicity in extended virtual synchrony`,
  start: (n) => ({
    views: startViews(n),
    got: IMap.empty<ProcessId, ISet<MessageId>>(),
    moves: IMap.empty<Move, ISet<MessageId>>(),
  }),
  step: (s, a) => {
    switch (a.name) {
      case "deliver":
        return { ...s, got: s.got.set(a.p, (s.got.get(a.p) ?? ISet.empty()).add({ from: a.from, msg: a.msg })) };
      case "recover":
        return { ...s, views: trackViews(s.views, a), got: s.got.delete(a.p) };
      case "view": {
        const move = { from: viewIdAt(s.views, a.p), to: a.view.id };
        const mine = s.got.get(a.p) ?? ISet.empty<MessageId>();
        const next = { ...s, views: trackViews(s.views, a), got: s.got.delete(a.p) };
        const first = s.moves.get(move);
        if (!first) return { ...next, moves: s.moves.set(move, mine) };
        if (first.equals(mine)) return next;
        return differentDeliveries(a.p, mine, first, `view ${move.from}`, `view ${move.to}`);
      }
      default:
        return s;
    }
  },
});

/** p makes a move (`from` → `to`) another process made before, having delivered different messages in `from`. */
export function differentDeliveries(p: ProcessId, mine: ISet<MessageId>, theirs: ISet<MessageId>, from: string, to: string): GroupViolation {
  const gaps = [
    ...theirs.difference(mine).toArray().map((m) => `${proc(p)} did not deliver ${message(m)}`),
    ...mine.difference(theirs).toArray().map((m) => `the other did not deliver ${message(m)}`),
  ].join(", ");
  return violation(`${proc(p)} moves from ${from} to ${to} as another process did before, but they delivered different messages in ${from}: ${gaps}`);
}

/** An installation as transitional sets need it: the view the installer came from, and its transitional set if it had one. */
type Install = { readonly from: number; readonly transitional?: ISet<ProcessId> };

export const transitionalSet = groupProperty({
  name: "transitionalSet",
  id: "V6",
  statement: "a view's transitional set holds exactly the installers that come to it from the installer's previous view (checked where views carry one)",
  checkability: "pair",
  source: CKV,
  start: (n) => ({ views: startViews(n), installs: IMap.empty<number, IMap<ProcessId, Install>>() }),
  step: (s, a) => {
    if (a.name !== "view") return { ...s, views: trackViews(s.views, a) };
    const before = s.views.get(a.p);
    const mine: Install = { from: before?.id ?? -1, ...(a.view.transitional && { transitional: a.view.transitional }) };
    const others = s.installs.get(a.view.id) ?? IMap.empty<ProcessId, Install>();
    const problem = (mine.transitional && ownSetProblem(a.p, a.view, mine.transitional, before)) ?? agreementProblem(a.p, mine, others, a.view);
    if (problem) return problem;
    return { views: trackViews(s.views, a), installs: s.installs.set(a.view.id, others.set(a.p, mine)) };
  },
});

function ownSetProblem(p: ProcessId, v: View, transitional: ISet<ProcessId>, before: View | undefined): GroupViolation | undefined {
  const allowed = before ? v.members.intersection(before.members) : ISet.empty<ProcessId>();
  const stray = transitional.difference(allowed);
  if (stray.size > 0) {
    const from = before ? `view ${before.id}` : "no view";
    return violation(`${proc(p)} installs view ${v.id} with transitional set ${members(transitional)}, but ${members(stray)} are not members of both view ${v.id} and ${from}, where ${proc(p)} comes from`);
  }
  if (before && !transitional.has(p)) return violation(`${proc(p)} installs view ${v.id} with transitional set ${members(transitional)}, which lacks ${proc(p)} itself`);
  return undefined;
}

/** Each pair of installers of view v: q is in p's transitional set iff they come from the same view, and the other way round. */
function agreementProblem(p: ProcessId, mine: Install, others: IMap<ProcessId, Install>, v: View): GroupViolation | undefined {
  for (const [q, theirs] of others) {
    const together = mine.from >= 0 && mine.from === theirs.from;
    const related = installOf(v.id, q);
    const claim = (who: ProcessId, set: ISet<ProcessId> | undefined, other: ProcessId) => {
      if (!set || set.has(other) === together) return undefined;
      const where = together ? `both come from view ${mine.from}` : `${proc(p)} comes from ${viewId(mine.from < 0 ? undefined : mine.from)} and ${proc(q)} from ${viewId(theirs.from < 0 ? undefined : theirs.from)}`;
      return violation(`${proc(p)} and ${proc(q)} install view ${v.id}; ${where}, yet ${proc(who)}'s transitional set ${members(set)} ${together ? "lacks" : "holds"} ${proc(other)}`, related);
    };
    const problem = claim(p, mine.transitional, q) ?? claim(q, theirs.transitional, p);
    if (problem) return problem;
  }
  return undefined;
}

export const selfDelivery = groupProperty({
  name: "selfDelivery",
  id: "V7",
  statement: "a process delivers its own messages before it installs its next view, and by the end of a quiescent run, unless it crashes",
  checkability: "quiescence",
  source: `${CKV}; extended virtual synchrony`,
  start: (n) => ({ views: startViews(n), own: IMap.empty<ProcessId, ISet<Placed>>() }),
  step: (s, a) => {
    const own = s.own.get(a.p) ?? ISet.empty<Placed>();
    switch (a.name) {
      case "cast": {
        const view = viewIdAt(s.views, a.p);
        return view < 0 ? s : { ...s, own: s.own.set(a.p, own.add({ m: { from: a.p, msg: a.msg }, view })) };
      }
      case "deliver":
        return a.from !== a.p ? s : { ...s, own: s.own.set(a.p, own.filter((x) => !sameMessage(x.m, { from: a.from, msg: a.msg }))) };
      case "view":
        if (own.size > 0) return undelivered(a.p, own, `installs view ${a.view.id}`);
        return { ...s, views: trackViews(s.views, a) };
      case "crash":
      case "recover":
        return { views: trackViews(s.views, a), own: s.own.delete(a.p) };
      default:
        return s;
    }
  },
  finish: (s) => {
    const left = [...s.own].find(([, own]) => own.size > 0);
    return left && undelivered(left[0], left[1], "is done (at quiescence)");
  },
});

/** p did something (`when`) with its own messages `own` undelivered; `where` names where each was cast. */
export function undelivered(p: ProcessId, own: ISet<Placed>, when: string, where = (view: number) => `cast in view ${view}`): GroupViolation {
  const list = own.toArray();
  const what = list.map((x) => `${message(x.m)} (${where(x.view)})`).join(", ");
  return violation(`${proc(p)} ${when} without having delivered its own ${what}`, ...list.map((x) => castOf(x.m)));
}
