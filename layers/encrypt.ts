// ENCRYPT: a key per view, handed to the view's members alone, and every datagram sealed under it
// (Ensemble's fortress: its `rekey`, signing and `encrypt` layers, in one layer here because the
// key and the cipher that uses it are one state).
//
// Provides: sealedDatagrams — every packet leaves encrypted and authenticated (AEAD) under the
//           current view's key, with the view, the sender and a sequence number authenticated
//           beside it; a packet comes up only if it opens under that key, in that view, from
//           that sender, the first time its sequence number is seen. Everything else — a packet
//           not sealed at all, one that does not open (forged, tampered with, sealed under
//           another key), a replay, one of another view — is dropped and counted by reason.
// Requires: nothing: it sits at the very bottom, under the transport layer, and seals whole
//           packets (the headers of every layer above and the payload).
//
// The key of a view is made by its distributor, the lowest-ranked member (the coordinator that
// installed the view), when it installs the view. The distributor sends each other member a Grant:
// the key sealed under the pairwise key of the two (from their long-term keys, by key agreement),
// repeated until the member answers GrantOk, sealed under the new key (which proves it has it). A
// member never holds the key of a view it is not in: the distributor grants it to the view's
// members only, and nobody else can open a Grant. Every member of a view uses that view's key and
// no other ("either all members switch to the new key or none"): until it has the key, a member
// holds what it would send, and holds the view's packets that reach it, and seals and opens them
// once the key comes. A Grant that arrives before its view is installed is kept until it is.
//
// Replays: each sender numbers what it seals in a view from 0 (a fresh key each view), modulo a
// sequence space (2^32; a model's is tiny), and a receiver accepts each number once, within a
// window of the last WINDOW numbers below the highest it accepted (older ones are dropped as
// replays, and the reliable layers above send what they still need again). The runtime's cipher
// picks its own nonces (runtime/group-crypto.ts): the numbers are for replays alone.
//
// Packets that cross views (HEAL's gossip, the merge messages of MEMBERSHIP: a Transmit marked
// `outside`) go between processes that share no view, hence no view key. Each is sealed under the
// pairwise key of its sender and its receiver (the key Grants travel under), with both ranks, in
// order, and a stamp authenticated beside it (header Cross). Only a process that holds the group
// secret or a listed key has that key: this is what admits a joiner. It starts alone and merges
// into the group over this channel; a process without the key cannot make a gossip or a merge
// request that opens, so no member ever hears it, let alone takes it into a view. What does not
// open (an unauthorized process's, a forgery, a tampered copy, a packet reflected back to its
// sender) is dropped and counted as `unauthorized`.
//
// Replays across views: the sender stamps its packets to each process, and the receiver accepts
// each stamp of a sender once, within the replay window below the highest it accepted from that
// sender (kept across views). Per-view sequence numbers would not do: the two share no view, and
// a process that restarts (a member restarted, a joiner given a slot another left) starts a new
// life with the same pairwise keys, so its stamps must go on growing from where its last life
// stopped, or its packets would be taken for replays. The runtime's stamps therefore come from the
// clock (milliseconds, strictly increasing), which a restart does not set back; and since a
// receiver that has just started remembers no stamps, it takes only stamps within a minute of its
// own clock, so that what an intruder recorded earlier cannot be replayed to it (runtime/
// group-crypto.ts; the members' clocks must agree within that minute). A model's stamps are
// counters modulo its small sequence space: its intruder can replay a cross-view packet once the
// counter has wrapped, and the properties must hold all the same (they do: the merge protocol
// takes a repeated packet in its stride, as it must, since the network duplicates too).
//
// What is sealed is the packet's header stack, in the stack's typed codec, and its payload:
// varint(2·header length + (payload present ? 1 : 0)), the header bytes, the payload — one
// character per byte.

import { appendTo, ByteReader, ByteWriter, DefinitionError, ISet, t, typedCodec, valuesEqual, type Type, type Value } from "../ioa/index.ts";
import type { CrossStamps, GroupCrypto } from "./crypto.ts";
import type { Above, ArriveEvent, TransmitEvent, ViewValue } from "./event.ts";
import { layer, type Io } from "./layer.ts";
import { carryingOf, type Body } from "./message.ts";

export type EncryptHeader =
  /** A packet of the layers above, sealed under the view's key: the payload is the sealed text. */
  | { readonly type: "Sealed"; readonly view: number; readonly seq: number }
  /** The view's key, sealed under the pairwise key of the distributor and the receiver. */
  | { readonly type: "Grant"; readonly view: number }
  /** The receiver of a Grant has the key: an empty text sealed under it. */
  | { readonly type: "GrantOk"; readonly view: number; readonly seq: number }
  /** A packet to a process outside the view, sealed under the pairwise key of sender and receiver. */
  | { readonly type: "Cross"; readonly stamp: number };
