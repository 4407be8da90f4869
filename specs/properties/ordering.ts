// Ordering and reliability (Chockler, Keidar and Vitenberg): FIFO, causal and total order.

import { IMap, ISet, range, replaceAt, t, type Value } from "../../ioa/index.ts";
import { groupTypes, sameMessage, type GroupAction, type MessageId, type ProcessId } from "../group.ts";
import { castOf, deliveryOf, message, ordinal, proc, violation, type GroupViolation } from "../violation.ts";
import { groupProperty } from "./property.ts";
import { startViews, trackViews, viewIdAt } from "./views-at.ts";

const CKV = "Chockler, Keidar, Vitenberg";

/**
 * ranks[q]: the position of each message of q in q's cast order (0-based). Kept per sender, not one
 * map of message identities: a map grows by a copy, and a recorded run holds thousands of messages.
 */
type Ranks = readonly IMap<Value, number>[];

const emptyRanks = (n: number): Ranks => range(n).map(() => IMap.empty<Value, number>());

/** The types of the states below, for a group of n. */
function orderingTypes(n: number) {
  const { P, Msg, MessageId, View } = groupTypes(n);
  return { P, Msg, MessageId, View, Ranks: t.table(P, t.map(Msg, t.int(0))) };
}

function ranked(ranks: Ranks, a: GroupAction<Value> & { name: "cast" }): Ranks {
  const mine = ranks[a.p]!;
  return mine.has(a.msg) ? ranks : replaceAt(ranks, a.p, mine.set(a.msg, mine.size));
}

export const fifoOrder = groupProperty({
  name: "fifoOrder",
  id: "O1",
  statement: "a process delivers the messages of each sender in the order the sender cast them",
  checkability: "online",
  source: CKV,
  start: (n) => ({
    ranks: emptyRanks(n),
    latest: IMap.empty<{ p: ProcessId; from: ProcessId }, { m: MessageId; rank: number }>(),
  }),
  type: (n) => {
    const { P, MessageId, Ranks } = orderingTypes(n);
    return t.record({ ranks: Ranks, latest: t.map(t.record({ p: P, from: P }), t.record({ m: MessageId, rank: t.int(0) })) });
  },
  step: (s, a) => {
    if (a.name === "cast") {
      const ranks = ranked(s.ranks, a);
      return ranks === s.ranks ? s : { ...s, ranks };
    }
    if (a.name !== "deliver") return s;
    const m = { from: a.from, msg: a.msg };
    const rank = s.ranks[a.from]!.get(a.msg);
    if (rank === undefined) return s;
    const key = { p: a.p, from: a.from };
    const latest = s.latest.get(key);
    if (!latest || latest.rank < rank) return { ...s, latest: s.latest.set(key, { m, rank }) };
    if (latest.rank === rank) return s;
    return violation(`${proc(a.p)} delivers ${message(m)} after ${message(latest.m)}, but ${proc(a.from)} cast it before`, deliveryOf(latest.m, a.p));
  },
});

export const reliableFifo = groupProperty({
  name: "reliableFifo",
  id: "O2",
  statement: "a process that delivers a message has delivered every message its sender cast before it in the same view (judged at the end of a run)",
  checkability: "end",
  source: CKV,
  start: (n) => ({
    views: startViews(n),
    ranks: emptyRanks(n),
    /** sentIn[q]: the view each message of q was cast in. */
    sentIn: range(n).map(() => IMap.empty<Value, number>()),
    /** got[p][q]: the messages of q that p delivered. */
    got: range(n).map(() => range(n).map(() => ISet.empty<Value>())),
  }),
  type: (n) => {
    const { P, Msg, View, Ranks } = orderingTypes(n);
    return t.record({ views: t.map(P, View), ranks: Ranks, sentIn: t.table(P, t.map(Msg, t.int())), got: t.table(P, t.table(P, t.set(Msg))) });
  },
  step: (s, a) => {
    if (a.name === "cast") {
      const sent = s.sentIn[a.p]!;
      return { ...s, ranks: ranked(s.ranks, a), sentIn: sent.has(a.msg) ? s.sentIn : replaceAt(s.sentIn, a.p, sent.set(a.msg, viewIdAt(s.views, a.p))) };
    }
    if (a.name === "deliver") {
      const mine = s.got[a.p]!;
      return { ...s, got: replaceAt(s.got, a.p, replaceAt(mine, a.from, mine[a.from]!.add(a.msg))) };
    }
    return { ...s, views: trackViews(s.views, a) };
  },
  finish: (s) => {
    for (let q = 0; q < s.got.length; q++) {
      for (let from = 0; from < s.ranks.length; from++) {
        const gap = firstGap(castOrder(s.ranks[from]!), s.sentIn[from]!, s.got[q]![from]!);
        if (gap) {
          const later = { from, msg: gap.later };
          const missing = { from, msg: gap.missing };
          return violation(`${proc(q)} delivered ${message(later)} but never ${message(missing)}, which ${proc(from)} cast before it in view ${gap.view}`, deliveryOf(later, q), castOf(missing));
        }
      }
    }
    return undefined;
  },
});

