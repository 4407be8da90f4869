// A small group over a faulty network, with every kind of action the simulator schedules: each
// process casts messages to every other one (steps), packets are delivered in any order
// (deliveries), lost, duplicated, cut off by partitions, and processes crash and recover (faults,
// each within a budget), and an optional timer retransmits what a live peer is missing. Without the
// timer, a lost packet is never delivered: the "everything delivered at quiescence" property breaks.

import { always, atQuiescence, automaton, ISet, model, range, replaceAt, sometimes, t, valuesEqual, withProperties, type Infer } from "../../ioa/index.ts";

export interface PingOptions {
  readonly processes: number;
  readonly casts: number;
  readonly drops: number;
  readonly duplicates: number;
  readonly crashes: number;
  readonly partitions: number;
  /** A timer that resends what a live peer is missing, after this delay (0: no timer). */
  readonly retransmit: number;
}

export function pingNetwork(o: PingOptions) {
  const P = t.int(0, o.processes - 1);
  const Id = t.record({ from: P, seq: t.int(0) });
  const Packet = t.record({ to: P, from: P, seq: t.int(0) });
  const State = t.record({
    sent: t.array(t.int(0)),
    got: t.array(t.set(Id)),
    net: t.array(Packet),
    up: t.array(t.bool()),
    split: t.array(t.array(P)),
    budget: t.record({ drops: t.int(0), duplicates: t.int(0), crashes: t.int(0), partitions: t.int(0) }),
  });
  type S = Infer<typeof State>;
  const ids = range(o.processes);
  const side = (s: S, p: number) => s.split.findIndex((c) => c.includes(p));
  const separated = (s: S, p: number, q: number) => s.split.length > 0 && side(s, p) !== side(s, q);
  const distinct = (net: readonly Infer<typeof Packet>[]) => net.filter((x, i) => net.findIndex((y) => valuesEqual(x, y)) === i);
  const without = (net: readonly Infer<typeof Packet>[], x: Infer<typeof Packet>) => {
    const at = net.findIndex((y) => valuesEqual(x, y));
    return net.filter((_, i) => i !== at);
  };
  const missing = (s: S, p: number) =>
    ids.flatMap((to) => (to === p || !s.up[to] ? [] : range(s.sent[p]!).map((seq) => ({ to, from: p, seq }))))
      .filter((x) => !s.got[x.to]!.has({ from: p, seq: x.seq }) && !s.net.some((y) => valuesEqual(x, y)));
  const splits = ids.slice(1).map((q) => [ids.filter((p) => p !== q), [q]]);
  const budget = (s: S, key: keyof S["budget"], by = -1) => ({ ...s.budget, [key]: s.budget[key] + by });

  return automaton("ping", State)
    .start({
      sent: ids.map(() => 0),
      got: ids.map(() => ISet.empty()),
      net: [],
      up: ids.map(() => true),
      split: [],
      budget: { drops: o.drops, duplicates: o.duplicates, crashes: o.crashes, partitions: o.partitions },
    })
    .internal("cast", { p: P, seq: t.int(0) }, {
      owner: "p",
      details: ({ p, seq }) => ({ label: `cast ${seq}`, message: { from: p, seq } }),
      enabled: (s) => ids.filter((p) => s.up[p]! && s.sent[p]! < o.casts).map((p) => ({ p, seq: s.sent[p]! })),
      next: (s, { p, seq }) => State.with(s, { sent: replaceAt(s.sent, p, seq + 1), net: [...s.net, ...ids.filter((q) => q !== p).map((to) => ({ to, from: p, seq }))] }),
    })
    .internal("deliver", { p: P, from: P, seq: t.int(0) }, {
      owner: "p",
      kind: "deliver",
      details: ({ from, seq }) => ({ peer: from, message: { from, seq } }),
      enabled: (s) => distinct(s.net).filter((x) => s.up[x.to] && !separated(s, x.to, x.from)).map(({ to, from, seq }) => ({ p: to, from, seq })),
      next: (s, { p, from, seq }) => State.with(s, { net: without(s.net, { to: p, from, seq }), got: replaceAt(s.got, p, s.got[p]!.add({ from, seq })) }),
    })
    .internal("drop", { to: P, from: P, seq: t.int(0) }, {
      kind: "fault",
      details: ({ to, from, seq }) => ({ fault: "drop", process: to, peer: from, message: { from, seq } }),
      enabled: (s) => (s.budget.drops > 0 ? distinct(s.net) : []),
      next: (s, x) => State.with(s, { net: without(s.net, { to: x.to, from: x.from, seq: x.seq }), budget: budget(s, "drops") }),
    })
    .internal("duplicate", { to: P, from: P, seq: t.int(0) }, {
      kind: "fault",
      details: ({ to, from, seq }) => ({ fault: "duplicate", process: to, peer: from, message: { from, seq } }),
      enabled: (s) => (s.budget.duplicates > 0 ? distinct(s.net) : []),
      next: (s, x) => State.with(s, { net: [...s.net, { to: x.to, from: x.from, seq: x.seq }], budget: budget(s, "duplicates") }),
    })
    .internal("crash", { p: P }, {
      kind: "fault",
      details: ({ p }) => ({ fault: "crash", process: p }),
      pre: (s, { p }) => s.up[p]! && s.budget.crashes > 0,
      next: (s, { p }) => State.with(s, { up: replaceAt(s.up, p, false), budget: budget(s, "crashes") }),
    })
    .internal("recover", { p: P }, {
      kind: "fault",
      details: ({ p }) => ({ fault: "recover", process: p }),
      pre: (s, { p }) => !s.up[p]!,
      next: (s, { p }) => State.with(s, { up: replaceAt(s.up, p, true) }),
    })
    .internal("partition", { components: t.array(t.array(P)) }, {
      kind: "fault",
      details: ({ components }) => ({ fault: "partition", components }),
      enabled: (s) => (s.budget.partitions > 0 && s.split.length === 0 ? splits.map((components) => ({ components })) : []),
      next: (s, { components }) => State.with(s, { split: components, budget: budget(s, "partitions") }),
    })
    .internal("heal", {}, {
      kind: "fault",
      details: () => ({ fault: "heal" }),
      pre: (s) => s.split.length > 0,
      next: (s) => State.with(s, { split: [] }),
    })
    .internal("retransmit", { p: P }, {
      owner: "p",
      kind: "timer",
      details: () => ({ delay: o.retransmit }),
      pre: (s, { p }) => o.retransmit > 0 && s.up[p]! && missing(s, p).length > 0,
      next: (s, { p }) => State.with(s, { net: [...s.net, ...missing(s, p)] }),
    });
}

export default model({
  name: "ping",
  description: "Processes cast to one another over a network that loses, duplicates, partitions and crashes.",
  params: { processes: 3, casts: 1, drops: 1, duplicates: 1, crashes: 1, partitions: 1, retransmit: 0 },
  build: (o) => {
    const system = pingNetwork(o);
    return withProperties(system, {
      integrity: always((s) => s.got.every((g) => g.toArray().every((id) => id.seq < s.sent[id.from]!)), "a process gets only messages that were sent"),
      duplicated: sometimes((s) => s.net.some((x, i) => s.net.findIndex((y) => valuesEqual(x, y)) !== i), "a packet is in flight twice"),
      allDelivered: atQuiescence(
        (s) => range(o.processes).every((p) => !s.up[p] || s.got[p]!.size === s.sent.reduce((n, k, q) => n + (q === p ? 0 : k), 0)),
        "once the network settles, every live process got every message",
      ),
    });
  },
});
