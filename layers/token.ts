// TOKEN: total order by a rotating sequencer — the right to order (the token) passes round the view
// with each announcement, so no one member orders every cast (after the moving sequencers of
// Chang and Maxemchuk and of Ensemble's and Totem's token rings, with the token riding on the
// announcements rather than travelling on its own).
//
// Provides: totalOrder — every member delivers the casts of a view in one order, the same at every
//           member; members that move together to the next view delivered the same casts of the
//           old one in the same order.
// Requires: reliableFifoCast (the k-th cast of q to arrive here is q's k-th, and q's announcements
//           arrive in the order q made them), selfDelivery (a member's own casts and announcements
//           come back up through this layer) and viewMembership (at a view change every survivor
//           has had the same casts and announcements come up).
//
// A cast going down gets the header Data and is held, per sender, at every member until its turn,
// as with the sequencer. The token holder — at the start of a view its lowest-ranked member —
// announces the casts that came up to it and that no announcement names yet: it casts
// Order{senders, next}, which gives those senders their next turns, in order, and passes the token
// to `next`, the member after it in rank order (round the view). Announcements form one chain: the
// first is the first holder's, each next one is the announcement of the member the previous one
// passed the token to. A member takes the announcements in chain order, holding any that comes
// before its turn in the chain (its maker's earlier ones are not yet taken), and delivers held casts
// as their turns come. The holder announces on its timer, at once when `batch` casts wait, and at
// once when the token comes to it and casts wait; with nothing to announce it keeps the token. It
// announces nothing once a view change has begun (Block came up).
//
// At a view change every survivor has the same casts and announcements, so the same chain up to
// the same holder. Casts announced and not delivered are delivered first, in their turn. The casts
// no announcement names are delivered after them, by sender rank, only if every announced turn
// could be taken and the holder moves to the new view too: then no one can have announced them in
// the old view. Otherwise they are dropped (turns.ts).

import { appendTo, replaceAt, t } from "../ioa/index.ts";
import type { CastEvent, ViewValue } from "./event.ts";
import { layer, type Io } from "./layer.ts";
import { bodyOf, carryingOf, type Body } from "./message.ts";
import { DEFAULT_BATCH } from "./sequencer.ts";
import { castInTurn, deliverLeftovers, holding, takeTurns } from "./turns.ts";

/** An announcement: the senders whose next casts come next, in order, and the member the token goes to. */
export type Announcement = { readonly senders: readonly number[]; readonly next: number };
export type TokenHeader = { readonly type: "Data" } | ({ readonly type: "Order" } & Announcement);

export interface TokenOptions {
  /** Announce at once when this many casts wait for one (default DEFAULT_BATCH). */
  readonly batch?: number;
  /** Milliseconds the holder waits to gather casts into one announcement (default 1). */
  readonly delay?: number;
}

/** The member after `rank` in `view`, round the view in rank order. */
export function nextInView(view: ViewValue, rank: number): number {
  const members = view.members.toArray();
  return members[(members.indexOf(rank) + 1) % members.length]!;
}

