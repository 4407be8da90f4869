// The merge half of MEMBERSHIP: concurrent views of a group merging, after Ensemble's INTER, with
// its merge request, granted and denied. It runs inside the membership layer (membership.ts), whose
// flush rounds it uses; it is here so that each half reads on its own.
//
// Asked (by HEAL, heal.ts) to merge its view A into a concurrent view B whose coordinator is b, the
// coordinator a of A, when idle (no round, no suspects), runs a flush round of all of A; once every
// member answered, instead of installing, it sends b MergeRequest{A} over the cross-view channel,
// repeated on its timer. b, when idle and A is disjoint from B and merges into it (heal.ts
// `mergesInto`), runs a flush round of all of B; once every member of B answered, the merged view
// W = B ∪ A, id (⌊max(A, B)/n⌋ + 1)·n + b, is decided: b installs it in B as after any round and
// sends a MergeGranted{A, W}; a installs W in A as after any round (each side's members deliver
// first what the union of its own answers holds that they lack). Members moving together from A,
// or from B, to W delivered the same casts in their view: that is all virtual synchrony asks of a
// merge. b busy, or A not for B: MergeDenied; no answer after MERGE_TRIES requests: denied too. A
// denied a installs a view of A's members anew (its round is complete), and HEAL tries again later.
// b answers a request it granted again (also from W): a lost MergeGranted costs a repeat, not a
// merge.
//
// W may hold members of A that never come (a gave up just before the grant): they are suspected in
// W like any silent member, and HEAL merges them again later. Safe, and rare.

import { ISet, t, type IdsType } from "../ioa/index.ts";
import type { ViewValue } from "./event.ts";
import { mergesInto } from "./heal.ts";
import type { Io } from "./layer.ts";
import type { MembershipHeader } from "./membership.ts";

/** The merge messages, over the cross-view channel between the coordinators of two views that merge. */
export type MergeHeader =
  | { readonly type: "MergeRequest"; readonly view: ViewValue }
  | { readonly type: "MergeGranted"; readonly from: number; readonly view: ViewValue }
  | { readonly type: "MergeDenied"; readonly from: number };

/** The messages that cross views; every other membership message travels within the view. */
export const CROSS_VIEW: ReadonlySet<string> = new Set<MergeHeader["type"]>(["MergeRequest", "MergeGranted", "MergeDenied"]);

/** MergeRequests a coordinator makes (one per timer delay) before it takes silence as a denial. */
export const MERGE_TRIES = 3;

/** The id of the view coordinator `c` installs after views of ids `ids`: above all of them, and unique without agreement. */
export function nextViewId(n: number, c: number, ...ids: number[]): number {
  return (Math.floor(Math.max(...ids) / n) + 1) * n + c;
}

/** The membership state's fields for merging. */
export function mergeFields(P: IdsType) {
  const View = t.record({ id: t.int(0), members: t.set(P) });
  return {
    /** As the coordinator of a view merging into another: that view's coordinator (-1: no merge), that view, and the MergeRequests made so far. */
    contact: t.int(-1),
    target: View,
    requests: t.int(0),
    /** As the coordinator of a view another merges into: the other's coordinator (-1: none), and its view. */
    joiner: t.int(-1),
    joining: View,
    /** The merges this member asked for so far (kept across views; bounded by the `merges` option). */
    merges: t.int(0),
    /** The id of the view whose merge into this one this member granted (-1: none; kept into the merged view, to answer a repeated request). */
    granted: t.int(-1),
  };
}

/** No view (where a state field holds a view only in some rounds). */
const NO_VIEW: ViewValue = { id: 0, members: ISet.empty<number>() };

export const mergeStart = { contact: -1, target: NO_VIEW, requests: 0, joiner: -1, joining: NO_VIEW, merges: 0, granted: -1 };

/** What merging reads of a membership state: its own fields, and the round's. */
export interface MergeState {
  readonly contact: number;
  readonly target: ViewValue;
  readonly requests: number;
  readonly joiner: number;
  readonly joining: ViewValue;
  readonly merges: number;
  readonly granted: number;
  readonly proposal: ISet<number>;
  readonly installing: boolean;
  readonly nextId: number;
  readonly nextMembers: ISet<number>;
  /** No view this member names may have an id at or below this (after a restart). */
  readonly floor: number;
}