type Header = EncryptHeader;

/** Why a packet is dropped: the reasons counted in the layer's state. */
export const REJECTIONS = ["unsealed", "forged", "replayed", "otherView", "noKeyYet", "unauthorized", "stale"] as const;
export type Rejection = (typeof REJECTIONS)[number];

/** Sequence numbers accepted below the highest: a bit each (at most 31). */
export const WINDOW = 31;
/** Sequence numbers run modulo this, compared as serial numbers (RFC 1982): a key seals at most this many packets before a wrap could pass a replay. */
export const SEQUENCE_SPACE = 2 ** 32;
/** Packets a member without its view's key holds, each way; beyond that, outgoing ones wait no more and incoming ones are dropped (noKeyYet). */
export const HOLD_LIMIT = 256;

export interface EncryptOptions {
  readonly crypto: GroupCrypto;
  /** Milliseconds between Grants to a member that has not answered (default 200). */
  readonly regrantDelay?: number;
  /**
   * Sequence numbers run modulo this (default SEQUENCE_SPACE), with a window of `window` below the
   * highest (default WINDOW; less than half the space). A model makes both small, so that its
   * counters, and its state space, stay finite.
   */
  readonly sequenceSpace?: number;
  readonly window?: number;
  /**
   * Counts of rejected packets stop at this (default Number.MAX_SAFE_INTEGER). A model sets 1: a
   * member left behind in an old view hears the others' packets of the new one without end, and
   * its counts must not make the state space infinite.
   */
  readonly countUpTo?: number;
}

function headerType(): Type<Header> {
  return t.variant("type", {
    Sealed: { view: t.int(0), seq: t.int(0) },
    Grant: { view: t.int(0) },
    GrantOk: { view: t.int(0), seq: t.int(0) },
    Cross: { stamp: t.int(0) },
  }) as unknown as Type<Header>;
}

/** The context authenticated with a sealed text: what it is, in which view, between whom. */
const dataContext = (view: number, sender: number, seq: number) => `d/${view}/${sender}/${seq}`;
const grantContext = (view: number, granter: number, grantee: number) => `g/${view}/${granter}/${grantee}`;
const grantOkContext = (view: number, sender: number, seq: number) => `o/${view}/${sender}/${seq}`;
const crossContext = (sender: number, receiver: number, stamp: number) => `x/${sender}/${receiver}/${stamp}`;

/** A model's cross-view stamps: counters modulo its sequence space, and no clock. */
const counterStamps = (space: number): CrossStamps => ({ space, next: (last) => (last + 1) % space, recent: () => true });

/** The distributor of a view's key: its lowest-ranked member. */
export function distributorOf(members: ISet<number>): number {
  let lowest = Infinity;
  for (const q of members) if (q < lowest) lowest = q;
  return lowest;
}

/** A replay window: the highest sequence number accepted (-1: none), and a bit for each of the `window` numbers below it (bit i: highest − 1 − i). */
export interface ReplayWindow {
  readonly highest: number;
  readonly recent: number;
}

/**
 * The replay window after accepting `seq`; undefined when `seq` was accepted before or is too old
 * to tell. Numbers are modulo `space`: `seq` is ahead of the highest by d when d = seq − highest
 * (mod space) is below space / 2, and behind it otherwise.
 */
export function accepted(w: ReplayWindow, seq: number, window: number, space: number): ReplayWindow | undefined {
  const mask = 2 ** window - 1;
  if (w.highest < 0) return { highest: seq, recent: 0 };
  const d = (((seq - w.highest) % space) + space) % space;
  if (d === 0) return undefined;
  if (d < space / 2) {
    let bits = d < window ? (w.recent << d) & mask : 0;
    if (d <= window) bits |= 1 << (d - 1);
    return { highest: seq, recent: bits & mask };
  }
  const i = space - d - 1;
  if (i >= window || w.recent & (1 << i)) return undefined;
  return { highest: w.highest, recent: w.recent | (1 << i) };
}

/** The tables `highest` and `recent` (per sender) after accepting `seq` from `peer`; undefined when it is a replay. */
function advanced(highest: readonly number[], recent: readonly number[], peer: number, seq: number, window: number, space: number) {
  const after = accepted({ highest: highest[peer]!, recent: recent[peer]! }, seq, window, space);
  if (after === undefined) return undefined;
  const h = highest.slice();
  const r = recent.slice();
  h[peer] = after.highest;
  r[peer] = after.recent;
  return { highest: h, recent: r };
}

