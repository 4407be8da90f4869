// Planted bugs of the vsync stack's layers: each a layer with handlers wrapped or replaced, kept
// here beside the model and never inside the layer. The model's `bug` parameter plants one; the
// tests show that `check` finds each, with a shortest counterexample — or, for the liveness bugs
// (never-installs, deaf-to-casts, flush-waits-forever), a lasso. MEMBERSHIP's are built with the
// model's membership options, so that a planted bug changes nothing else of the model.

import type { ControlEvent, Event, MessageEvent } from "../event.ts";
import type { AnyLayer, Handlers, Io } from "../layer.ts";
import { membership, type MembershipHeader, type MembershipOptions } from "../membership.ts";
import { mnak } from "../mnak.ts";
import { suspect } from "../suspect.ts";

type Header = MembershipHeader;
type Rewrite = (io: Io<Header>) => Io<Header> & { readonly finish?: () => void };

/** Membership's handlers, each running with `io` rewritten by `rewrite`. */
function rewritingIo<S>(handlers: Handlers<S, Header>, rewrite: Rewrite): Partial<Handlers<S, Header>> {
  const run = <T>(io: Io<Header>, body: (io: Io<Header>) => T): T => {
    const rewritten = rewrite(io);
    const out = body(rewritten);
    rewritten.finish?.();
    return out;
  };
  return {
    up: (s, ev, header, io) => run(io, (x) => handlers.up!(s, ev, header, x)),
    upControl: (s, ev, io) => run(io, (x) => handlers.upControl!(s, ev, x)),
    dnControl: (s, ev, io) => run(io, (x) => handlers.dnControl!(s, ev, x)),
    own: (s, ev, header, io) => run(io, (x) => handlers.own!(s, ev, header, x)),
  };
}

/** An `io` passing events on to `io` through `up` and `dn`. */
function io(of: Io<Header>, up: (ev: Event) => void, dn: (ev: Event, header?: Header) => void): Io<Header> {
  return {
    get view() {
      return of.view;
    },
    up,
    dn: dn as Io<Header>["dn"],
  };
}

/**
 * The coordinator's flush timer repeats its Flush to the members that have not answered, for ever:
 * no flush patience. The membership as it is, without it, still waits for ever where two members
 * coordinate rounds at once (a member that took one round ignores the other's Flush).
 */
export function neverGivesUp(options: MembershipOptions) {
  return membership(options).mutant(({ timers }, { rank }) => ({
    timers: {
      ...timers,
      flush: {
        ...timers!.flush!,
        fire(s, io) {
          for (const q of s.proposal) if (q !== rank && !s.answered.has(q)) io.dn({ type: "Send", peer: q, unreliable: true }, { type: "Flush", round: s.round, counts: s.delivered });
          return s;
        },
      },
    },
  }));
}

/**
 * The membership of the view change that waited for ever at run time: no flush patience
 * (neverGivesUp), and a member ignores every Flush from a member it suspects, its first of the
 * view too. A member that falsely suspects the coordinator ignores its Flush, and the coordinator,
 * hearing that member's heartbeats, never suspects it: the view change waits for ever (a liveness
 * bug). A bug of the total stacks too.
 */
export function flushWaitsForever(options: MembershipOptions) {
  return neverGivesUp(options).mutant(({ own }) => ({
    own: (s, ev, header, io) => (header?.type === "Flush" && "peer" in ev && s.suspects.has(ev.peer!) ? s : own!(s, ev, header, io)),
  }));
}

/** The planted bugs, MEMBERSHIP's with the membership options `options`. */
export const vsyncMutants = (options: MembershipOptions) => ({
  /**
   * A member answers a Flush as if the coordinator had delivered one cast more of each sender than
   * its counts say: it leaves out the first cast of each sender that the coordinator lacks, so the
   * coordinator (and any member that lacks it too) installs the view without it, beside members
   * that delivered it (a lean flush too lean).
   */
  "answers-past-the-coordinator": membership(options).mutant(({ own }) => ({
    own: (s, ev, header, x) => own!(s, ev, header?.type === "Flush" ? { ...header, counts: header.counts.map((k) => k + 1) } : header, x),
  })),
  /** Members install the view of a flush without delivering the casts it gathered: a view installed without flushing. */
  "installs-without-flush": membership(options).mutant(({ own }) => ({
    own: (s, ev, header, x) => own!(s, ev, header?.type === "Install" ? { ...header, casts: [] } : header, x),
  })),
  /** A member installing a view delivers the casts it missed after the view, not before: in a later view than they were cast in. */
  "delivers-in-later-view": membership(options).mutant((handlers) =>
    rewritingIo(handlers, (of) => {
      const late: MessageEvent[] = [];
      let installed = false;
      const rewritten = io(
        of,
        (ev) => {
          if (ev.type === "Cast" && !installed) return void late.push(ev);
          if (ev.type === "View") installed = true;
          of.up(ev);
        },
        (ev, header) => of.dn(ev as MessageEvent, header),
      );
      return Object.assign(rewritten, { finish: () => late.splice(0).forEach((ev) => of.up(ev)) });
    }),
  ),
  /** The coordinator leaves itself out of the view it installs. */
  "coordinator-leaves-itself-out": membership(options).mutant((handlers, { rank }) =>
    rewritingIo(handlers, (of) => {
      let coordinating = false;
      return io(
        of,
        (ev) => of.up(coordinating && ev.type === "View" ? ({ ...ev, view: { ...ev.view, members: ev.view.members.delete(rank) } } as ControlEvent) : ev),
        (ev, header) => {
          if (header?.type === "Install") coordinating = true;
          of.dn(ev as MessageEvent, header?.type === "Install" ? { ...header, members: header.members.delete(rank) } : header);
        },
      );
    }),
  ),
  /** The coordinator that grants a merge tells its own view's members to install the merged view without the casts its flush gathered: a merge that loses a message. */
  "merge-loses-message": membership(options).mutant((handlers) =>
    rewritingIo(handlers, (of) => {
      let granting = false;
      return io(of, of.up, (ev, header) => {
        if (header?.type === "MergeGranted") granting = true;
        of.dn(ev as MessageEvent, granting && header?.type === "Install" ? { ...header, casts: [] } : header);
      });
    }),
  ),
  /** The flush round never ends: the coordinator gathers every answer, then neither sends Install nor installs. */
  "never-installs": membership(options).mutant((handlers) =>
    rewritingIo(handlers, (of) =>
      io(
        of,
        (ev) => (ev.type === "View" ? undefined : of.up(ev)),
        (ev, header) => (header?.type === "Install" ? undefined : of.dn(ev as MessageEvent, header)),
      ),
    ),
  ),
  /**
   * The reliable multicast of the lowest-ranked member takes no cast of another member, as if each
   * were lost: the casters repeat them forever, and nobody is suspected (the heartbeats still come),
   * so the group never settles and only a liveness property sees the casts are never delivered.
   */
  "deaf-to-casts": mnak().mutant(({ up }, { rank }) => ({
    up: (s, ev, header, x) => (rank === 0 && ev.type === "Cast" && header?.type === "Data" && ev.peer !== rank ? s : up!(s, ev, header, x)),
  })),
  /** The failure detector never suspects anyone: a crashed member stays in the view. */
  "never-suspects": suspect().mutant(({ timers }) => ({ timers: { beat: timers!.beat!, sweep: timers!.sweep! } })),
  "flush-waits-forever": flushWaitsForever(options),
}) satisfies Record<string, AnyLayer>;