/** A sender's messages in the order it cast them. */
function castOrder(ranks: IMap<Value, number>): Value[] {
  const order = new Array<Value>(ranks.size);
  for (const [msg, rank] of ranks) order[rank] = msg;
  return order;
}

/** The first message delivered while an earlier one of the same view was not, with the earliest such missing one. */
function firstGap(order: readonly Value[], sentIn: IMap<Value, number>, got: ISet<Value>) {
  const firstMissing = new Map<number | undefined, Value>();
  for (const msg of order) {
    const view = sentIn.get(msg);
    const missing = firstMissing.get(view);
    if (!got.has(msg)) {
      if (missing === undefined) firstMissing.set(view, msg);
    } else if (missing !== undefined) return { later: msg, missing, view };
  }
  return undefined;
}

/** m causally precedes m' iff the vector stamp of m's cast is below that of m''s. */
function precedes(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strictly = true;
  }
  return strictly;
}

/**
 * Causal order with vector clocks: a process's clock counts the casts it knows of per sender (its
 * own, and those of the messages it delivered); a message is stamped with its sender's clock at
 * the cast. Each message also carries a scope (a view, a configuration): only messages of the same
 * scope are compared.
 */
export type CausalState = {
  readonly clocks: readonly (readonly number[])[];
  readonly stamps: IMap<MessageId, { readonly clock: readonly number[]; readonly scope: number }>;
  readonly got: IMap<ProcessId, ISet<MessageId>>;
};

export function startCausal(n: number): CausalState {
  return { clocks: Array.from({ length: n }, () => Array.from({ length: n }, () => 0)), stamps: IMap.empty(), got: IMap.empty() };
}

/** The causal state after a; `scope` is the scope of a message cast by a. */
export function causalStep(s: CausalState, a: GroupAction<Value>, scope: number): CausalState | GroupViolation {
  if (a.name === "cast") {
    const m = { from: a.p, msg: a.msg };
    if (s.stamps.has(m)) return s;
    const clock = s.clocks[a.p]!.map((c, i) => (i === a.p ? c + 1 : c));
    return { ...s, clocks: replaceAt(s.clocks, a.p, clock), stamps: s.stamps.set(m, { clock, scope }) };
  }
  if (a.name !== "deliver") return s;
  const m = { from: a.from, msg: a.msg };
  const stamp = s.stamps.get(m);
  if (!stamp) return s;
  const got = s.got.get(a.p) ?? ISet.empty<MessageId>();
  const overtaken = got.toArray().find((x) => {
    const other = s.stamps.get(x)!;
    return other.scope === stamp.scope && precedes(stamp.clock, other.clock);
  });
  if (overtaken) {
    return violation(
      `${proc(a.p)} delivers ${message(m)} after ${message(overtaken)}, but the cast of ${message(m)} happened before the cast of ${message(overtaken)}`,
      deliveryOf(overtaken, a.p),
      castOf(overtaken),
    );
  }
  const clock = s.clocks[a.p]!.map((c, i) => Math.max(c, stamp.clock[i]!));
  return { ...s, clocks: replaceAt(s.clocks, a.p, clock), got: s.got.set(a.p, got.add(m)) };
}

export const causalOrder = groupProperty({
  name: "causalOrder",
  id: "O3",
  statement: "if the cast of m happened before the cast of m', a process that delivers both delivers m first",
  checkability: "online",
  source: CKV,
  start: startCausal,
  step: (s, a) => causalStep(s, a, 0),
});

/**
 * Total order as acyclicity: an edge m → m' for each pair of consecutive deliveries at a process
 * (within one scope: the whole run, or one view); an order consistent with every process's
 * deliveries exists iff the edges never close a cycle.
 */
