// The partitionable virtual synchrony service of Fekete, Lynch and Shvartsman (VS-machine).
//
// Views are created and installed as in the membership service (membership.ts). Each view g has
// one queue, the order of the messages sent in g: a cast by p in g waits in pending[p][g] until an
// internal `order` action appends it to queue[g], in p's cast order. A process in view g delivers
// queue[g] from the front, and gets a `safe` indication for an entry once every member of g has
// delivered it. A cast by a process outside any view is dropped.
//
// What VS does not promise: members that move together from g to the same next view may have
// delivered different prefixes of queue[g] (no agreement on the delivered set), and a process may
// leave a view before it delivers its own messages (no self delivery).
//
// One detail follows FLS's note N1 rather than a literal reading: whether `createview` needs an id
// above every created id or only an unused one, the traces are the same; we keep "above every
// created id", which gives fewer states.
//
// The total order service (to.ts) is this machine without safe indications and with agreement on
// the delivered set at each view change; `orderedViewService` builds both.

import { appendTo, automaton, IMap, range, replaceAt, t, type Type, type Value } from "../ioa/index.ts";
import { groupTypes, type MessageId, type ProcessId } from "./group.ts";
import {
  createdType,
  creatableViews,
  crashed,
  currentView,
  installableViews,
  installed,
  memberType,
  plannedViews,
  recovered,
  startCreated,
  startMembers,
  type ViewPlan,
} from "./membership.ts";

export interface ServiceOptions<M> {
  readonly processes: number;
  /** The type of the messages cast (it must match the client's). */
  readonly msg: Type<M>;
  readonly views: ViewPlan;
}

/** FLS's VS-machine. */
export function vsService<M extends Value>(options: ServiceOptions<M>) {
  const { machine, State, nextSafe, G } = orderedViewService("vs", options, { agreedCuts: false });
  return machine.output("safe", G.safe, {
    owner: "p",
    details: ({ from, msg }) => ({ peer: from, message: { from, msg } }),
    enabled: (s) =>
      range(options.processes).flatMap((p) => {
        const entry = nextSafe(s, p);
        return entry ? [{ p, from: entry.from, msg: entry.msg }] : [];
      }),
    next: (s, { p }) => State.with(s, { safe: replaceAt(s.safe, p, s.safe[p]! + 1) }),
  });
}

/**
 * The shared machine of the VS and TO services, without safe indications: views, and one order of
 * messages per view. With `agreedCuts`, members moving together from one view to the next have
 * delivered the same messages in it (TO).
 */
