// The application of a process in a model: it casts its messages m1, m2, …, sends s1, s2, … to each
// other process, and records what it delivers and receives, in order. It stops while its process
// is crashed. Its records are what the models' properties read. Asked to block (before a view
// change), it answers blockOk and casts nothing until the next view. With `switchTo`, the
// highest-ranked process asks the group once, at any moment it is not blocked, to switch protocols.

import { appendTo, automaton, range, t, type IdsType, type Type } from "../ioa/index.ts";
import type { View } from "../specs/group.ts";

export interface Workload {
  /** Messages each process casts. */
  readonly casts: number;
  /** Messages each process sends to each other process. */
  readonly sends: number;
  /** How many processes cast, the highest-ranked ones (default: every process). */
  readonly casters?: number;
  /** The highest-ranked process asks the group, once, to switch to this protocol (default: no one asks). */
  readonly switchTo?: string;
}

export const castMessage = (i: number) => `m${i}`;
export const sendMessage = (i: number) => `s${i}`;

/** What a process casts, or sends to one destination, in a run that does all of its work. */
export function messages(count: number, name: (i: number) => string): string[] {
  return range(count).map((i) => name(i + 1));
}

export function application(P: IdsType, View: Type<View>, rank: number, workload: Workload) {
  const Msg = t.string();
  const State = t.record({
    /** How many messages it has cast. */
    cast: t.int(0),
    /** How many of them it cast before it installed its current view (casts m{castsBefore+1}… are of this view). */
    castsBefore: t.int(0),
    /** Per destination, how many messages it has sent. */
    sent: t.table(P, t.int(0)),
    /** Per caster, the casts delivered here, in order. */
    delivered: t.table(P, t.array(Msg)),
    /** Per sender, the sends received here, in order. */
    received: t.table(P, t.array(Msg)),
    crashed: t.bool(),
    /** Where it is in blocking: not asked (0), asked and yet to answer (1), blocked until the next view (2). */
    blocked: t.int(0, 2),
    /** It has asked the group to switch protocols. */
    switched: t.bool(),
  });
  const n = P.count;
  const casts = rank >= n - (workload.casters ?? n) ? workload.casts : 0;
  const peers = range(n).filter((q) => q !== rank);
  const record = (lists: string[][], from: number, msg: string) => lists.map((list, q) => (q === from ? appendTo(list, msg) : list));
  const base = automaton("application", State)
    .start({ cast: 0, castsBefore: 0, sent: Array<number>(n).fill(0), delivered: Array<string[]>(n).fill([]), received: Array<string[]>(n).fill([]), crashed: false, blocked: 0, switched: false })
    .output("cast", { p: P, msg: Msg }, {
      owner: "p",
      details: ({ p, msg }) => ({ message: { from: p, msg } }),
      enabled: (s) => (!s.crashed && s.blocked === 0 && s.cast < casts ? [{ p: rank, msg: castMessage(s.cast + 1) }] : []),
      next: (s) => State.with(s, { cast: s.cast + 1 }),
    })
    .output("send", { p: P, to: P, msg: Msg }, {
      owner: "p",
      details: ({ p, to, msg }) => ({ peer: to, message: { from: p, msg } }),
      enabled: (s) => (s.crashed || workload.sends === 0 ? [] : peers.filter((q) => s.sent[q]! < workload.sends).map((q) => ({ p: rank, to: q, msg: sendMessage(s.sent[q]! + 1) }))),
      next: (s, { to }) => State.with(s, { sent: s.sent.map((k, q) => (q === to ? k + 1 : k)) }),
    })
    .input("deliver", { p: P, from: P, msg: Msg }, { owner: "p", next: (s, { from, msg }) => State.with(s, { delivered: record(s.delivered, from, msg) }) })
    .input("receive", { p: P, from: P, msg: Msg }, { owner: "p", next: (s, { from, msg }) => State.with(s, { received: record(s.received, from, msg) }) })
    .output("blockOk", { p: P }, { owner: "p", enabled: (s) => (!s.crashed && s.blocked === 1 ? [{ p: rank }] : []), next: (s) => State.with(s, { blocked: 2 }) })
    .input("block", { p: P }, { owner: "p", next: (s) => State.with(s, { blocked: 1 }) })
    .input("view", { p: P, view: View }, { owner: "p", next: (s) => (s.blocked === 0 && s.castsBefore === s.cast ? s : State.with(s, { blocked: 0, castsBefore: s.cast })) })
    .input("crash", { p: P }, { owner: "p", next: (s) => State.with(s, { crashed: true }) })
    .input("recover", { p: P }, { owner: "p", next: (s) => State.with(s, { crashed: false }) });
  if (workload.switchTo === undefined) return base.instance(rank);
  const protocol = rank === n - 1 ? workload.switchTo : undefined;
  return base
    .output("switch", { p: P, protocol: t.string() }, {
      owner: "p",
      enabled: (s) => (protocol !== undefined && !s.crashed && s.blocked === 0 && !s.switched ? [{ p: rank, protocol }] : []),
      next: (s) => State.with(s, { switched: true }),
    })
    .instance(rank);
}