type Edges = IMap<MessageId, ISet<MessageId>>;
export type Scope = "run" | "view";

export function totalOrder(scope: Scope) {
  return {
    start: (n: number) => ({ views: startViews(n), last: IMap.empty<ProcessId, MessageId>(), edges: IMap.empty<number, Edges>() }),
    step: (s: { views: ReturnType<typeof startViews>; last: IMap<ProcessId, MessageId>; edges: IMap<number, Edges> }, a: GroupAction<Value>) => {
      if (a.name !== "deliver") {
        const views = trackViews(s.views, a);
        const last = scope === "view" && views !== s.views ? s.last.delete(a.p) : s.last;
        return { ...s, views, last };
      }
      const m = { from: a.from, msg: a.msg };
      const where = scope === "run" ? 0 : viewIdAt(s.views, a.p);
      const edges = s.edges.get(where) ?? IMap.empty();
      const before = s.last.get(a.p);
      const last = s.last.set(a.p, m);
      if (!before || edges.get(before)?.has(m)) return { ...s, last };
      const back = path(edges, m, before);
      if (back) return cycle(a.p, m, before, back, scope, where);
      return { ...s, last, edges: s.edges.set(where, edges.set(before, (edges.get(before) ?? ISet.empty()).add(m))) };
    },
  };
}

/** A path from `from` to `to` in the edges, as the messages along it (both ends included), or undefined. */
function path(edges: Edges, from: MessageId, to: MessageId): MessageId[] | undefined {
  const queue: MessageId[][] = [[from]];
  let marks = ISet.of<MessageId>(from);
  for (let i = 0; i < queue.length; i++) {
    const trail = queue[i]!;
    const m = trail[trail.length - 1]!;
    if (sameMessage(m, to)) return trail;
    for (const next of edges.get(m) ?? []) {
      if (marks.has(next)) continue;
      marks = marks.add(next);
      queue.push([...trail, next]);
    }
  }
  return undefined;
}

function cycle(p: ProcessId, m: MessageId, before: MessageId, back: MessageId[], scope: Scope, where: number): GroupViolation {
  const within = scope === "view" ? ` in view ${where}` : "";
  const chain = back.map(message).join(" before ");
  const evidence = back.slice(1).map((y, k) => ({ ...deliveryOf(y), afterDelivering: back[k]! }));
  return violation(`${proc(p)} delivers ${message(m)} after ${message(before)}${within}, but earlier deliveries put ${chain}: no single order fits`, ...evidence);
}

export const strongTotalOrder = groupProperty({
  name: "strongTotalOrder",
  id: "O5",
  statement: "one order of all messages is consistent with every process's deliveries, across views",
  checkability: "online",
  source: CKV,
  ...totalOrder("run"),
});

export const weakTotalOrder = groupProperty({
  name: "weakTotalOrder",
  id: "O6",
  statement: "in each view, one order of the messages delivered there is consistent with every member's deliveries in it",
  checkability: "online",
  source: CKV,
  ...totalOrder("view"),
});

export const reliableTotalOrder = groupProperty({
  name: "reliableTotalOrder",
  id: "O7",
  statement: "in each view, the members' sequences of deliveries are prefixes of one sequence (one order, no gaps)",
  checkability: "online",
  source: "Fekete, Lynch, Shvartsman (per-view prefix); Chockler, Keidar, Vitenberg (reliable total order)",
  start: (n) => ({
    views: startViews(n),
    count: IMap.empty<ProcessId, number>(),
    order: IMap.empty<number, readonly MessageId[]>(),
  }),
  step: (s, a) => {
    if (a.name !== "deliver") {
      const views = trackViews(s.views, a);
      return views === s.views ? s : { ...s, views, count: s.count.delete(a.p) };
    }
    const m = { from: a.from, msg: a.msg };
    const g = viewIdAt(s.views, a.p);
    const k = s.count.get(a.p) ?? 0;
    const order = s.order.get(g) ?? [];
    const count = s.count.set(a.p, k + 1);
    if (k === order.length) return { ...s, count, order: s.order.set(g, [...order, m]) };
    const e = order[k]!;
    if (sameMessage(e, m)) return { ...s, count };
    return violation(`${proc(a.p)}'s ${ordinal(k + 1)} delivery in view ${g} is ${message(m)}, but the ${ordinal(k + 1)} delivery there was ${message(e)} before`, deliveryOf(e));
  },
});
