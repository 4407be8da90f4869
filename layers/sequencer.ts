// SEQUENCER: total order by a sequencer that announces the order, after Ensemble's seqbb and the
// ordering half of Isis's ABCAST.
//
// Provides: totalOrder — every member delivers the casts of a view in one order, the same at every
//           member; members that move together to the next view delivered the same casts of the
//           old one in the same order.
// Requires: reliableFifoCast (the k-th cast of q to arrive here is q's k-th), selfDelivery (a
//           member's own casts come back up through this layer, to wait for their turn like the
//           others) and viewMembership (at a view change every survivor has had the same casts and
//           announcements come up, so it has the same ones left).
//
// A cast going down gets the header Data, which tells it coming up from the announcements. Every
// member holds the casts that come up, per sender, until their turn. The view's sequencer — its
// lowest-ranked member — notes the sender of each cast as it arrives there and, on its timer or at
// once when `batch` are waiting, casts an announcement: the senders whose next casts come next, in
// order (its own message, Order{senders}; a cast is named by its sender alone, as the layers below
// deliver each sender's casts in order). A member delivers a held cast when the announcements say
// it is its turn. The sequencer announces nothing once a view change has begun (Block came up):
// an announcement must belong to the view whose casts it orders.
//
// When a view is installed, what is left is delivered first: casts announced and not yet
// delivered, in their turn — every survivor has the same casts and announcements, and what a
// member that went elsewhere delivered is a prefix of them. Casts never announced are delivered
// after them, by sender rank and each in its sender's order, only if the old view's sequencer
// moves to the new view too: then nobody delivered them, and every member of the new view
// delivers them alike. Without it (it crashed, or the group split) another part of the group
// may be ordering them otherwise, and they are dropped: the total order service allows a cast to
// go undelivered, never to be delivered in two orders.

import { appendTo, t } from "../ioa/index.ts";
import type { CastEvent } from "./event.ts";
import { layer, type Io } from "./layer.ts";
import { bodyOf, carryingOf, type Body } from "./message.ts";
import { castInTurn, deliverLeftovers, holding, takeTurns } from "./turns.ts";

/** Senders a sequencer gathers before it announces without waiting for its timer. */
export const DEFAULT_BATCH = 64;

export type SequencerHeader = { readonly type: "Data" } | { readonly type: "Order"; readonly senders: readonly number[] };

export interface SequencerOptions {
  /** Announce at once when this many casts wait for one (default DEFAULT_BATCH). */
  readonly batch?: number;
  /** Milliseconds the sequencer waits to gather casts into one announcement (default 1). */
  readonly delay?: number;
}

export function sequencer(options: SequencerOptions = {}) {
  const batch = options.batch ?? DEFAULT_BATCH;
  return layer("sequencer", { provides: ["totalOrder"], requires: ["reliableFifoCast", "selfDelivery", "viewMembership"] })
    .header(({ P }) => t.variant("type", { Data: {}, Order: { senders: t.array(P) } }))
    .state(
      ({ P, Body }) => ({
        /** Per sender, its casts that came up and wait for their turn, oldest first. */
        held: t.table(P, t.array(Body)),
        /** The senders whose next casts come next, as announced, in order. */
        order: t.array(P),
        /** At the sequencer: the senders of casts that arrived and are not yet announced. */
        unannounced: t.array(P),
        /** A view change has begun: announce nothing more in this view. */
        changing: t.bool(),
      }),
      ({ n }) => ({ held: Array<Body[]>(n).fill([]), order: [] as number[], unannounced: [] as number[], changing: false }),
    )
    .handlers(({ rank }, State) => {
      type S = ReturnType<typeof State.with>;
      type H = SequencerHeader;
      const isSequencer = (io: Io<H>) => io.view.members.first() === rank;
      const delivery = (io: Io<H>) => (from: number, body: Body) => io.up(carryingOf<CastEvent>({ type: "Cast", peer: from }, body));

      function announce(s: S, io: Io<H>): S {
        io.dn({ type: "Cast" }, { type: "Order", senders: s.unannounced });
        return State.with(s, { unannounced: [] });
      }

      /** Delivers, in the announced order, as many held casts as have their turn. */
      function deliverInTurn(s: S, io: Io<H>): S {
        const left = takeTurns(s.order, s.held, delivery(io));
        return left.order === s.order ? s : State.with(s, left);
      }

      return {
        dn: castInTurn,
        up(s, ev, header, io) {
          if (ev.type !== "Cast" || header?.type !== "Data" || ev.peer === undefined) return io.up(ev), s;
          const from = ev.peer;
          const held = State.with(s, { held: holding(s.held, from, bodyOf(ev)) });
          if (!isSequencer(io)) return deliverInTurn(held, io);
          const noted = State.with(held, { unannounced: appendTo(held.unannounced, from) });
          return noted.unannounced.length >= batch && !noted.changing ? announce(noted, io) : noted;
        },
        own(s, ev, header, io) {
          if (ev.type !== "Cast" || header?.type !== "Order") return s;
          return deliverInTurn(State.with(s, { order: s.order.concat(header.senders) }), io);
        },
        upControl(s, ev, io) {
          // Back from a crash, as after a restart: the casts it holds are of a view it has left.
          if (ev.type === "Recover") return io.up(ev), State.with(s, { held: s.held.map(() => []), order: [], unannounced: [], changing: true });
          if (ev.type === "View") deliverLeftovers(s.order, s.held, ev.view.members.has(io.view.members.first()!), delivery(io));
          io.up(ev);
          return ev.type === "Block" && !s.changing ? State.with(s, { changing: true }) : s;
        },
        timers: {
          announce: { delay: options.delay ?? 1, when: (s) => s.unannounced.length > 0 && !s.changing, fire: announce },
        },
      };
    });
}
