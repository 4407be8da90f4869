// MEMBERSHIP: views that exclude suspected members, installed after a flush (virtual synchrony),
// after Ensemble's GMP and its flush protocols.
//
// Provides: viewMembership — views that leave out suspected members, installed after a flush:
//           members that move together from a view delivered the same casts in it;
//           partitionMerge — a MergeRequest event from above merges the view into a concurrent
//           one (merge.ts).
// Requires: failureDetection (Suspect events), selfDelivery (a member's own casts come back up
//           through this layer, so that it keeps them as it keeps the others'), reliableFifoCast
//           (the k-th cast of q delivered here is q's cast number k), stability (Stable events,
//           to forget the casts every member has).
//
// It keeps what each cast carried, the headers of the layers above it included (a sequencer's
// order, say), and its flush messages carry them.
//
// Every member keeps the casts it delivers in the view (sender, index, payload), its own
// included, and counts them per sender. The coordinator — the lowest-ranked member of the view it
// does not suspect — starts a flush round when it suspects members: it proposes the view less its
// suspects and sends each proposed member Flush{round, its counts} (unreliable; repeated, with its
// counts then, on its timer until answered, or, with a `flushPatience`, until it gives up on those
// that have not answered and suspects them). A member that takes a Flush of a round newer than any
// it took asks the application to stop casting (Block up) and, once it has (BlockOk), answers
// FlushOk{round, its counts, casts}; from then on it delivers nothing more in the view but what
// the flush brings, so that what the survivors deliver in the view is exactly the union of their
// deliveries (with a total order below, the longest of them).
// Its first Flush of the view it takes from anyone, even a member it suspects: the Flush shows
// that member alive, and ignoring it would only make the coordinator, which hears the member's
// heartbeats, wait out its patience and exclude a live member (seen under load, where members
// falsely suspect the busy coordinator now and then). Once it has taken a round it takes newer
// ones only from members it does not suspect, so that a suspected coordinator's rounds do not
// pull it away from the one replacing it.
//
// The flush carries only what some member lacks (under load a member keeps a whole flow-control
// window unstable, and answers carrying all of it made the view change slow). An answer carries
// the casts the member keeps, of every sender, from the coordinator's count in the Flush on: the
// coordinator may lack those; those below it delivered, and keeps unless they are stable (then
// every member has them). (Any Flush of the round will do: the coordinator's counts only grow
// until it answers itself, blocked.) The coordinator's own answer holds all it keeps. So with an answer from
// every proposed member its union holds, per sender, every cast the most advanced member delivered
// from the least advanced one's count on (a cast some member lacks is not stable: every member that
// delivered it keeps it), and the coordinator casts Install{round, id, members, those casts} —
// nothing when every member delivered the same. Each member says it has it (InstallOk, in the old
// view), delivers, in each sender's order, what it misses of them, and installs the view. The
// coordinator repeats Install to the members it has not heard say so, and installs the
// view itself once each has or is suspected: a member that missed every Install is not left behind
// in the old view, and one that moved on is not waited for (it is heard no more in the old view). A proposed member suspected during a
// round makes the coordinator start a newer round without it; a suspected coordinator is
// replaced by the next-lowest member, whose rounds are newer: a round is numbered
// attempt·n + coordinator, the attempt above any round seen. View ids are unique without
// agreement: coordinator c moving on from view v names the new view (⌊v/n⌋ + 1)·n + c.
//
// A member keeps the casts it delivered until they are stable (Stable events from below): every
// member of the view delivered them, so no flush needs them. That stability is counted where this
// layer delivers because nothing between it and the reliable multicast layer cuts or holds back a
// cast it has delivered (fragmentation goes above it), and because, once it has answered a flush,
// it freezes the layers below with a Block event: they deliver, count and acknowledge nothing more
// in the view, as it delivers nothing more.
//
// Casts the application makes once asked to block are held, and cast in the next view.
//
// Merging partitions (merge.ts, Ensemble's INTER): asked by HEAL to merge its view into a
// concurrent one, the coordinator flushes its whole view and asks the other view's coordinator over
// the cross-view channel; that one, if idle, flushes its own whole view and decides the merged view,
// which each side installs as after any round. Busy, or silent: denied, and the view is installed
// anew.
//
// Leaving: the application's Leave makes the member cast Leave (repeated on its timer) and cast
// nothing more; every member takes it as a suspicion, so the view's coordinator (the next one, if
// the leaver coordinated) installs a view without the leaver, whose casts any survivor delivered
// all survivors deliver. The leaver is out (Exit up, and the stack does nothing more) when it sees
// an Install without itself, or when it suspects every other member (they moved on).
//
// Prompt: a view change with nothing to exclude (the same members, a new id), run by the
// coordinator; at another member it is passed to the coordinator (unreliable, like a suspicion).
//
// Recover (from below, after a crash): as after a restart, the member leaves its view — it drops
// its round, delivers nothing more there, suspects the others and installs a view of its own (a
// new one even if it was alone), named above any view it decided — and merges back.

