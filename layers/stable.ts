// STABLE: stability detection by gossiped acknowledgements, after Ensemble's.
//
// Provides: stability — Stable events saying, per member, how many of its casts every member has
//           delivered (stability) and how many some member has (numCasts).
// Requires: castCounts — Ack events from a reliable multicast layer below, on every cast it
//           delivers or receives again.
//
// Each member keeps a matrix of acknowledgements, row q holding how many casts of each member q
// has delivered as far as this member knows; its own row comes from the Ack events of the layer
// below, which end here. A member gossips its row to the others (an unreliable cast of its own)
// and takes the larger counts from what it hears: counts only grow. Whenever the column minima
// (stability) change, or the maxima (numCasts) grow by another's row, or by its own while some
// member has casts it lacks, it sends a Stable event down; the bottom bounces it up to the layers
// that use it. (Its own row raising the maxima tells the layers below nothing they do not know
// unless they lack casts.)
//
// Ensemble's STABLE gossips every second forever. Here a member gossips, on its timer, when it has
// delivered a cast or received one again since it last gossiped: the casters are waiting to hear
// (of its own casts the others will tell). So a quiet group has no timer due, and a lost gossip is
// repeated when the caster, not hearing it, casts again. Under load a member does not wait for its
// timer: each time its deliveries pass a multiple of `gossipEvery` it gossips at once, so that a
// sender held back by flow control (flow.ts) learns of stability within a round trip.

import { replaceAt, t, type ISet } from "../ioa/index.ts";
import { layer, type Io } from "./layer.ts";

type Matrix = readonly (readonly number[])[];
type Header = { readonly type: "Gossip"; readonly row: readonly number[] };

/** Per column, the least count among the rows of `members`: what every member has. */
export function minima(acks: Matrix, members: ISet<number>): number[] {
  const out = Array<number>(acks.length).fill(Infinity);
  for (const q of members) for (let r = 0; r < out.length; r++) if (acks[q]![r]! < out[r]!) out[r] = acks[q]![r]!;
  return out;
}

/** Per column, the greatest count: what some member has. */
function maxima(acks: Matrix): number[] {
  const out = acks[0]!.slice();
  for (let q = 1; q < acks.length; q++) for (let r = 0; r < out.length; r++) if (acks[q]![r]! > out[r]!) out[r] = acks[q]![r]!;
  return out;
}

/**
 * Row `q` of `acks` raised to `row` (counts only grow): does the least count over `members` of some
 * column change? Only where q alone held a column's least count (what `minima` before and after
 * would differ in, without building either).
 */
export function minimaMoved(acks: Matrix, q: number, row: readonly number[], members: ISet<number>): boolean {
  if (!members.has(q)) return false;
  const known = acks[q]!;
  for (let r = 0; r < row.length; r++) {
    if (row[r] === known[r]) continue;
    let others = Infinity;
    for (const p of members) if (p !== q && acks[p]![r]! < others) others = acks[p]![r]!;
    if (known[r]! < others) return true;
  }
  return false;
}

/** `known` raised to `row` where `row` is larger: `known` itself when nothing is, `row` itself when all of it is at least as large (an Ack's counts, always). */
function merge(known: readonly number[], row: readonly number[]): readonly number[] {
  let grew = false;
  let fell = false;
  for (let r = 0; r < known.length; r++) {
    if (row[r]! > known[r]!) grew = true;
    else if (row[r]! < known[r]!) fell = true;
  }
  if (!grew) return known;
  if (!fell) return row;
  const out = known.slice();
  for (let r = 0; r < out.length; r++) if (row[r]! > out[r]!) out[r] = row[r]!;
  return out;
}

/** The matrix `acks` had row `q` equal to `before`: did its column maxima change (counts only grow)? */
function maximaGrew(acks: Matrix, q: number, before: readonly number[]): boolean {
  const row = acks[q]!;
  for (let r = 0; r < row.length; r++) {
    if (row[r] === before[r]) continue;
    let others = 0;
    for (let p = 0; p < acks.length; p++) if (p !== q) others = Math.max(others, acks[p]![r]!);
    if (before[r]! < row[r]! && others < row[r]!) return true;
  }
  return false;
}

