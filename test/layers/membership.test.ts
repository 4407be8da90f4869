import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { enabledActions, ISet, range } from "../../ioa/index.ts";
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
    // The Flush carries the coordinator's counts: it delivered one cast of 2.
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 0, counts: [0, 0, 1] }]);
    s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(s.layer.blocked).toBe(BLOCKED);
    expect(s.toAbove).toEqual([]);
    // What it delivers in the view is settled: the layers below are frozen.
    expect(s.toBelow).toEqual([{ type: "Block" }]);
    // 1 delivered a cast of its own, and not 2's: the Install carries both.
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(1, { type: "FlushOk", round: 0, counts: [0, 1, 0], casts: [{ from: 1, index: 0, body: app("y") }] }) });
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
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, counts: [0, 0, 0] }) });
    expect(s.toAbove).toEqual([{ type: "Block" }]);
    expect(s.layer.blocked).toBe(ASKED);
    // The application's casts after the block request are held for the next view.
    s = a.step({ ...s, toAbove: [] }, { name: "fromAbove", ev: { type: "Cast", above: fromApplication(), payload: "later" } });
    expect(s.layer.held).toEqual([app("later")]);
    s = a.step(s, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(s.toBelow[0]).toEqual({ type: "Block" });
    expect(headers(s.toBelow.slice(1))).toEqual([{ type: "FlushOk", round: 3, counts: [0, 0, 1], casts: [{ from: 2, index: 0, body: app("x") }] }]);
    expect(a.step(s, { name: "fromBelow", ev: cast(2, "z") }).layer).toBe(s.layer);
    expect(a.step(s, { name: "fromBelow", ev: cast(0, "v") }).layer).toBe(s.layer);
    // An older round, or one from a suspected member, is ignored.
    expect(a.step(s, { name: "fromBelow", ev: own(0, { type: "Flush", round: 0, counts: [0, 0, 0] }) }).layer).toBe(s.layer);
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(0, { type: "Install", round: 3, id: 3, members: ISet.of(0, 1), casts: [{ from: 0, index: 0, body: app("w") }, { from: 2, index: 0, body: app("x") }] }, "Cast") });
    expect(headers(s.toBelow)).toEqual([{ type: "InstallOk", round: 3 }]);
    expect(s.toAbove).toEqual([{ type: "Cast", peer: 0, above: fromApplication(), payload: "w" }, { type: "View", view: { id: 3, members: ISet.of(0, 1) } }]);
  });

  it("answers a flush with its counts and the casts it keeps from the coordinator's counts on, of every sender: only what the coordinator may lack", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: cast(2, "x") });
    s = a.step(s, { name: "fromBelow", ev: cast(0, "u") });
    s = a.step(s, { name: "fromBelow", ev: cast(0, "u2") });
    s = a.step(s, { name: "fromBelow", ev: cast(1, "mine") });
    // The coordinator delivered 0's first cast and 1's: it lacks 0's second and 2's.
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, counts: [1, 1, 0] }) });
    s = a.step({ ...s, toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(headers(s.toBelow.slice(1))).toEqual([{ type: "FlushOk", round: 3, counts: [2, 1, 1], casts: [{ from: 0, index: 1, body: app("u2") }, { from: 2, index: 0, body: app("x") }] }]);
    // A repeated Flush gets the same answer.
    const again = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, counts: [2, 1, 0] }) });
    expect(headers(again.toBelow)).toEqual(headers(s.toBelow.slice(1)));
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
      const flushes: number[] = [];
      for (let firing = 0; firing < 4; firing++) {
        s = a.step({ ...s, toBelow: [] }, { name: "timer", timer: "flush" });
        flushes.push(...s.toBelow.flatMap((ev) => (headers([ev])[0]?.type === "Flush" ? [(ev as { peer: number }).peer] : [])));
      }
      return { flushes, round: s.layer.round, suspects: s.layer.suspects };
    };
    // Member 1 never answers round {0, 1}: after 3 firings the coordinator suspects it and flushes {0} alone, in a newer round.
    expect(silentMember(3)).toEqual({ flushes: [1, 1], round: 3, suspects: ISet.of(1, 2) });
    expect(silentMember()).toEqual({ flushes: [1, 1, 1, 1], round: 0, suspects: ISet.of(2) });
    expect(() => membership({ flushPatience: 0 })).toThrow(/flushPatience should be at least 1, but is 0/);
  });

  it("takes its first Flush of a view even from a coordinator it suspects but does not replace (the Flush shows it alive); later ones only from members it does not suspect", () => {
    // Member 2 of 4 falsely suspects 0; its coordinator would be 1, which suspects no one and runs no round.
    const a = membership().automaton(4, 2);
    const suspecting = a.step(a.startStates()[0]!, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(0) } });
    expect(suspecting.toBelow).toEqual([]);
    let s = a.step({ ...suspecting, toAbove: [] }, { name: "fromBelow", ev: own(0, { type: "Flush", round: 0, counts: [0, 0, 0, 0] }) });
    expect(s.toAbove).toEqual([{ type: "Block" }]);
    s = a.step({ ...s, toAbove: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    expect(headers(s.toBelow.slice(1))).toEqual([{ type: "FlushOk", round: 0, counts: [0, 0, 0, 0], casts: [] }]);
    expect(s.toBelow.slice(1).map((ev) => (ev as { peer: number }).peer)).toEqual([0]);

    // Having taken 1's round, it keeps to it against a newer one of 0, which it suspects, and takes a newer one of 1.
    const taken = a.step({ ...suspecting, toAbove: [] }, { name: "fromBelow", ev: own(1, { type: "Flush", round: 5, counts: [0, 0, 0, 0] }) });
    expect(taken.layer.accepted).toBe(5);
    expect(a.step(taken, { name: "fromBelow", ev: own(0, { type: "Flush", round: 8, counts: [0, 0, 0, 0] }) }).layer).toBe(taken.layer);
    expect(a.step(taken, { name: "fromBelow", ev: own(1, { type: "Flush", round: 9, counts: [0, 0, 0, 0] }) }).layer.accepted).toBe(9);
  });

  it("whatever it suspects and is sent, a member takes only newer rounds, and a suspected member's only as its first of the view", () => {
    // Member 3 of 4, given suspicions, Flushes (round attempt·4 + sender, as coordinators number them) and block-oks in any order.
    const a = membership().automaton(4, 3);
    const input = fc.oneof(
      fc.record({ kind: fc.constant("suspect" as const), members: fc.subarray([0, 1, 2], { minLength: 1 }) }),
      fc.record({ kind: fc.constant("flush" as const), from: fc.constantFrom(0, 1, 2), attempt: fc.nat(4) }),
      fc.record({ kind: fc.constant("blockOk" as const) }),
    );
    fc.assert(
      fc.property(fc.array(input, { maxLength: 25 }), (inputs) => {
        let s = a.startStates()[0]!;
        for (const x of inputs) {
          const before = s.layer;
          if (x.kind === "suspect") s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(...x.members) } });
          else if (x.kind === "blockOk") s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
          else {
            const round = x.attempt * 4 + x.from;
            s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromBelow", ev: own(x.from, { type: "Flush", round, counts: [0, 0, 0, 0] }) });
            const took = s.layer.accepted !== before.accepted;
            if (took) expect(s.layer.accepted).toBe(round);
            // Newer only; and from a suspected member only while it had taken no round.
            if (took) expect(round > before.accepted && (before.accepted < 0 || !before.suspects.has(x.from))).toBe(true);
            if (round < before.accepted) expect(s.layer).toBe(before);
          }
          expect(s.layer.accepted).toBeGreaterThanOrEqual(before.accepted);
        }
      }),
    );
  });

  it("a suspected coordinator is replaced by the next-lowest member, with a newer round", () => {
    const a = membership().automaton(3, 1);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: own(0, { type: "Flush", round: 3, counts: [0, 0, 0] }) });
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: { type: "Suspect", suspects: ISet.of(0) } });
    expect(s.layer.round).toBe(7);
    expect(s.layer.proposal).toEqual(ISet.of(1, 2));
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 7, counts: [0, 0, 0] }]);
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
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 0, counts: [0, 0, 0, 0] }]);
    s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(1, { type: "FlushOk", round: 0, counts: [0, 0, 0, 0], casts: [] }) });
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
    expect(headers(s.toBelow)).toEqual([{ type: "Flush", round: 2, counts: [0, 0, 0, 0] }]);
    s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromAbove", ev: { type: "BlockOk" } });
    s = a.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: own(3, { type: "FlushOk", round: 2, counts: [0, 0, 0, 0], casts: [] }) });
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