export function orderedViewService<M extends Value>(name: string, options: ServiceOptions<M>, features: { readonly agreedCuts: boolean }) {
  const n = options.processes;
  const G = groupTypes(n, options.msg);
  const planned = plannedViews(n, options.views);
  const ViewId = t.int(0);
  const State = t.record({
    created: createdType(G.P),
    members: t.table(G.P, memberType()),
    /** FLS queue[g]: the order of the messages of view g. */
    queue: t.map(ViewId, t.array(G.MessageId)),
    /** FLS pending[p][g]: p's casts in view g, not yet ordered. */
    pending: t.table(G.P, t.map(ViewId, t.array(G.Msg))),
    /** How many entries of queue[g] p has delivered (FLS next[p][g] - 1); absent for none. */
    delivered: t.table(G.P, t.map(ViewId, t.int(1))),
    /** How many entries of its current view's queue p has had safe indications for (FLS next_safe - 1). */
    safe: t.table(G.P, t.int(0)),
    /** TO: how many messages of view `from` the first process to move from `from` to `to` had delivered. */
    cuts: t.map(t.record({ from: ViewId, to: ViewId }), t.int(0)),
  });
  type S = ReturnType<typeof State.with>;

  const deliveredIn = (s: S, p: ProcessId, g: number) => s.delivered[p]!.get(g) ?? 0;
  const queueOf = (s: S, g: number) => s.queue.get(g) ?? [];

  /** The entry p would deliver next, if any. */
  const nextDelivery = (s: S, p: ProcessId): MessageId<M> | undefined => {
    const g = currentView(s.members[p]!);
    return g === undefined ? undefined : queueOf(s, g)[deliveredIn(s, p, g)];
  };

  /** The entry p would get a safe indication for next, if every member of its view has delivered it. */
  const nextSafe = (s: S, p: ProcessId): MessageId<M> | undefined => {
    const g = currentView(s.members[p]!);
    if (g === undefined) return undefined;
    const k = s.safe[p]!;
    const entry = queueOf(s, g)[k];
    return entry && s.created.get(g)!.every((r) => deliveredIn(s, r, g) > k) ? entry : undefined;
  };

  /** TO: p may move to view v only having delivered, in its current view, what the first mover did. */
  const agreesWithCut = (s: S, p: ProcessId, to: number) => {
    const from = currentView(s.members[p]!);
    if (!features.agreedCuts || from === undefined) return true;
    const cut = s.cuts.get({ from, to });
    return cut === undefined || cut === deliveredIn(s, p, from);
  };

  const withCut = (s: S, p: ProcessId, to: number) => {
    const from = currentView(s.members[p]!);
    if (!features.agreedCuts || from === undefined || s.cuts.has({ from, to })) return s.cuts;
    return s.cuts.set({ from, to }, deliveredIn(s, p, from));
  };

  const machine = automaton(name, State)
    .start({
      created: startCreated(n, options.views),
      members: startMembers(n),
      queue: IMap.empty(),
      pending: range(n).map(() => IMap.empty()),
      delivered: range(n).map(() => IMap.empty()),
      safe: range(n).map(() => 0),
      cuts: IMap.empty(),
    })
    .internal("createView", { view: G.View }, {
      enabled: (s) => creatableViews(planned, s.created).map((view) => ({ view })),
      next: (s, { view }) => State.with(s, { created: s.created.set(view.id, view.members) }),
    })
    .output("view", G.view, {
      owner: "p",
      enabled: (s) =>
        range(n).flatMap((p) => installableViews(s.created, s.members[p]!, p).filter((v) => agreesWithCut(s, p, v.id)).map((view) => ({ p, view }))),
      next: (s, { p, view }) =>
        State.with(s, { cuts: withCut(s, p, view.id), members: installed(s.members, p, view.id), safe: replaceAt(s.safe, p, 0) }),
    })
    .input("cast", G.cast, {
      details: ({ p, msg }) => ({ message: { from: p, msg } }),
      next: (s, { p, msg }) => {
        const g = currentView(s.members[p]!);
        if (g === undefined) return s;
        const mine = s.pending[p]!;
        return State.with(s, { pending: replaceAt(s.pending, p, mine.set(g, appendTo(mine.get(g) ?? [], msg))) });
      },
    })
    .internal("order", { from: G.P, view: ViewId, msg: G.Msg }, {
      owner: "from",
      enabled: (s) => range(n).flatMap((from) => [...s.pending[from]!].map(([view, msgs]) => ({ from, view, msg: msgs[0]! }))),
      next: (s, { from, view, msg }) => {
        const rest = s.pending[from]!.get(view)!.slice(1);
        const mine = rest.length === 0 ? s.pending[from]!.delete(view) : s.pending[from]!.set(view, rest);
        return State.with(s, { pending: replaceAt(s.pending, from, mine), queue: s.queue.set(view, appendTo(queueOf(s, view), { from, msg })) });
      },
    })
    .output("deliver", G.deliver, {
      owner: "p",
      kind: "deliver",
      details: ({ from, msg }) => ({ peer: from, message: { from, msg } }),
      enabled: (s) => range(n).flatMap((p) => {
        const entry = nextDelivery(s, p);
        return entry ? [{ p, from: entry.from, msg: entry.msg }] : [];
      }),
      next: (s, { p }) => {
        const g = currentView(s.members[p]!)!;
        return State.with(s, { delivered: replaceAt(s.delivered, p, s.delivered[p]!.set(g, deliveredIn(s, p, g) + 1)) });
      },
    })
    .input("crash", G.crash, {
      kind: "fault",
      details: () => ({ fault: "crash" }),
      next: (s, { p }) => State.with(s, { members: crashed(s.members, p) }),
    })
    .input("recover", G.recover, {
      kind: "fault",
      details: () => ({ fault: "recover" }),
      next: (s, { p }) => State.with(s, { members: recovered(s.members, p), safe: replaceAt(s.safe, p, 0) }),
    });
  return { machine, State, nextSafe, G };
}
