import { describe, expect, it } from "vitest";
import { enabledActions, ISet } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { fromApplication } from "../../layers/message.ts";
import { ASKED, BLOCKED, membership, merged, type MembershipHeader } from "../../layers/membership.ts";

const own = (peer: number, header: MembershipHeader, type: "Cast" | "Send" = "Send"): Event => ({ type, peer, unreliable: true, above: { origin: "membership", membership: header } as never });
const outside = (peer: number, header: MembershipHeader): Event => ({ type: "Send", peer, unreliable: true, outside: true, above: { origin: "membership", membership: header } as never });
const cast = (peer: number, payload: string): Event => ({ type: "Cast", peer, above: fromApplication(), payload });
const app = (payload: string) => ({ above: fromApplication(), payload });
const headers = (evs: readonly Event[]) => evs.map((e) => (e as { above?: { membership?: MembershipHeader } }).above?.membership);

describe("the membership layer", () => {
  it("coordinates: on a suspicion it blocks, flushes the others, and installs the view with the union of the casts", () => {
    const a = membership().automaton(3, 0);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: cast(2, "x") });
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(2) } });
    expect(s.toAbove).toEqual([{ type: "Block" }]);
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 0, members: ISet.of(0, 1) }]);
    s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(s.layer.blocked).toBe(BLOCKED);
    expect(s.toAbove).toEqual([]);
    // What it delivers in the view is settled: the layers below are frozen.
    expect(s.toBelow).toEqual([{ type: "Block" }]);
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(1, { type: "FlushOk", round: 0, casts: [{ from: 1, index: 0, body: app("y") }] }) });
    const install = { type: "Install", round: 0, id: 3, members: ISet.of(0, 1), casts: [{ from: 1, index: 0, body: app("y") }, { from: 2, index: 0, body: app("x") }] };
    expect(headers(s.toBelow)).toEqual([install]);
    // It waits for 1 to say it has the view (repeating Install on its timer), then delivers what it missed (1's cast) before the view.
    expect(s.toAbove).toEqual([]);
    expect(enabledActions(a, s).filter((x) => x.name === "timer")).toEqual([{ name: "timer", timer: "install" }]);
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(1, { type: "InstallOk", round: 0 }) });
    expect(s.toAbove).toEqual([{ type: "Cast", peer: 1, above: fromApplication(), payload: "y" }, { type: "View", view: { id: 3, members: ISet.of(0, 1) } }]);
  });

  it("as a member: blocks on a Flush, answers once blocked, delivers nothing more after answering but what the flush brings, and installs", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: cast(2, "x") });
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, members: ISet.of(0, 1) }) });
    expect(s.toAbove).toEqual([{ type: "Block" }]);
    expect(s.layer.blocked).toBe(ASKED);
    // The application's casts after the block request are held for the next view.
    s = a.step({ ...s, toAbove: [] }, { name: "fromAbove", ev: { type: "Cast", above: fromApplication(), payload: "later" } });
    expect(s.layer.held).toEqual([app("later")]);
    s = a.step(s, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(s.toBelow[0]).toEqual({ type: "Block" });
    expect(headers(s.toBelow.slice(1))).toEqual([{ type: "FlushOk", round: 3, casts: [{ from: 2, index: 0, body: app("x") }] }]);
    expect(a.step(s, { name: "fromBelow", ev: cast(2, "z") }).layer).toBe(s.layer);
    expect(a.step(s, { name: "fromBelow", ev: cast(0, "v") }).layer).toBe(s.layer);
    // An older round, or one from a suspected member, is ignored.
    expect(a.step(s, { name: "fromBelow", ev: own(0, { type: "Flush", round: 0, members: ISet.of(0, 1) }) }).layer).toBe(s.layer);
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(0, { type: "Install", round: 3, id: 3, members: ISet.of(0, 1), casts: [{ from: 0, index: 0, body: app("w") }, { from: 2, index: 0, body: app("x") }] }, "Cast") });
    expect(headers(s.toBelow)).toEqual([{ type: "InstallOk", round: 3 }]);
    expect(s.toAbove).toEqual([{ type: "Cast", peer: 0, above: fromApplication(), payload: "w" }, { type: "View", view: { id: 3, members: ISet.of(0, 1) } }]);
  });

  it("answers a flush with its own casts and those of the members the round leaves out, not those of the members it keeps", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: cast(2, "x") });
    s = a.step(s, { name: "fromBelow", ev: cast(0, "u") });
    s = a.step(s, { name: "fromBelow", ev: cast(1, "mine") });
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, members: ISet.of(0, 1) }) });
    s = a.step({ ...s, toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(headers(s.toBelow.slice(1))).toEqual([{ type: "FlushOk", round: 3, casts: [{ from: 1, index: 0, body: app("mine") }, { from: 2, index: 0, body: app("x") }] }]);
  });

  it("forgets the casts every member has delivered (Stable), and keeps its own Block, bounced off the bottom, to itself", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: cast(2, "x") });
    s = a.step(s, { name: "fromBelow", ev: cast(2, "y") });
    s = a.step(s, { name: "fromBelow", ev: cast(0, "z") });
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: { type: "Stable", stability: [0, 0, 1], numCasts: [1, 0, 2] } });
    // Per sender, what is not yet stable: 0's z, and 2's y (its x is stable).
    expect(s.layer.kept).toEqual([[[app("z")]], [], [[app("y")]]]);
    expect(s.toAbove).toEqual([{ type: "Stable", stability: [0, 0, 1], numCasts: [1, 0, 2] }]);
    expect(a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: { type: "Block" } }).toAbove).toEqual([]);
  });

  it("with a flushPatience, gives up on a member that does not answer its flush (one that suspects it, say) and suspects it; without one, asks on", () => {
    const silentMember = (patience?: number) => {
      const a = membership(patience === undefined ? {} : { flushPatience: patience }).automaton(3, 0);
      let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(2) } });
      s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
      const flushes: ISet<number>[] = [];
      for (let firing = 0; firing < 4; firing++) {
        s = a.step({ ...s, toBelow: [] }, { name: "timer", timer: "flush" });
        flushes.push(...headers(s.toBelow).flatMap((h) => (h?.type === "Flush" ? [h.members] : [])));
      }
      return { flushes, suspects: s.layer.suspects };
    };
    // Member 1 never answers round {0, 1}: after 3 firings the coordinator suspects it and flushes {0} alone.
    expect(silentMember(3)).toEqual({ flushes: [ISet.of(0, 1), ISet.of(0, 1)], suspects: ISet.of(1, 2) });
    expect(silentMember()).toEqual({ flushes: [ISet.of(0, 1), ISet.of(0, 1), ISet.of(0, 1), ISet.of(0, 1)], suspects: ISet.of(2) });
    expect(() => membership({ flushPatience: 0 })).toThrow(/flushPatience should be at least 1, but is 0/);
  });

  it("a suspected coordinator is replaced by the next-lowest member, with a newer round", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, members: ISet.of(0, 1) }) });
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(0) } });
    expect(s.layer.round).toBe(7);
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 7, members: ISet.of(1, 2) }]);
  });

  it("merges answers into one union sorted by sender and index, each cast once", () => {
    const union = merged([{ from: 1, index: 0, body: app("b") }], [{ from: 0, index: 1, body: app("a2") }, { from: 0, index: 0, body: app("a") }]);
    expect(union).toEqual([{ from: 0, index: 0, body: app("a") }, { from: 0, index: 1, body: app("a2") }, { from: 1, index: 0, body: app("b") }]);
    expect(merged(union, [{ from: 1, index: 0, body: app("b") }])).toBe(union);
  });

  it("merges: asked to merge, the coordinator flushes its whole view, then asks the other view's coordinator over the cross-view channel", () => {
    // Process 0 of a group of 4, in the view {0, 1} (id 0), asked to merge into {2, 3} (id 6) by way of 2.
    const a = membership().automaton(4, 0, { id: 0, members: ISet.of(0, 1) });
    let s = a.step(a.startStates()[0]!, { name: "fromAbove", ev: { type: "MergeRequest", view: { id: 6, members: ISet.of(2, 3) }, contact: 2 } });
    expect(s.toAbove).toEqual([{ type: "Block" }]);
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 0, members: ISet.of(0, 1) }]);
    s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(1, { type: "FlushOk", round: 0, casts: [] }) });
    expect(s.toBelow).toEqual([{ type: "Send", peer: 2, unreliable: true, outside: true, above: { origin: "membership", membership: { type: "MergeRequest", view: { id: 0, members: ISet.of(0, 1) } } } }]);
    // Granted: it installs the merged view in its own view, as after any round.
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: outside(2, { type: "MergeGranted", from: 0, view: { id: 10, members: ISet.of(0, 1, 2, 3) } }) });
    expect(headers(s.toBelow)).toEqual([{ type: "Install", round: 0, id: 10, members: ISet.of(0, 1, 2, 3), casts: [] }]);
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(1, { type: "InstallOk", round: 0 }) });
    expect(s.toAbove).toEqual([{ type: "View", view: { id: 10, members: ISet.of(0, 1, 2, 3) } }]);
  });

  it("merges: the other view's coordinator grants when idle (flushing its own view first), denies when busy; merge messages count only over the cross-view channel", () => {
    const a = membership().automaton(4, 2, { id: 6, members: ISet.of(2, 3) });
    const start = a.startStates()[0]!;
    const request = { type: "MergeRequest", view: { id: 0, members: ISet.of(0, 1) } } as const;
    expect(a.step(start, { name: "fromBelow", ev: own(0, request) }).layer).toBe(start.layer);
    let s = a.step(start, { name: "fromBelow", ev: outside(0, request) });
    expect(s.toAbove).toEqual([{ type: "Block" }]);
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 2, members: ISet.of(2, 3) }]);
    s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(3, { type: "FlushOk", round: 2, casts: [] }) });
    // The merged view: above both ids, named by this coordinator.
    expect(headers(s.toBelow)).toEqual([
      { type: "MergeGranted", from: 0, view: { id: 10, members: ISet.of(0, 1, 2, 3) } },
      { type: "Install", round: 2, id: 10, members: ISet.of(0, 1, 2, 3), casts: [] },
    ]);
    // Busy with a round, it denies another request.
    const busy = a.step(a.step(start, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(3) } }), { name: "fromBelow", ev: outside(1, { type: "MergeRequest", view: { id: 1, members: ISet.of(1) } }) });
    expect(headers(busy.toBelow).at(-1)).toEqual({ type: "MergeDenied", from: 1 });
  });

  it("leaves: casts Leave and casts nothing more; out (Exit) when an Install leaves it out", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromAbove", ev: { type: "Leave" } });
    expect(headers(s.toBelow)).toEqual([{ type: "Leave" }]);
    s = a.step({ ...s, toBelow: [] }, { name: "fromAbove", ev: { type: "Cast", above: fromApplication(), payload: "late" } });
    expect(s.toBelow).toEqual([]);
    s = a.step(s, { name: "fromBelow", ev: own(0, { type: "Install", round: 3, id: 3, members: ISet.of(0, 2), casts: [] }, "Cast") });
    expect(s.toAbove).toEqual([{ type: "Exit" }]);
  });
});