export function token(options: TokenOptions = {}) {
  const batch = options.batch ?? DEFAULT_BATCH;
  return layer("token", { provides: ["totalOrder"], requires: ["reliableFifoCast", "selfDelivery", "viewMembership"] })
    .header(({ P }) => t.variant("type", { Data: {}, Order: { senders: t.array(P), next: P } }))
    .state(
      ({ P, Body }) => ({
        /** Per sender, its casts that came up and wait for their turn, oldest first. */
        held: t.table(P, t.array(Body)),
        /** The senders whose next casts come next, as announced, in order. */
        order: t.array(P),
        /** Per sender, how many of its casts came up here in this view, and how many the announcements taken name. */
        received: t.table(P, t.int(0)),
        announced: t.table(P, t.int(0)),
        /** Whose announcement comes next in the chain: the token holder, as far as this member knows. */
        holder: P,
        /** Per maker, announcements that came up before their turn in the chain, oldest first. */
        early: t.table(P, t.array(t.record({ senders: t.array(P), next: P }))),
        /** A view change has begun: announce nothing more in this view. */
        changing: t.bool(),
      }),
      ({ n }, view) => ({
        held: Array<Body[]>(n).fill([]),
        order: [] as number[],
        received: Array<number>(n).fill(0),
        announced: Array<number>(n).fill(0),
        holder: view.members.first()!,
        early: Array<{ senders: number[]; next: number }[]>(n).fill([]),
        changing: false,
      }),
    )
    .handlers(({ rank, n }, State) => {
      type S = ReturnType<typeof State.with>;
      type H = TokenHeader;
      const delivery = (io: Io<H>) => (from: number, body: Body) => io.up(carryingOf<CastEvent>({ type: "Cast", peer: from }, body));
      const unannounced = (s: S) => s.received.reduce((sum, k, q) => sum + Math.max(0, k - s.announced[q]!), 0);
      const mayAnnounce = (s: S) => s.holder === rank && !s.changing && unannounced(s) > 0;

      /** Casts Order for the casts no announcement names yet, passing the token on; it comes back up (selfDelivery) to be taken. */
      function announce(s: S, io: Io<H>): S {
        const senders: number[] = [];
        for (let q = 0; q < n; q++) for (let k = s.announced[q]!; k < s.received[q]!; k++) senders.push(q);
        io.dn({ type: "Cast" }, { type: "Order", senders, next: nextInView(io.view, rank) });
        return s;
      }

      /** Delivers, in the announced order, as many held casts as have their turn. */
      function deliverInTurn(s: S, io: Io<H>): S {
        const left = takeTurns(s.order, s.held, delivery(io));
        return left.order === s.order ? s : State.with(s, left);
      }

      /** Takes the announcements whose turn in the chain has come. */
      function takeAnnouncements(s: S): S {
        let { order, announced, holder, early } = s;
        if (early[holder]!.length === 0) return s;
        for (let next = early[holder]![0]; next !== undefined; next = early[holder]![0]) {
          early = replaceAt(early, holder, early[holder]!.slice(1));
          order = order.concat(next.senders);
          announced = announced.slice();
          for (const q of next.senders) announced[q]!++;
          holder = next.next;
        }
        return State.with(s, { order, announced, holder, early });
      }

      return {
        dn: castInTurn,
        up(s, ev, header, io) {
          if (ev.type !== "Cast" || header?.type !== "Data" || ev.peer === undefined) return io.up(ev), s;
          const from = ev.peer;
          const held = State.with(s, { held: holding(s.held, from, bodyOf(ev)), received: replaceAt(s.received, from, s.received[from]! + 1) });
          const next = deliverInTurn(held, io);
          return mayAnnounce(next) && unannounced(next) >= batch ? announce(next, io) : next;
        },
        own(s, ev, header, io) {
          if (ev.type !== "Cast" || header?.type !== "Order" || ev.peer === undefined) return s;
          const { senders, next: to } = header;
          const queued = State.with(s, { early: replaceAt(s.early, ev.peer, appendTo(s.early[ev.peer]!, { senders, next: to })) });
          const taken = deliverInTurn(takeAnnouncements(queued), io);
          // The token came here with casts waiting: announce them at once, not on the timer.
          return s.holder !== rank && mayAnnounce(taken) ? announce(taken, io) : taken;
        },
        upControl(s, ev, io) {
          if (ev.type === "View") deliverLeftovers(s.order, s.held, ev.view.members.has(s.holder), delivery(io));
          io.up(ev);
          return ev.type === "Block" && !s.changing ? State.with(s, { changing: true }) : s;
        },
        timers: {
          announce: { delay: options.delay ?? 1, when: mayAnnounce, fire: announce },
        },
      };
    });
}
