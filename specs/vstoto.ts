// VStoTO: totally ordered broadcast built on the VS service (Fekete, Lynch and Shvartsman), one
// client automaton per process. Composed with the VS automaton, with the VS actions hidden, its
// traces are TO traces — the first layer checked against the service below it and the service above.
//
// Each value a process casts gets a label ⟨view, seqno, origin⟩ and is sent through VS. In a
// primary view (one holding a majority) every member appends labels to its `order` in VS delivery
// order, which VS makes the same at all members; a label is confirmed once VS says it is safe
// (every member of the view has it), and confirmed values are delivered in order. On each new view
// the members exchange summaries of what they know (content, order, how far they confirmed, the
// last primary view they were in); once all summaries are in, the members adopt the order of a
// representative from the latest primary view, followed, in a primary view, by every other label
// they know of in label order. When every summary is safe, the order fixed by the exchange is
// confirmable. Outside a primary view nothing new is ordered or confirmed.
//
// The reference notes reconstruct the algorithm and leave three details open; we decide them as
// follows. A value is labelled only in status normal (after the exchange), so a label never travels
// both in a summary and as a value, and is never ordered twice. Safe labels are forgotten at a view
// change: a label is confirmable at a position only if it was made safe at that position in the
// current view (by its value's safe indication, or by the exchange's). A process in a non-primary
// view adopts the representative's order and nothing more. The representative is the lowest id
// among those with the latest primary view.
//
// The summaries gathered are forgotten once the exchange completes (nothing reads them after), so
// that states differing only in them are one state for the checker.
//
// `confirmsUnsafe` plants a bug: labels are confirmed as soon as they are ordered, without waiting
// for VS to say every member has them.

import { appendTo, automaton, IMap, ISet, t, type IdsType, type Type, type Value } from "../ioa/index.ts";
import { groupTypes, type ProcessId, type View } from "./group.ts";

export type Label = { readonly view: number; readonly seq: number; readonly origin: ProcessId };
export type Summary<A extends Value> = {
  readonly con: IMap<Label, A>;
  readonly ord: Label[];
  readonly confirmed: number;
  /** The last primary view the sender was in (-1: none). */
  readonly high: number;
};
export type Packet<A extends Value> = ({ readonly type: "value"; readonly label: Label; readonly value: A } | ({ readonly type: "summary" } & Summary<A>));

export interface VstotoOptions<A extends Value> {
  readonly processes: number;
  /** The type of the values the clients cast. */
  readonly value: Type<A>;
  readonly confirmsUnsafe?: boolean;
}

/** The types VStoTO sends through VS. */
export function vstotoTypes<A extends Value>(P: IdsType, value: Type<A>) {
  const Label = t.record({ view: t.int(0), seq: t.int(1), origin: P });
  const summary = { con: t.map(Label, value), ord: t.array(Label), confirmed: t.int(0), high: t.int(-1) };
  return { Label, Summary: t.record(summary), Packet: t.variant("type", { value: { label: Label, value }, summary }) as unknown as Type<Packet<A>> };
}

const byLabel = (a: Label, b: Label) => a.view - b.view || a.seq - b.seq || a.origin - b.origin;
const sameLabel = (a: Label, b: Label) => byLabel(a, b) === 0;

/** A majority of the n processes. */
function isPrimary(view: View | undefined, n: number): boolean {
  return view !== undefined && 2 * view.members.size > n;
}

/** The order the exchange settles on, given every member's summary. */
function exchangedOrder<A extends Value>(summaries: IMap<ProcessId, Summary<A>>, primary: boolean): Label[] {
  const all = [...summaries];
  const latest = Math.max(...all.map(([, x]) => x.high));
  const [, rep] = all.filter(([, x]) => x.high === latest).sort(([p], [q]) => p - q)[0]!;
  if (!primary) return rep.ord;
  const known = ISet.from(all.flatMap(([, x]) => x.con.keys()));
  const rest = known.toArray().filter((l) => !rep.ord.some((x) => sameLabel(x, l)));
  return [...rep.ord, ...rest.sort(byLabel)];
}