/**
 * A view change among the membership layers of `n` members, with messages passed by hand: member
 * p first delivers `deliveries[p]` (sender and payload, in order) and hears that `stability[p]`
 * casts of each sender are stable, then every survivor suspects `dead`. Returns what the flush's
 * answers and Install carried, and what each survivor delivered and installed.
 */
function viewChange(n: number, dead: ISet<number>, deliveries: readonly (readonly (readonly [number, string])[])[], stability?: readonly (readonly number[])[]) {
  const layers = Array.from({ length: n }, (_, p) => membership().automaton(n, p));
  const survivors = layers.map((_, p) => p).filter((p) => !dead.has(p));
  let states = layers.map((a) => a.startStates()[0]!);
  const delivered = states.map((): string[] => []);
  const views = states.map((): string[] => []);
  const carried: { type: string; from: number; casts: readonly { from: number; index: number }[] }[] = [];
  const inbox: [number, Parameters<(typeof layers)[0]["step"]>[1]][] = [];
  for (const p of survivors) for (const [from, payload] of deliveries[p]!) inbox.push([p, { name: "fromBelow", ev: cast(from, payload) }]);
  if (stability) for (const p of survivors) inbox.push([p, { name: "fromBelow", ev: { type: "Stable", stability: stability[p]!, numCasts: stability[p]! } }]);
  for (const p of survivors) inbox.push([p, { name: "fromBelow", ev: { type: "Suspect", suspects: dead } }]);
  while (inbox.length > 0) {
    const [p, action] = inbox.shift()!;
    const s = layers[p]!.step({ ...states[p]!, toAbove: [], toBelow: [] }, action);
    states = replaced(states, p, s);
    for (const ev of s.toAbove) {
      if (ev.type === "Cast") delivered[p]!.push(`${ev.peer}:${(ev as { payload: string }).payload}`);
      if (ev.type === "View") views[p]!.push(ev.view.members.toArray().join());
      if (ev.type === "Block") inbox.push([p, { name: "fromAbove", ev: { type: "BlockOk" } }]);
    }
    for (const ev of s.toBelow) {
      const header = headers([ev])[0];
      if (header === undefined || (ev.type !== "Send" && ev.type !== "Cast")) continue;
      if (header.type === "FlushOk" || header.type === "Install") carried.push({ type: header.type, from: p, casts: header.casts.map((c) => ({ from: c.from, index: c.index })) });
      const to = ev.type === "Send" ? [ev.peer!] : survivors.filter((q) => q !== p);
      for (const q of to) inbox.push([q, { name: "fromBelow", ev: own(p, header, ev.type) }]);
    }
  }
  return { carried, delivered: survivors.map((p) => [...delivered[p]!].sort()), views: survivors.map((p) => views[p]!) };
}