import { appendTo, ISet, replaceAt, t, type Type } from "../ioa/index.ts";
import type { CastEvent, SendEvent, ViewValue } from "./event.ts";
import { CROSS_VIEW, merging, mergeFields, mergeStart, nextViewId, type MergeHeader } from "./merge.ts";
import { layer, type Io } from "./layer.ts";
import { bodyOf, carryingOf, type Body } from "./message.ts";
import { appended, droppedBefore, forEachInWindow, windowType, type Window } from "./window.ts";

/** A cast a member delivered: its sender, its index among the sender's casts in the view, what it carried. */
export type Kept = { readonly from: number; readonly index: number; readonly body: Body };
export type MembershipHeader =
  | { readonly type: "Flush"; readonly round: number; readonly counts: readonly number[] }
  | { readonly type: "FlushOk"; readonly round: number; readonly counts: readonly number[]; readonly casts: readonly Kept[] }
  | { readonly type: "Install"; readonly round: number; readonly id: number; readonly members: ISet<number>; readonly casts: readonly Kept[] }
  | { readonly type: "InstallOk"; readonly round: number }
  | { readonly type: "Leave" }
  | { readonly type: "Prompt" }
  | MergeHeader;
type Header = MembershipHeader;

/** Where a member is in blocking its application: not asked, asked, blocked. */
export const NOT_BLOCKED = 0;
export const ASKED = 1;
export const BLOCKED = 2;

/** `casts` merged into `union` (sorted by sender, then index, as members deliver them): each cast once. */
export function merged(union: readonly Kept[], casts: readonly Kept[]): readonly Kept[] {
  const has = new Set(union.map((c) => `${c.from}:${c.index}`));
  const missing = casts.filter((c) => !has.has(`${c.from}:${c.index}`));
  if (missing.length === 0) return union;
  return [...union, ...missing].sort((a, b) => a.from - b.from || a.index - b.index);
}

/** The lowest-ranked member of `members` outside `suspects`. */
export function coordinatorOf(members: ISet<number>, suspects: ISet<number>): number | undefined {
  let lowest: number | undefined;
  for (const q of members) if (!suspects.has(q) && (lowest === undefined || q < lowest)) lowest = q;
  return lowest;
}

export interface MembershipOptions {
  /** Milliseconds between repeats of a flush round's messages (default 500). */
  readonly flushDelay?: number;
  /**
   * Merges this member may ask for over its life (default: no limit). A model bounds them to stay
   * finite: a false suspicion splits a view, a merge joins it again, and so on without end.
   */
  readonly merges?: number;
  /**
   * Firings of a round's flush timer after which its coordinator suspects the proposed members
   * that have not answered (default: no limit). A member that took another coordinator's round
   * ignores a Flush from one it suspects, while that coordinator, hearing its heartbeats, never
   * suspects it: without a limit, that round waits for ever. Every stack with views sets
   * it (FLUSH_PATIENCE, layers/stacks/vsync.ts), the models' too; neverGivesUp
   * (layers/models/vsync-mutants.ts) is this layer without it.
   */
  readonly flushPatience?: number;
}