/** Deliveries between two gossips a member makes at once, without waiting for its timer. */
export const DEFAULT_GOSSIP_EVERY = 64;

function sum(row: readonly number[]): number {
  let total = 0;
  for (let r = 0; r < row.length; r++) total += row[r]!;
  return total;
}

export function stable(options: { readonly gossipEvery?: number } = {}) {
  const gossipEvery = options.gossipEvery ?? DEFAULT_GOSSIP_EVERY;
  return layer("stable", { provides: ["stability"], requires: ["castCounts"] })
    .header(({ P }) => t.variant("type", { Gossip: { row: t.table(P, t.int(0)) } }))
    .state(
      ({ P }) => ({
        /** Row q: how many casts of each member q has delivered, as far as this member knows. */
        acks: t.table(P, t.table(P, t.int(0))),
        /** This member's row has news the others have not heard from it. */
        owe: t.bool(),
      }),
      ({ n }) => ({ acks: Array.from({ length: n }, () => Array<number>(n).fill(0)), owe: false }),
    )
    .handlers(({ rank }, State) => {
      type S = ReturnType<typeof State.with>;

      /**
       * Row `q` has counts `row` now: if stability or what some member has changed, say so below.
       * This member's own row raising what some member has (its own deliveries) tells the layers
       * below only what they know, unless some member has casts this one lacks: a reliable layer
       * below asks for those again at each Stable event.
       */
      function hear(s: S, q: number, row: readonly number[], io: Io<Header>): S {
        const known = s.acks[q]!;
        const merged = merge(known, row);
        if (merged === known) return s;
        const acks = replaceAt(s.acks, q, merged as number[]);
        const members = io.view.members;
        const news = maximaGrew(acks, q, known) && (q !== rank || lacksSome(acks));
        if (news || minimaMoved(s.acks, q, merged, members)) io.dn({ type: "Stable", stability: minima(acks, members), numCasts: maxima(acks) });
        return State.with(s, { acks });
      }

      /** Some member has delivered casts of another member that this one has not. */
      function lacksSome(acks: Matrix): boolean {
        const own = acks[rank]!;
        for (let q = 0; q < acks.length; q++) if (q !== rank) for (let c = 0; c < own.length; c++) if (c !== rank && acks[q]![c]! > own[c]!) return true;
        return false;
      }

      function gossip(s: S, io: Io<Header>): S {
        io.dn({ type: "Cast", unreliable: true }, { type: "Gossip", row: s.acks[rank]! });
        return State.with(s, { owe: false });
      }

      /** This member's deliveries went past a multiple of `gossipEvery`: under load, gossip now rather than on the timer. */
      function crossesGossipMark(before: readonly number[], after: readonly number[]): boolean {
        return Math.floor(sum(after) / gossipEvery) > Math.floor(sum(before) / gossipEvery);
      }

      /** The counts moved from `own` to `casts` by a cast of this member alone: the others will tell of it. */
      function onlyOwnCast(own: readonly number[], casts: readonly number[]): boolean {
        if (casts[rank] === own[rank]) return false;
        for (let q = 0; q < casts.length; q++) if (q !== rank && casts[q] !== own[q]) return false;
        return true;
      }

      return {
        upControl(s, ev, io) {
          // Ack events are this layer's to consume (no layer above counts casts): sent on, every
          // one went up through every layer to the top, over 40% of a vsync stack's events.
          if (ev.type !== "Ack") {
            io.up(ev);
            return s;
          }
          const own = s.acks[rank]!;
          const owe = s.owe || !onlyOwnCast(own, ev.casts);
          const heard = hear(s, rank, ev.casts, io);
          const next = heard.owe === owe ? heard : State.with(heard, { owe });
          return owe && crossesGossipMark(own, next.acks[rank]!) ? gossip(next, io) : next;
        },
        own(s, ev, header, io) {
          if (ev.type !== "Cast" || header === undefined) return s;
          return hear(s, ev.peer!, header.row, io);
        },
        timers: {
          gossip: {
            delay: 500,
            when: (s) => s.owe,
            fire: gossip,
          },
        },
      };
    });
}
