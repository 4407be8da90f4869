// MNAK: reliable FIFO multicast by sequence numbers and negative acknowledgements, after Ensemble's.
//
// Provides: reliableFifoCast — every cast reaches every live member, once, in the order it was
//           cast; castCounts — Ack events with the number of casts of each member delivered here.
// Requires: transport.
// Uses Stable events from a stability layer above (they bounce off the bottom) to collect its
// buffer and to learn of casts it has missed; without them it never collects and keeps repeating.
//
// Each member numbers its casts 0, 1, 2, … (header Data{seqno}) and keeps each until it is stable
// (every member has delivered it). A receiver delivers each member's casts in sequence, holds the
// ones that arrive early and drops the ones it has already delivered. When a cast arrives early,
// the receiver sends the caster a NAK for the casts it shows missing (its own message, Nak{lo, hi}:
// seqnos lo ≤ seqno < hi), and the caster casts them again, up to RECAST_LIMIT of them: a lost
// datagram of k casts is made up in one round trip. An early cast asks only for the casts it shows
// missing that no earlier early cast showed (those were asked for then): after a lost datagram of k
// casts, the casts behind it ask once, not once each — under load, where hundreds follow a loss,
// asking again with each made the caster cast the gap again hundreds of times, more than socket
// buffers hold, and the losses fed themselves. A Stable event that says some member has more casts
// than the receiver asks for at most LAG_NAK of them: under load other members are usually ahead
// only by casts still on their way, and the receiver asks at every Stable event while it lacks
// them, so a small ask keeps a lost last cast (which no later cast reveals) from waiting, without
// casting again what is in flight. The caster also casts its unstable messages again on its timer,
// at most RECAST_LIMIT, oldest first: that covers a lost NAK or a lost answer (a burst of thousands
// would overflow the buffers it is meant to make up for, and the oldest unstable casts are the ones
// every later delivery waits for). After each cast it makes and each cast that arrives, delivered
// or not, it reports its counts up in an Ack event (a caster that casts again has not heard them).
// A Block event from above freezes what the member delivers in the view: a
// membership layer that has told the others what it delivered sends it, so that the counts it
// reports from then on (and the stability computed from them) are what it really delivered.

import { IMap, replaceAt, t } from "../ioa/index.ts";
import type { CastEvent } from "./event.ts";
import { layer, type Io } from "./layer.ts";
import { retransmitDelay, type RetransmitOptions } from "./retransmit.ts";
import { bodyOf, carryingOf, type Body } from "./message.ts";
import { appended, droppedBefore, forEachInWindow, windowSize, windowType, type Window } from "./window.ts";

const Seqno = t.int(0);

/** Casts a caster casts again, at most, for one firing of its timer or one NAK (oldest first). */
export const RECAST_LIMIT = 64;

/**
 * Casts a receiver asks for, at most, when a Stable event says some member has casts it lacks. It
 * asks again at every Stable event while it lacks them, and under load each cast that arrives
 * brings one: an ask for k casts answered at each would cast again k times what is still on its
 * way. A gap that an early cast shows is asked for whole, once (see `receive`).
 */
export const LAG_NAK = 2;
export type MnakHeader = { readonly type: "Data"; readonly seqno: number } | { readonly type: "Nak"; readonly lo: number; readonly hi: number };
type Header = MnakHeader;