/** The membership rounds merging runs on. */
export interface Rounds<S> {
  readonly rank: number;
  readonly n: number;
  /** Merges this member may ask for over its life. */
  readonly limit: number;
  with(s: S, changes: Partial<MergeState>): S;
  /** The member coordinates its view, with no round under way or taken and nothing to exclude. */
  idle(s: S, io: Io<MembershipHeader>): boolean;
  /** As coordinator, flushes `proposal` in a new round. */
  startRound(s: S, proposal: ISet<number>, io: Io<MembershipHeader>): S;
  /** As coordinator, the round installs `view`. */
  decide(s: S, view: ViewValue, io: Io<MembershipHeader>): S;
}

export function merging<S extends MergeState>({ rank, n, limit, with: change, idle, startRound, decide }: Rounds<S>) {
  const sendOutside = (io: Io<MembershipHeader>, peer: number, header: MergeHeader) => io.dn({ type: "Send", peer, unreliable: true, outside: true }, header);

  /** The merge is off: install the flushed view's members anew. */
  const denied = (s: S, io: Io<MembershipHeader>): S => decide(s, { id: nextViewId(n, rank, io.view.id, s.floor), members: s.proposal }, io);

  /** The view is flushed: ask the other view's coordinator to take it in (again, on the timer, up to MERGE_TRIES times; then take silence as a denial). */
  function request(s: S, io: Io<MembershipHeader>): S {
    if (s.requests >= MERGE_TRIES) return denied(s, io);
    sendOutside(io, s.contact, { type: "MergeRequest", view: { id: io.view.id, members: s.proposal } });
    return change(s, { requests: s.requests + 1 });
  }

  return {
    request,

    /** Asked (by HEAL) to merge this view into `target`, coordinated by `contact`: flush the whole view first. */
    into(s: S, target: ViewValue, contact: number, io: Io<MembershipHeader>): S {
      if (!idle(s, io) || s.merges >= limit || target.members.some((q) => io.view.members.has(q))) return s;
      return startRound(change(s, { contact, target, requests: 0, joiner: -1, merges: s.merges + 1 }), io.view.members, io);
    },

    /** A merge round's flush is complete: as requester, ask; as grantor, decide the merged view and say so. */
    flushed(s: S, io: Io<MembershipHeader>): S {
      if (s.contact >= 0) return request(s, io);
      const view = { id: nextViewId(n, rank, io.view.id, s.joining.id, s.floor), members: s.proposal.union(s.joining.members) };
      sendOutside(io, s.joiner, { type: "MergeGranted", from: s.joining.id, view });
      return decide(s, view, io);
    },

    /** A's coordinator `a` asks to merge its flushed view A into this one. */
    requested(s: S, a: number, A: ViewValue, io: Io<MembershipHeader>): S {
      const view = io.view;
      if (s.granted === A.id && A.members.every((q) => view.members.has(q))) {
        sendOutside(io, a, { type: "MergeGranted", from: A.id, view });
        return s;
      }
      if (s.joiner === a && s.joining.id === A.id) {
        if (s.installing) sendOutside(io, a, { type: "MergeGranted", from: A.id, view: { id: s.nextId, members: s.nextMembers } });
        return s;
      }
      if (!idle(s, io) || !A.members.has(a) || A.members.some((q) => view.members.has(q)) || !mergesInto(A, view)) {
        sendOutside(io, a, { type: "MergeDenied", from: A.id });
        return s;
      }
      return startRound(change(s, { joiner: a, joining: A, contact: -1 }), view.members, io);
    },

    /** The answer of the coordinator this member asked to merge with. */
    answered(s: S, from: number, header: Extract<MergeHeader, { type: "MergeGranted" | "MergeDenied" }>, io: Io<MembershipHeader>): S {
      if (from !== s.contact || s.requests === 0 || s.installing || header.from !== io.view.id) return s;
      return header.type === "MergeGranted" && header.view.members.has(rank) ? decide(s, header.view, io) : denied(s, io);
    },

    /** Installing `view` after state `old`: the id of the view whose merge it granted, if `view` is that merge. */
    grantedInto: (old: S, view: ViewValue): number => (old.joiner >= 0 && view.id === old.nextId ? old.joining.id : -1),
  };
}