export function encrypt(options: EncryptOptions) {
  const { crypto } = options;
  const regrantDelay = options.regrantDelay ?? 200;
  const space = options.sequenceSpace ?? SEQUENCE_SPACE;
  const window = options.window ?? WINDOW;
  const countUpTo = options.countUpTo ?? Number.MAX_SAFE_INTEGER;
  const stamps = crypto.crossStamps ?? counterStamps(space);
  if (!(window >= 1 && window <= 31 && window < space / 2)) throw new DefinitionError(`encrypt: a replay window of ${window} in a sequence space of ${space}; it must be 1 to 31, and less than half the space`);
  return layer("encrypt", { provides: ["sealedDatagrams"], requires: [] })
    .header(() => headerType())
    .state(
      ({ P, Body }) => ({
        /** The view's key; "" until this member has it. */
        key: t.string(),
        /** Keys granted for views not installed here yet, by view id. */
        pending: t.array(t.record({ view: t.int(0), key: t.string() })),
        /** The next sequence number this member seals with in the view. */
        seq: t.int(0, space - 1),
        /** Per sender, the highest sequence number accepted in the view (-1: none), and the window below it. */
        highest: t.table(P, t.int(-1)),
        recent: t.table(P, t.int(0, 2 ** window - 1)),
        /** Packets to send, held until this member has the view's key. */
        held: t.array(t.record({ dests: t.set(P), body: Body })),
        /** The view's packets that arrived before its key. */
        early: t.array(t.record({ peer: P, header: headerType(), sealed: t.string() })),
        /** As distributor: Grants are due at once (the view was just installed). */
        grantsDue: t.bool(),
        /** As distributor: the members of the view yet to answer GrantOk. */
        toGrant: t.set(P),
        /** This member has the key from a Grant kept before the view was installed, and owes its GrantOk. */
        owesGrantOk: t.bool(),
        /** Per process, the stamp of the last packet sent to it across views (-1: none; kept across views, as the next three). */
        crossSent: t.table(P, t.int(-1, stamps.space - 1)),
        /** Per process, the highest stamp accepted from it across views (-1: none), and the window below it. */
        crossHighest: t.table(P, t.int(-1, stamps.space - 1)),
        crossRecent: t.table(P, t.int(0, 2 ** window - 1)),
        /** Packets dropped, by reason (kept across views). */
        rejected: t.record(Object.fromEntries(REJECTIONS.map((r) => [r, t.int(0)])) as Record<Rejection, Type<number>>),
      }),
      ({ rank, n }, view) => {
        const distributing = distributorOf(view.members) === rank;
        return {
          key: distributing ? crypto.freshKey(view) : "",
          pending: [] as { view: number; key: string }[],
          seq: 0,
          highest: Array<number>(n).fill(-1),
          recent: Array<number>(n).fill(0),
          held: [] as { dests: ISet<number>; body: Body }[],
          early: [] as { peer: number; header: Header; sealed: string }[],
          grantsDue: distributing && view.members.size > 1,
          toGrant: distributing ? view.members.delete(rank) : ISet.empty<number>(),
          owesGrantOk: false,
          crossSent: Array<number>(n).fill(-1),
          crossHighest: Array<number>(n).fill(-1),
          crossRecent: Array<number>(n).fill(0),
          rejected: Object.fromEntries(REJECTIONS.map((r) => [r, 0])) as Record<Rejection, number>,
        };
      },
    )
    .handlers(({ rank, Above }, State) => {
      type S = ReturnType<typeof State.with>;
      const headers = typedCodec(Above);
      const writer = new ByteWriter();

      /** What a packet of the layers above becomes before it is sealed. */
      function plaintextOf(body: Body): string {
        writer.reset();
        headers.encode(body.above!, writer);
        const bytes = writer.view();
        let prefix = "";
        let tag = 2 * bytes.length + (body.payload === undefined ? 0 : 1);
        while (tag >= 0x80) {
          prefix += String.fromCharCode((tag & 0x7f) | 0x80);
          tag = Math.floor(tag / 0x80);
        }
        prefix += String.fromCharCode(tag);
        for (let i = 0; i < bytes.length; i++) prefix += String.fromCharCode(bytes[i]!);
        return body.payload === undefined ? prefix : prefix + body.payload;
      }

      /** The packet a plaintext holds; undefined when it holds none (only a sender with the key could have sealed it: a member's bug). */
      function bodyOf(plaintext: string): Body | undefined {
        let tag = 0;
        let scale = 1;
        let at = 0;
        for (; at < plaintext.length && at < 6; at++) {
          const c = plaintext.charCodeAt(at);
          tag += (c & 0x7f) * scale;
          scale *= 0x80;
          if ((c & 0x80) === 0) break;
        }
        const length = Math.floor(tag / 2);
        const start = at + 1;
        if (start + length > plaintext.length) return undefined;
        const bytes = new Uint8Array(length);
        for (let i = 0; i < length; i++) {
          const c = plaintext.charCodeAt(start + i);
          if (c > 0xff) return undefined;
          bytes[i] = c;
        }
        try {
          const r = new ByteReader(bytes);
          const above = headers.decode(r) as Above;
          r.end();
          if (tag % 2 === 0) return start + length === plaintext.length ? { above } : undefined;
          return { above, payload: plaintext.slice(start + length) };
        } catch {
          return undefined;
        }
      }

      const reject = (s: S, reason: Rejection): S => (s.rejected[reason] >= countUpTo ? s : State.with(s, { rejected: { ...s.rejected, [reason]: s.rejected[reason] + 1 } }));

      /** Seals a packet of the layers above under the view's key and sends it. */
      function sealAndSend(s: S, dests: ISet<number>, body: Body, io: Io<Header>): S {
        const view = io.view.id;
        const sealed = crypto.seal(s.key, dataContext(view, rank, s.seq), plaintextOf(body));
        io.dn({ type: "Transmit", dests, payload: sealed } as TransmitEvent, { type: "Sealed", view, seq: s.seq });
        return State.with(s, { seq: (s.seq + 1) % space });
      }

      function sendGrantOk(s: S, io: Io<Header>): S {
        const view = io.view.id;
        const sealed = crypto.seal(s.key, grantOkContext(view, rank, s.seq), "");
        io.dn({ type: "Transmit", dests: ISet.of(distributorOf(io.view.members)), payload: sealed } as TransmitEvent, { type: "GrantOk", view, seq: s.seq });
        return State.with(s, { seq: (s.seq + 1) % space, owesGrantOk: false });
      }

      function sendGrants(s: S, io: Io<Header>): S {
        const view = io.view.id;
        for (const q of s.toGrant) {
          const sealed = crypto.seal(crypto.pairKey(rank, q), grantContext(view, rank, q), s.key);
          io.dn({ type: "Transmit", dests: ISet.of(q), payload: sealed } as TransmitEvent, { type: "Grant", view });
        }
        return s.grantsDue ? State.with(s, { grantsDue: false }) : s;
      }

      /** This member now has the view's key: it says so, and sends and opens what it held. */
      function keyed(s: S, key: string, io: Io<Header>): S {
        let next = sendGrantOk(State.with(s, { key, held: [], early: [] }), io);
        for (const { dests, body } of s.held) next = sealAndSend(next, dests, body, io);
        for (const { peer, header, sealed } of s.early) next = opened(next, peer, header, sealed, io);
        return next;
      }

      /** Accepts `seq` from `peer` once, or counts a replay. */
      function fresh(s: S, peer: number, seq: number): S | undefined {
        const after = advanced(s.highest, s.recent, peer, seq, window, space);
        return after && State.with(s, after);
      }

      /** A Sealed or GrantOk packet of this view from `peer`, with the view's key at hand. */
      function opened(s: S, peer: number, header: Header, sealed: string, io: Io<Header>): S {
        if (header.type === "Grant" || header.type === "Cross") return s;
        const context = header.type === "Sealed" ? dataContext(header.view, peer, header.seq) : grantOkContext(header.view, peer, header.seq);
        const plaintext = crypto.open(s.key, context, sealed);
        if (plaintext === undefined) return reject(s, "forged");
        const next = fresh(s, peer, header.seq);
        if (next === undefined) return reject(s, "replayed");
        if (header.type === "GrantOk") return State.with(next, { toGrant: next.toGrant.delete(peer) });
        const body = bodyOf(plaintext);
        if (body === undefined) return reject(next, "forged");
        io.up(carryingOf<ArriveEvent>({ type: "Arrive", peer }, body));
        return next;
      }

      /** A Grant from `granter`: the key of its view, for this member alone. */
      function grant(s: S, granter: number, view: number, sealed: string, io: Io<Header>): S {
        if (view < io.view.id) return reject(s, "otherView");
        const key = crypto.open(crypto.pairKey(rank, granter), grantContext(view, granter, rank), sealed);
        if (key === undefined) return reject(s, "forged");
        if (view > io.view.id) return s.pending.some((p) => p.view === view) ? s : State.with(s, { pending: appendTo(s.pending, { view, key }) });
        if (s.key === "") return keyed(s, key, io);
        // Its GrantOk was lost: say it again (a replayed Grant costs a GrantOk, nothing more).
        return key === s.key ? sendGrantOk(s, io) : reject(s, "forged");
      }

      /** Seals a packet for processes outside the view, each under the pairwise key of this process and it, and sends it. */
      function sealAcross(s: S, dests: ISet<number>, body: Body, io: Io<Header>): S {
        const plaintext = plaintextOf(body);
        const crossSent = s.crossSent.slice();
        for (const q of dests) {
          const stamp = stamps.next(crossSent[q]!);
          crossSent[q] = stamp;
          const sealed = crypto.seal(crypto.pairKey(rank, q), crossContext(rank, q, stamp), plaintext);
          io.dn({ type: "Transmit", dests: ISet.of(q), payload: sealed } as TransmitEvent, { type: "Cross", stamp });
        }
        return State.with(s, { crossSent });
      }

      /** A packet from `peer` across views: it comes up if it opens under the two's pairwise key, with a stamp not taken before. */
      function arrivedAcross(s: S, peer: number, stamp: number, sealed: string, io: Io<Header>): S {
        const plaintext = crypto.open(crypto.pairKey(rank, peer), crossContext(peer, rank, stamp), sealed);
        if (plaintext === undefined) return reject(s, "unauthorized");
        if (!stamps.recent(stamp)) return reject(s, "stale");
        const after = advanced(s.crossHighest, s.crossRecent, peer, stamp, window, stamps.space);
        if (after === undefined) return reject(s, "replayed");
        const next = State.with(s, { crossHighest: after.highest, crossRecent: after.recent });
        const body = bodyOf(plaintext);
        if (body === undefined) return reject(next, "forged");
        io.up(carryingOf<ArriveEvent>({ type: "Arrive", peer }, body));
        return next;
      }

      /** Is there room for `item` among held packets (and is it not held already: a heartbeat repeats itself)? */
      const holding = <T extends Value>(list: readonly T[], item: T) => list.length < HOLD_LIMIT && !list.some((x) => valuesEqual(x, item));

      return {
        dn(s, ev, io) {
          if (ev.type !== "Transmit") return s;
          const body: Body = ev.payload === undefined ? { above: ev.above! } : { above: ev.above!, payload: ev.payload };
          if (ev.outside) return sealAcross(s, ev.dests, body, io);
          if (s.key !== "") return sealAndSend(s, ev.dests, body, io);
          const item = { dests: ev.dests, body };
          return holding(s.held, item) ? State.with(s, { held: appendTo(s.held, item) }) : s;
        },
        up(s) {
          // A packet that is not this layer's: nobody in the group sent it.
          return reject(s, "unsealed");
        },
        own(s, ev, header, io) {
          if (ev.type !== "Arrive" || header === undefined || ev.payload === undefined) return reject(s, "unsealed");
          if (header.type === "Cross") return arrivedAcross(s, ev.peer, header.stamp, ev.payload, io);
          if (header.type === "Grant") return grant(s, ev.peer, header.view, ev.payload, io);
          if (header.view !== io.view.id) return reject(s, "otherView");
          if (s.key !== "") return opened(s, ev.peer, header, ev.payload, io);
          const item = { peer: ev.peer, header, sealed: ev.payload };
          return holding(s.early, item) ? State.with(s, { early: appendTo(s.early, item) }) : reject(s, "noKeyYet");
        },
        timers: {
          grant: {
            delay: 0,
            when: (s) => s.grantsDue,
            fire: sendGrants,
          },
          regrant: {
            delay: regrantDelay,
            when: (s) => !s.grantsDue && s.toGrant.size > 0,
            fire: sendGrants,
          },
          grantOk: {
            delay: 0,
            when: (s) => s.owesGrantOk,
            fire: sendGrantOk,
          },
        },
        install(old, fresh, view: ViewValue) {
          const pending = old.pending.filter((p) => p.view > view.id);
          const granted = fresh.key === "" ? old.pending.find((p) => p.view === view.id)?.key : undefined;
          const { crossSent, crossHighest, crossRecent, rejected } = old;
          return State.with(fresh, { pending, crossSent, crossHighest, crossRecent, rejected, ...(granted !== undefined && { key: granted, owesGrantOk: true }) });
        },
      };
    });
}