/** `retransmit.delay`: between the caster's recasts of its oldest unstable casts, how soon a lost NAK or a lost answer is made up. */
export function mnak(retransmit: RetransmitOptions = {}) {
  const delay = retransmitDelay("mnak", retransmit);
  return layer("mnak", { provides: ["reliableFifoCast", "castCounts"], requires: ["transport"] })
    .header(() => t.variant("type", { Data: { seqno: Seqno }, Nak: { lo: Seqno, hi: Seqno } }))
    .state(
      ({ P, Body }) => ({
        /** Per member, how many of its casts were delivered here; for this process, how many it cast. */
        next: t.table(P, Seqno),
        /** This process's casts until they are stable: those numbered up to next[rank] (a window: thousands wait under load). */
        sent: windowType(Body),
        /** Per member, its casts that arrived early (none from this process). */
        early: t.table(P, t.map(Seqno, Body)),
        /** A view change froze what this member delivers in the view (Block from above): casts that arrive are dropped. */
        frozen: t.bool(),
      }),
      ({ n }) => ({ next: Array<number>(n).fill(0), sent: [] as Window<Body>, early: Array<IMap<number, Body>>(n).fill(IMap.empty()), frozen: false }),
    )
    .handlers(({ rank, n }, State) => {
      type S = ReturnType<typeof State.with>;

      const recast = (io: Io<Header>, seqno: number, body: Body) => io.dn(carryingOf<CastEvent>({ type: "Cast" }, body), { type: "Data", seqno });
      const delivery = (q: number, body: Body): CastEvent => carryingOf<CastEvent>({ type: "Cast", peer: q }, body);
      const nak = (io: Io<Header>, q: number, lo: number, hi: number) => io.dn({ type: "Send", peer: q, unreliable: true }, { type: "Nak", lo, hi });

      function cast(s: S, ev: CastEvent, io: Io<Header>): S {
        const seqno = s.next[rank]!;
        const next = replaceAt(s.next, rank, seqno + 1);
        io.dn(ev, { type: "Data", seqno });
        io.up({ type: "Ack", casts: next });
        return State.with(s, { next, sent: appended(s.sent, seqno, bodyOf(ev)) });
      }

      /** Delivers `q`'s casts from `seqno` on, as far as they are here. */
      function deliverFrom(s: S, q: number, seqno: number, body: Body, io: Io<Header>): S {
        let held = s.early[q]!;
        let next = seqno;
        for (let b: Body | undefined = body; b !== undefined; b = held.get(next)) {
          held = held.delete(next);
          io.up(delivery(q, b));
          next++;
        }
        const counts = replaceAt(s.next, q, next);
        io.up({ type: "Ack", casts: counts });
        return State.with(s, { next: counts, early: replaceAt(s.early, q, held) });
      }

      /** A cast of `q` arrived: deliver it, hold it, or drop it, and report the counts (even unchanged: the caster is waiting to hear). */
      function receive(s: S, q: number, seqno: number, body: Body, io: Io<Header>): S {
        // Bottom casts to the others only: a cast of this very process from below is forged, not one of ours to count.
        if (q === rank || s.frozen) return s;
        const expected = s.next[q]!;
        if (seqno === expected) return deliverFrom(s, q, seqno, body, io);
        io.up({ type: "Ack", casts: s.next });
        const held = s.early[q]!;
        if (seqno < expected || held.has(seqno)) return s;
        // The casts missing before this one that the early casts held do not show missing already.
        const unasked = held.size === 0 ? expected : held.keyAt(held.size - 1)! + 1;
        if (unasked < seqno) nak(io, q, unasked, seqno);
        return State.with(s, { early: replaceAt(s.early, q, held.set(seqno, body)) });
      }

      /** Casts again this member's unstable casts from `lo` and before `hi`, at most `limit` of them, oldest first. */
      function recastFrom(s: S, lo: number, hi: number, limit: number, io: Io<Header>): void {
        const end = s.next[rank]!;
        const first = Math.max(lo, end - windowSize(s.sent));
        forEachInWindow(s.sent, end, (body, seqno) => recast(io, seqno, body), first, Math.min(hi, first + limit));
      }

      function stable(s: S, stability: readonly number[], numCasts: readonly number[], io: Io<Header>): S {
        for (let q = 0; q < n; q++) if (q !== rank && numCasts[q]! > s.next[q]!) nak(io, q, s.next[q]!, Math.min(numCasts[q]!, s.next[q]! + LAG_NAK));
        const sent = droppedBefore(s.sent, s.next[rank]!, stability[rank]!);
        return sent === s.sent ? s : State.with(s, { sent });
      }

      return {
        dn(s, ev, io) {
          if (ev.type === "Cast" && !ev.unreliable) return cast(s, ev, io);
          io.dn(ev);
          return s;
        },
        up(s, ev, header, io) {
          if (ev.type === "Cast" && header?.type === "Data") return receive(s, ev.peer!, header.seqno, bodyOf(ev), io);
          io.up(ev);
          return s;
        },
        dnControl(s, ev, io) {
          io.dn(ev);
          return ev.type === "Block" && !s.frozen ? State.with(s, { frozen: true }) : s;
        },
        upControl(s, ev, io) {
          io.up(ev);
          return ev.type === "Stable" ? stable(s, ev.stability, ev.numCasts, io) : s;
        },
        own(s, ev, header, io) {
          if (ev.type !== "Send" || header?.type !== "Nak") return s;
          recastFrom(s, header.lo, header.hi, RECAST_LIMIT, io);
          return s;
        },
        timers: {
          retransmit: {
            delay,
            when: (s) => windowSize(s.sent) > 0,
            fire(s, io) {
              recastFrom(s, 0, s.next[rank]!, RECAST_LIMIT, io);
              return s;
            },
          },
        },
      };
    });
}