/** VStoTO at process p. */
export function vstotoProcess<A extends Value>(options: VstotoOptions<A>, p: ProcessId) {
  const n = options.processes;
  const top = groupTypes(n, options.value);
  const { Label, Summary, Packet } = vstotoTypes(top.P, options.value);
  const vs = groupTypes(n, Packet);
  const State = t.record({
    current: t.optional(vs.View),
    status: t.enum("normal", "send", "collect"),
    content: t.map(Label, options.value),
    nextseq: t.int(1),
    /** Own labels not yet sent. */
    buffer: t.array(Label),
    /** Cast values waiting for a label. */
    delay: t.array(options.value),
    order: t.array(Label),
    safeLabels: t.set(Label),
    confirmed: t.int(0),
    reported: t.int(0),
    high: t.int(-1),
    gotstate: t.map(vs.P, Summary),
    safeExchange: t.set(vs.P),
    /** How long the order was when the exchange completed. */
    exchanged: t.int(0),
  });
  type S = ReturnType<typeof State.with>;
  const primary = (s: S) => isPrimary(s.current, n);
  const summaryOf = (s: S): Summary<A> => ({ con: s.content, ord: s.order, confirmed: s.confirmed, high: s.high });

  const exchange = (s: S, from: ProcessId, x: Summary<A>): S => {
    const gotstate = s.gotstate.set(from, x);
    if (!s.current || !s.current.members.every((q) => gotstate.has(q))) return State.with(s, { gotstate });
    const content = [...gotstate.values()].reduce((acc, y) => [...y.con].reduce((c, [l, a]) => c.set(l, a), acc), s.content);
    const order = exchangedOrder(gotstate, primary(s));
    return State.with(s, {
      gotstate: IMap.empty(),
      content,
      order,
      exchanged: order.length,
      confirmed: Math.max(...[...gotstate.values()].map((y) => y.confirmed)),
      high: primary(s) ? s.current.id : s.high,
      status: "normal",
    });
  };

  return automaton("vstoto", State)
    .start({
      current: { id: 0, members: ISet.from(Array.from({ length: n }, (_, p) => p)) },
      status: "normal",
      content: IMap.empty(),
      nextseq: 1,
      buffer: [],
      delay: [],
      order: [],
      safeLabels: ISet.empty(),
      confirmed: 0,
      reported: 0,
      high: 0,
      gotstate: IMap.empty(),
      safeExchange: ISet.empty(),
      exchanged: 0,
    })
    .input("cast", top.cast, { owner: "p", next: (s, { msg }) => State.with(s, { delay: appendTo(s.delay, msg) }) })
    .internal("label", { p: top.P }, {
      owner: "p",
      pre: { "a value waits": (s) => s.delay.length > 0, "in a view, exchange done": (s) => s.current !== undefined && s.status === "normal" },
      next: (s) => {
        const l = { view: s.current!.id, seq: s.nextseq, origin: p };
        return State.with(s, { delay: s.delay.slice(1), content: s.content.set(l, s.delay[0]!), buffer: appendTo(s.buffer, l), nextseq: s.nextseq + 1 });
      },
    })
    .output("gpsnd", vs.cast, {
      owner: "p",
      enabled: (s) => {
        if (s.status === "send") return [{ p, msg: { type: "summary" as const, ...summaryOf(s) } }];
        const l = s.buffer[0];
        return s.status === "normal" && l ? [{ p, msg: { type: "value" as const, label: l, value: s.content.get(l)! } }] : [];
      },
      next: (s, { msg }) => (msg.type === "summary" ? State.with(s, { status: "collect" }) : State.with(s, { buffer: s.buffer.slice(1) })),
    })
    .input("gprcv", vs.deliver, {
      owner: "p",
      next: (s, { from, msg }) => {
        if (msg.type === "summary") return exchange(s, from, { con: msg.con, ord: msg.ord, confirmed: msg.confirmed, high: msg.high });
        const content = s.content.set(msg.label, msg.value);
        return State.with(s, { content, order: primary(s) ? appendTo(s.order, msg.label) : s.order });
      },
    })
    .input("gpsafe", vs.safe, {
      owner: "p",
      next: (s, { from, msg }) => {
        if (!primary(s)) return s;
        if (msg.type === "value") return State.with(s, { safeLabels: s.safeLabels.add(msg.label) });
        const safeExchange = s.safeExchange.add(from);
        const complete = s.current!.members.every((q) => safeExchange.has(q));
        return State.with(s, { safeExchange, safeLabels: complete ? s.safeLabels.union(s.order.slice(0, s.exchanged)) : s.safeLabels });
      },
    })
    .internal("confirm", { p: top.P }, {
      owner: "p",
      pre: {
        "in a primary view": (s) => primary(s),
        "the next label is ordered and safe": (s) => s.confirmed < s.order.length && (options.confirmsUnsafe === true || s.safeLabels.has(s.order[s.confirmed]!)),
      },
      next: (s) => State.with(s, { confirmed: s.confirmed + 1 }),
    })
    .output("deliver", top.deliver, {
      owner: "p",
      kind: "deliver",
      details: ({ from, msg }) => ({ peer: from, message: { from, msg } }),
      enabled: (s) => {
        const l = s.reported < s.confirmed ? s.order[s.reported] : undefined;
        return l ? [{ p, from: l.origin, msg: s.content.get(l)! }] : [];
      },
      next: (s) => State.with(s, { reported: s.reported + 1 }),
    })
    .input("newview", vs.view, {
      owner: "p",
      next: (s, { view }) =>
        State.with(s, { current: view, nextseq: 1, buffer: [], gotstate: IMap.empty(), safeExchange: ISet.empty(), safeLabels: ISet.empty(), status: "send" }),
    })
    .instance(p, `vstoto[${p}]`);
}