const replaced = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, j) => (j === i ? x : y));

describe("the lean flush: answers and Install carry only what some member lacks", () => {
  // Member 3 dies after casting; the survivors 0, 1, 2 delivered casts of all four.
  const everything: [number, string][] = [[0, "a"], [1, "b"], [3, "d1"], [2, "c"], [3, "d2"], [1, "b2"]];

  it("survivors that delivered the same casts answer with none, and the Install carries none; they deliver the same and install the view", () => {
    const { carried, delivered, views } = viewChange(4, ISet.of(3), [everything, everything, everything, []]);
    // Each of 1 and 2 answered, and 0 cast the Install: none of them carried a cast (without a lean flush each answer held the casts of the member itself and of 3).
    expect(carried.map((c) => c.type).sort()).toEqual(["FlushOk", "FlushOk", "Install"]);
    expect(carried.every((c) => c.casts.length === 0)).toBe(true);
    expect(new Set(delivered.map((d) => d.join()))).toEqual(new Set([everything.map(([from, m]) => `${from}:${m}`).sort().join()]));
    expect(views).toEqual([["0,1,2"], ["0,1,2"], ["0,1,2"]]);
  });

  it("a member that lacks casts gets them, and only them, from the Install; one the coordinator lacks answers with them", () => {
    // Member 2 missed 3's second cast and 1's second (as if they were still on their way when 3 died); the coordinator 0 missed 1's second.
    const lagging = everything.filter(([from, m]) => m !== "d2" && m !== "b2");
    const coordinator = everything.filter(([, m]) => m !== "b2");
    const { carried, delivered, views } = viewChange(4, ISet.of(3), [coordinator, everything, lagging, []]);
    // 1 answers with what 0 lacks (1's second cast); 2 has nothing 0 lacks; the Install carries what 2 lacks.
    expect(carried).toEqual([
      { type: "FlushOk", from: 1, casts: [{ from: 1, index: 1 }] },
      { type: "FlushOk", from: 2, casts: [] },
      { type: "Install", from: 0, casts: [{ from: 1, index: 1 }, { from: 3, index: 1 }] },
    ]);
    const all = everything.map(([from, m]) => `${from}:${m}`).sort();
    expect(delivered).toEqual([all, all, all]);
    expect(views).toEqual([["0,1,2"], ["0,1,2"], ["0,1,2"]]);
  });

  it("whatever each survivor delivered and saw stable, each delivers every cast any delivered, and the Install carries per sender exactly the casts from the least count on", () => {
    const n = 4;
    const survivors = [0, 1, 2];
    // Per survivor, how many casts of each sender it delivered (each a prefix), and per sender how many of those every member has (stable).
    const counts = fc.array(fc.array(fc.nat(4), { minLength: n, maxLength: n }), { minLength: 3, maxLength: 3 });
    const run = fc.tuple(counts, fc.array(fc.nat(4), { minLength: n, maxLength: n }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }));
    fc.assert(
      fc.property(run, ([delivered, stableShare, heard]) => {
        const least = range(n).map((q) => Math.min(...survivors.map((p) => delivered[p]![q]!)));
        const most = range(n).map((q) => Math.max(...survivors.map((p) => delivered[p]![q]!)));
        const deliveries = survivors.map((p) => range(n).flatMap((q) => range(delivered[p]![q]!).map((i): [number, string] => [q, `${q}.${i}`])));
        // Each survivor has heard of at most what all have delivered as stable (some of it, some members none).
        const stability = survivors.map((p) => range(n).map((q) => (heard[p] ? Math.min(stableShare[q]!, least[q]!) : 0)));
        const result = viewChange(n, ISet.of(3), [...deliveries, []], stability);
        const all = range(n).flatMap((q) => range(most[q]!).map((i) => `${q}:${q}.${i}`)).sort();
        expect(result.delivered).toEqual([all, all, all]);
        expect(result.views).toEqual([["0,1,2"], ["0,1,2"], ["0,1,2"]]);
        const install = result.carried.filter((c) => c.type === "Install");
        expect(install).toHaveLength(1);
        expect(install[0]!.casts).toEqual(range(n).flatMap((q) => range(most[q]! - least[q]!).map((i) => ({ from: q, index: least[q]! + i }))));
        // An answer carries only casts the coordinator had not delivered.
        for (const answer of result.carried.filter((c) => c.type === "FlushOk")) for (const c of answer.casts) expect(c.index).toBeGreaterThanOrEqual(delivered[0]![c.from]!);
      }),
      { numRuns: 200 },
    );
  });
});
