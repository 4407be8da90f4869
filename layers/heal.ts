// HEAL: concurrent views of a group find each other, after Ensemble's HEAL.
//
// Provides: partitionHealing — a view that is not the whole group learns of the group's other
//           views and merges into the larger ones (MergeRequest down, to the membership layer);
//           a member that a newer view left out is told (Excluded up, to the application), and
//           its view drops the members that moved on (Suspect down, bounced up by the bottom).
// Requires: partitionMerge (a layer below takes MergeRequest and merges), transport (the
//           cross-view channel: sends marked `outside`).
//
// The coordinator of a view that is not the whole group (its lowest-ranked member) gossips the
// view to every process outside it, on a background timer: Gossip{view, contact}, where contact is
// the coordinator. A member in view V that hears the gossip of view W:
//   - W is newer than V, holds members of V, and not this member: they moved on without it (it was
//     stopped, or cut off, and they excluded it). It suspects them, so that V's remaining members
//     (perhaps this one alone) install a view without them, and tells the application, once a view.
//   - W and V are disjoint: two partitions of the group. The smaller, by (size, id), merges into
//     the larger: its coordinator asks the layer below (MergeRequest{W, contact}); a member of the
//     larger answers with its own view's gossip, so that the smaller one's coordinator hears at
//     once whom to ask (a joiner reaches the coordinator through any member).
//   - otherwise (W is V, or older, or overlaps V and holds this member): nothing to do here; the
//     other side hears this side's gossip.
// Views that overlap are never merged: a view that holds members that moved on is first rid of them.

import { t, type ISet, type Type } from "../ioa/index.ts";
import type { ViewValue } from "./event.ts";
import { layer, type Io } from "./layer.ts";

export type HealHeader = { readonly type: "Gossip"; readonly view: ViewValue; readonly contact: number };
type Header = HealHeader;

export interface HealOptions {
  /** Milliseconds between a coordinator's gossips to the processes outside its view (default 1,000). */
  readonly gossip?: number;
}

/** Does view `a` merge into view `b` (and not the other way round)? The smaller by size, then by id: one order every process agrees on. */
export function mergesInto(a: ViewValue, b: ViewValue): boolean {
  return a.members.size < b.members.size || (a.members.size === b.members.size && a.id < b.id);
}

/** A view's coordinator: its lowest-ranked member. */
const coordinator = (view: ViewValue) => view.members.toArray().reduce((a, b) => Math.min(a, b), Infinity);

export function heal(options: HealOptions = {}) {
  const gossipDelay = options.gossip ?? 1000;
  return layer("heal", { provides: ["partitionHealing"], requires: ["partitionMerge", "transport"] })
    .header(({ P }): Type<Header> => t.variant("type", { Gossip: { view: t.record({ id: t.int(0), members: t.set(P) }), contact: P } }))
    .state(
      () => ({
        /** This member coordinates a view that is not the whole group: it gossips. */
        gossiping: t.bool(),
        /** The application has been told that a newer view left this member out (once a view). */
        excluded: t.bool(),
        /** The application is leaving (Leave went down): a view without this member is no exclusion. */
        leaving: t.bool(),
        /** The member left the group (Exit came up): it has nothing more to say to anyone, nor to hear. */
        exited: t.bool(),
      }),
      ({ rank, n }, view) => ({ gossiping: coordinator(view) === rank && view.members.size < n, excluded: false, leaving: false, exited: false }),
    )
    .handlers(({ rank, n }, State) => {
      type S = ReturnType<typeof State.with>;
      const gossip = (io: Io<Header>, to: number, view: ViewValue) => io.dn({ type: "Send", peer: to, unreliable: true, outside: true }, { type: "Gossip", view, contact: coordinator(view) });
      const overlap = (a: ISet<number>, b: ISet<number>) => a.some((q) => b.has(q));

      function heard(s: S, from: number, theirs: ViewValue, contact: number, io: Io<Header>): S {
        const mine = io.view;
        if (s.exited || theirs.id === mine.id) return s;
        if (overlap(theirs.members, mine.members)) {
          if (theirs.id < mine.id || theirs.members.has(rank)) return s;
          io.dn({ type: "Suspect", suspects: theirs.members.intersection(mine.members) });
          if (s.excluded || s.leaving) return s;
          io.up({ type: "Excluded", view: theirs });
          return State.with(s, { excluded: true });
        }
        const coordinating = coordinator(mine) === rank;
        // Theirs merges into this view: tell them whom to ask (the coordinator's own gossip will).
        if (mergesInto(theirs, mine) && !coordinating) gossip(io, from, mine);
        if (!mergesInto(theirs, mine) && coordinating) io.dn({ type: "MergeRequest", view: theirs, contact });
        return s;
      }

      return {
        own(s, ev, header, io) {
          if (ev.type !== "Send" || !ev.outside || header?.type !== "Gossip") return s;
          return heard(s, ev.peer, header.view, header.contact, io);
        },
        dnControl(s, ev, io) {
          io.dn(ev);
          return ev.type === "Leave" && !s.leaving ? State.with(s, { leaving: true }) : s;
        },
        upControl(s, ev, io) {
          io.up(ev);
          return ev.type === "Exit" ? State.with(s, { gossiping: false, exited: true }) : s;
        },
        timers: {
          gossip: {
            delay: gossipDelay,
            background: true,
            when: (s) => s.gossiping,
            fire(s, io) {
              const view = io.view;
              for (let q = 0; q < n; q++) if (!view.members.has(q)) gossip(io, q, view);
              return s;
            },
          },
        },
        install: (old, fresh) => (old.leaving ? State.with(fresh, { leaving: true }) : fresh),
      };
    });
}