export function membership(options: MembershipOptions = {}) {
  const flushDelay = options.flushDelay ?? 500;
  const mergeLimit = options.merges ?? Infinity;
  const flushPatience = options.flushPatience ?? Infinity;
  if (!(flushPatience >= 1)) throw new RangeError(`membership: flushPatience should be at least 1, but is ${flushPatience}`);
  return layer("membership", { provides: ["viewMembership", "partitionMerge"], requires: ["failureDetection", "selfDelivery", "reliableFifoCast", "stability"] })
    .header(({ P }) => {
      // What a cast carried holds the headers of the layers above, whose type includes this very
      // header: on the wire it goes as a plain value.
      const Casts = t.array(t.record({ from: P, index: t.int(0), body: t.value() as unknown as Type<Body> }));
      const ViewT = t.record({ id: t.int(0), members: t.set(P) });
      return t.variant("type", {
        Flush: { round: t.int(0), counts: t.table(P, t.int(0)) },
        FlushOk: { round: t.int(0), counts: t.table(P, t.int(0)), casts: Casts },
        Install: { round: t.int(0), id: t.int(0), members: t.set(P), casts: Casts },
        InstallOk: { round: t.int(0) },
        Leave: {},
        Prompt: {},
        MergeRequest: { view: ViewT },
        MergeGranted: { from: t.int(0), view: ViewT },
        MergeDenied: { from: t.int(0) },
      });
    })
    .state(
      ({ P, Body }) => ({
        /** Per sender, how many of its casts were delivered here in this view. */
        delivered: t.table(P, t.int(0)),
        /** The casts delivered here in this view, in delivery order. */
        /** Per sender, what it carried of each of its casts delivered here and not yet stable, up to delivered[sender] (a window: thousands wait under load). */
        kept: t.table(P, windowType(Body)),
        suspects: t.set(P),
        /** Where the application is in blocking (NOT_BLOCKED, ASKED, BLOCKED). */
        blocked: t.int(0, 2),
        /** The newest round taken as a member (-1: none), and, per sender, from which index its answer carries the casts this member keeps. */
        accepted: t.int(-1),
        acceptedCounts: t.table(P, t.int(0)),
        /** The round this member coordinates (-1: none), its proposal, who answered, the least of their counts per sender, and the union of their casts. */
        round: t.int(-1),
        proposal: t.set(P),
        answered: t.set(P),
        least: t.table(P, t.int(0)),
        /** Firings of the flush timer in this round (counted only with a flushPatience). */
        flushRepeats: t.int(0),
        union: t.array(t.record({ from: P, index: t.int(0), body: Body })),
        /** The coordinator has sent Install for its round and waits for each proposed member to say it has it (or to be suspected). */
        installing: t.bool(),
        acked: t.set(P),
        /** Casts the application made after it was asked to block: they go out in the next view. */
        held: t.array(Body),
        /** The view the coordinator's round installs, once decided (-1: not yet; see `installing`). */
        nextId: t.int(-1),
        nextMembers: t.set(P),
        /** A view change was asked for with nothing to exclude (Prompt). */
        prompted: t.bool(),
        ...mergeFields(P),
        /** The member recovered from a crash: it delivers nothing more in this view, and names no view below `floor`. */
        recovered: t.bool(),
        floor: t.int(-1),
        /** The application left the group; and the member is out (Exit went up): it does nothing more. */
        leaving: t.bool(),
        exited: t.bool(),
      }),
      ({ n }) => ({
        delivered: Array<number>(n).fill(0),
        kept: Array<Window<Body>>(n).fill([]),
        suspects: ISet.empty<number>(),
        blocked: NOT_BLOCKED,
        accepted: -1,
        acceptedCounts: Array<number>(n).fill(0),
        round: -1,
        proposal: ISet.empty<number>(),
        answered: ISet.empty<number>(),
        least: Array<number>(n).fill(0),
        flushRepeats: 0,
        union: [] as Kept[],
        installing: false,
        acked: ISet.empty<number>(),
        held: [] as Body[],
        nextId: -1,
        nextMembers: ISet.empty<number>(),
        prompted: false,
        ...mergeStart,
        recovered: false,
        floor: -1,
        leaving: false,
        exited: false,
      }),
    )
    .handlers(({ rank, n }, State) => {
      type S = ReturnType<typeof State.with>;
      const send = (io: Io<Header>, peer: number, header: Header) => io.dn({ type: "Send", peer, unreliable: true }, header);
      /** No casts of any sender (a round's `least` before its answers, and the coordinator's threshold for its own answer). */
      const none: number[] = Array<number>(n).fill(0);

      /** A cast of `from` delivered here: keep it and pass it up. */
      function deliver(s: S, from: number, body: Body, io: Io<Header>): S {
        const index = s.delivered[from]!;
        io.up(carryingOf<CastEvent>({ type: "Cast", peer: from }, body));
        return State.with(s, { delivered: replaceAt(s.delivered, from, index + 1), kept: replaceAt(s.kept, from, appended(s.kept[from]!, index, body)) });
      }

      /** Forgets the casts every member of the view has delivered: no flush needs them. */
      function collect(s: S, stability: readonly number[]): S {
        let kept = s.kept;
        for (let q = 0; q < n; q++) {
          const window = droppedBefore(kept[q]!, s.delivered[q]!, stability[q]!);
          if (window !== kept[q]) kept = replaceAt(kept, q, window);
        }
        return kept === s.kept ? s : State.with(s, { kept });
      }

      /** Has this member answered a flush? Then it delivers nothing more in the view but what the flush brings. */
      const answeredFlush = (s: S) => s.blocked === BLOCKED;

      function suspected(s: S, suspects: ISet<number>, io: Io<Header>): S {
        const next = State.with(s, { suspects: s.suspects.union(suspects) });
        if (next.leaving && io.view.members.every((q) => q === rank || next.suspects.has(q))) return exit(next, io);
        return next.installing ? maybeComplete(next, io) : maybeStartRound(next, io);
      }

      /** Is this member the coordinator, with no round under way or taken, and nothing to exclude: free to merge? */
      const idle = (s: S, io: Io<Header>) =>
        coordinatorOf(io.view.members, s.suspects) === rank && s.round < 0 && s.accepted < 0 && s.blocked === NOT_BLOCKED && s.suspects.size === 0 && !s.leaving;

      /** As coordinator, starts a round if its proposal (the view less the suspects) is not the one under way. */
      function maybeStartRound(s: S, io: Io<Header>): S {
        const members = io.view.members;
        if (coordinatorOf(members, s.suspects) !== rank) return s;
        const proposal = members.difference(s.suspects);
        if ((proposal.size === members.size && !s.prompted) || (s.round >= 0 && proposal.equals(s.proposal))) return s;
        return startRound(State.with(s, { contact: -1, requests: 0, joiner: -1 }), proposal, io);
      }

      /** As coordinator, flushes `proposal` in a round newer than any seen. */
      function startRound(s: S, proposal: ISet<number>, io: Io<Header>): S {
        const round = (Math.floor(Math.max(s.accepted, s.round) / n) + 1) * n + rank;
        const started = State.with(s, { round, proposal, answered: ISet.empty(), least: none, union: [], flushRepeats: 0 });
        for (const q of proposal) if (q !== rank) send(io, q, { type: "Flush", round, counts: s.delivered });
        // Its own answer holds every cast it keeps: those below its counts that some member lacks, only it is sure to hold.
        return flushed(started, rank, round, none, io);
      }

      /** A Flush from `c`, with `c`'s counts: take it if it is newer than any taken (the first of the view from anyone, later ones from members not suspected), and answer once the application is blocked. */
      function flushed(s: S, c: number, round: number, counts: readonly number[], io: Io<Header>): S {
        if (round < s.accepted || (s.accepted >= 0 && s.suspects.has(c))) return s;
        if (round === s.accepted) return s.blocked === BLOCKED ? answer(s, io) : s;
        const taken = State.with(s, { accepted: round, acceptedCounts: counts as number[] });
        if (s.blocked === BLOCKED) return answer(taken, io);
        if (s.blocked === NOT_BLOCKED) io.up({ type: "Block" });
        return State.with(taken, { blocked: ASKED });
      }

      /**
       * Answers the round taken with this member's counts (settled: it delivers nothing more in the
       * view) and the casts it keeps that its coordinator may lack: of every sender, from the
       * coordinator's count in the Flush on. (The coordinator delivered those below, and keeps
       * them unless they are stable — and then every member has them.)
       */
      function answer(s: S, io: Io<Header>): S {
        const c = s.accepted % n;
        const casts: Kept[] = [];
        s.kept.forEach((window, from) => forEachInWindow(window, s.delivered[from]!, (body, index) => casts.push({ from, index, body }), s.acceptedCounts[from]));
        if (c === rank) return answered(s, rank, s.accepted, s.delivered, casts, io);
        send(io, c, { type: "FlushOk", round: s.accepted, counts: s.delivered, casts });
        return s;
      }

      /**
       * As coordinator, `q`'s answer to round `round`: with every proposed member's, the union holds,
       * per sender, every cast the most advanced member delivered from the least advanced one's
       * count on — all that some member lacks, and all the round's Install carries. Then the round's
       * outcome is decided (or asked for, in a merge).
       */
      function answered(s: S, q: number, round: number, counts: readonly number[], casts: readonly Kept[], io: Io<Header>): S {
        if (round !== s.round || !s.proposal.has(q) || s.answered.has(q)) return s;
        const least = s.answered.size === 0 ? counts : s.least.map((k, from) => Math.min(k, counts[from]!));
        const next = State.with(s, { answered: s.answered.add(q), least: least as number[], union: merged(s.union, casts) as Kept[] });
        if (!next.answered.equals(next.proposal)) return next;
        const lacked = State.with(next, { least: none, union: next.union.filter((c) => c.index >= least[c.from]!) });
        if (lacked.contact >= 0 || lacked.joiner >= 0) return merge.flushed(lacked, io);
        return decide(lacked, { id: nextViewId(n, rank, io.view.id, lacked.floor), members: lacked.proposal }, io);
      }

      /** As coordinator, the round installs `view`: tell the proposed members (repeated until each says it has it), and install it once each has or is suspected. */
      function decide(s: S, view: ViewValue, io: Io<Header>): S {
        const decided = State.with(s, { installing: true, acked: ISet.of(rank), nextId: view.id, nextMembers: view.members, contact: -1 });
        io.dn({ type: "Cast", unreliable: true }, installMessage(decided));
        return maybeComplete(decided, io);
      }

      /** The coordinator's Install for its decided round. */
      const installMessage = (s: S): Header => ({ type: "Install", round: s.round, id: s.nextId, members: s.nextMembers, casts: s.union });

      /**
       * As coordinator, installs its round's view once every proposed member has it or is suspected
       * (a member that has it moves on at once, and is heard no more in this view; one suspected
       * now stays in the new view, and the next view change leaves it out).
       */
      function maybeComplete(s: S, io: Io<Header>): S {
        if (!s.proposal.every((q) => s.acked.has(q) || s.suspects.has(q))) return s;
        return install(s, s.round, s.nextId, s.nextMembers, s.union, io);
      }

      /** The view of round `round`: deliver what this member misses of the round's casts, then install it. */
      function install(s: S, round: number, id: number, members: ISet<number>, casts: readonly Kept[], io: Io<Header>): S {
        if (round !== s.accepted || s.blocked !== BLOCKED || !members.has(rank)) return s;
        let next = s;
        for (const c of casts) if (c.index === next.delivered[c.from]) next = deliver(next, c.from, c.body, io);
        io.up({ type: "View", view: { id, members } });
        return next;
      }

      const merge = merging<S>({ rank, n, limit: mergeLimit, with: (s, changes) => State.with(s, changes), idle, startRound, decide });

      /**
       * Back from a crash: as after a restart, the member is in no view (the others went on or will
       * exclude it). It drops its round (a view it decided, it names no view at or below again),
       * delivers nothing more in this view, and installs a view of itself alone, to merge back.
       */
      function recover(s: S, io: Io<Header>): S {
        const fresh = State.with(s, { round: -1, accepted: -1, installing: false, contact: -1, requests: 0, joiner: -1, blocked: NOT_BLOCKED, held: [], recovered: true, prompted: true, floor: Math.max(s.floor, s.nextId) });
        return suspected(fresh, io.view.members.delete(rank), io);
      }

      // ---- Leaving ----

      /** The application leaves: say so to the view (repeated on the timer), and take the suspicion of itself. */
      function leave(s: S, io: Io<Header>): S {
        if (s.leaving) return s;
        io.dn({ type: "Cast", unreliable: true }, { type: "Leave" });
        return suspected(State.with(s, { leaving: true }), ISet.of(rank), io);
      }

      /** The member is out of the group: tell the application, and do nothing more. */
      function exit(s: S, io: Io<Header>): S {
        io.up({ type: "Exit" });
        return State.with(s, { exited: true, installing: false, round: -1, held: [] });
      }

      function own(s: S, ev: SendEvent | CastEvent, header: Header, io: Io<Header>): S {
        const peer = ev.peer!;
        switch (header.type) {
          case "Flush":
            return flushed(s, peer, header.round, header.counts, io);
          case "FlushOk":
            return answered(s, peer, header.round, header.counts, header.casts, io);
          case "Install":
            if (s.leaving && !header.members.has(rank)) return exit(s, io);
            if (header.round === s.accepted && s.blocked === BLOCKED) send(io, header.round % n, { type: "InstallOk", round: header.round });
            return install(s, header.round, header.id, header.members, header.casts, io);
          case "InstallOk":
            return s.installing && header.round === s.round ? maybeComplete(State.with(s, { acked: s.acked.add(peer) }), io) : s;
          case "Leave":
            return suspected(s, ISet.of(peer), io);
          case "Prompt":
            return prompt(s, io);
          case "MergeRequest":
            return merge.requested(s, peer, header.view, io);
          case "MergeGranted":
          case "MergeDenied":
            return merge.answered(s, peer, header, io);
        }
      }

      /** A view change with nothing to exclude: the coordinator runs it; another member passes the request on. */
      function prompt(s: S, io: Io<Header>): S {
        const c = coordinatorOf(io.view.members, s.suspects);
        if (c === undefined) return s;
        if (c !== rank) return send(io, c, { type: "Prompt" }), s;
        return s.prompted ? s : maybeStartRound(State.with(s, { prompted: true }), io);
      }

      return {
        dn(s, ev, io) {
          if (ev.type === "Cast" && !ev.unreliable && (s.leaving || s.exited)) return s;
          if (ev.type === "Cast" && !ev.unreliable && s.blocked !== NOT_BLOCKED) return State.with(s, { held: appendTo(s.held, bodyOf(ev)) });
          io.dn(ev);
          return s;
        },
        dnControl(s, ev, io) {
          if (s.exited) return s;
          switch (ev.type) {
            case "BlockOk":
              if (s.blocked !== ASKED) return s;
              // What this member delivers in the view is settled: freeze the layers below (their
              // counts, and the stability gossiped from them, then say what it really delivered).
              io.dn({ type: "Block" });
              return answer(State.with(s, { blocked: BLOCKED }), io);
            case "MergeRequest":
              return merge.into(s, ev.view, ev.contact, io);
            case "Leave":
              return leave(s, io);
            case "Prompt":
              return prompt(s, io);
            default:
              io.dn(ev);
              return s;
          }
        },
        up(s, ev, _header, io) {
          if (ev.type !== "Cast" || ev.unreliable || ev.peer === undefined) {
            if (!s.exited) io.up(ev);
            return s;
          }
          return answeredFlush(s) || s.exited || s.recovered ? s : deliver(s, ev.peer, bodyOf(ev), io);
        },
        upControl(s, ev, io) {
          if (s.exited) return s;
          if (ev.type === "Suspect") return suspected(s, ev.suspects, io);
          // The layers above hear of it first: what they hold of this view is stale too.
          if (ev.type === "Recover") return io.up(ev), recover(s, io);
          if (ev.type === "Block") return s; // its own, bounced off the bottom
          io.up(ev);
          return ev.type === "Stable" ? collect(s, ev.stability) : s;
        },
        own(s, ev, header, io) {
          if (s.exited || header === undefined || (ev.type !== "Cast" && ev.type !== "Send") || ev.peer === undefined) return s;
          // Merge messages come over the cross-view channel, and only they do.
          if (CROSS_VIEW.has(header.type) !== (ev.type === "Send" && ev.outside === true)) return s;
          return own(s, ev, header, io);
        },
        timers: {
          install: {
            delay: flushDelay,
            when: (s) => s.installing && s.proposal.some((q) => !s.acked.has(q) && !s.suspects.has(q)),
            fire(s, io) {
              const message = installMessage(s);
              for (const q of s.proposal) if (!s.acked.has(q) && !s.suspects.has(q)) send(io, q, message);
              return s;
            },
          },
          flush: {
            delay: flushDelay,
            when: (s) => s.round >= 0 && !s.installing && s.proposal.some((q) => q !== rank && !s.answered.has(q)),
            fire(s, io) {
              const silent = s.proposal.filter((q) => q !== rank && !s.answered.has(q));
              if (s.flushRepeats + 1 >= flushPatience) return suspected(s, silent, io);
              for (const q of silent) send(io, q, { type: "Flush", round: s.round, counts: s.delivered });
              return flushPatience === Infinity ? s : State.with(s, { flushRepeats: s.flushRepeats + 1 });
            },
          },
          merge: {
            delay: flushDelay,
            when: (s) => s.requests > 0 && !s.installing,
            fire: (s, io) => merge.request(s, io),
          },
          leave: {
            delay: flushDelay,
            when: (s) => s.leaving && !s.exited,
            fire(s, io) {
              io.dn({ type: "Cast", unreliable: true }, { type: "Leave" });
              return s;
            },
          },
          release: {
            delay: 0,
            when: (s) => s.held.length > 0 && s.blocked === NOT_BLOCKED && !s.leaving,
            fire(s, io) {
              for (const body of s.held) io.dn(carryingOf<CastEvent>({ type: "Cast" }, body));
              return State.with(s, { held: [] });
            },
          },
        },
        install: (old, fresh, view) =>
          State.with(fresh, {
            held: old.held,
            merges: old.merges,
            floor: old.floor,
            // A leaver that was kept in the next view (it took part in the flush) goes on leaving it, never coordinating.
            leaving: old.leaving,
            suspects: old.leaving ? ISet.of(rank) : fresh.suspects,
            granted: merge.grantedInto(old, view),
          }),
      };
    });
}
