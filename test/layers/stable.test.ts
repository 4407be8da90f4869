import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Event } from "../../layers/event.ts";
import { FIFO_MUTANTS } from "../../layers/models/fifo-mutants.ts";
import { minima, minimaMoved, stable } from "../../layers/stable.ts";
import { ISet } from "../../ioa/index.ts";

const gossip = (from: number, row: number[]): Event => ({ type: "Cast", peer: from, above: { origin: "stable", stable: { type: "Gossip", row } } as never });

describe("stable", () => {
  it("owes a gossip after a delivery, not after its own cast, and reports stability as rows arrive", () => {
    const a = stable().automaton(3, 0);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: { type: "Ack", casts: [1, 0, 0] } });
    expect(s.layer.owe).toBe(false);
    s = a.step(s, { name: "fromBelow", ev: { type: "Ack", casts: [1, 1, 0] } });
    expect(s.layer.owe).toBe(true);
    s = a.step(s, { name: "timer", timer: "gossip" });
    expect(s.layer.owe).toBe(false);
    expect(s.toBelow.at(-1)).toEqual({ type: "Cast", unreliable: true, above: { origin: "stable", stable: { type: "Gossip", row: [1, 1, 0] } } });
    s = a.step(s, { name: "fromBelow", ev: gossip(1, [1, 1, 0]) });
    s = a.step(s, { name: "fromBelow", ev: gossip(2, [1, 1, 0]) });
    const reports = s.toBelow.filter((e) => e.type === "Stable");
    expect(reports.at(-1)).toEqual({ type: "Stable", stability: [1, 1, 0], numCasts: [1, 1, 0] });
    // A stale gossip changes nothing and reports nothing.
    const again = a.step(s, { name: "fromBelow", ev: gossip(1, [0, 0, 0]) });
    expect(again.layer).toBe(s.layer);
    expect(again.toBelow).toEqual(s.toBelow);
  });

  it("consumes the Acks it is given, and tells the layers below of its own deliveries only when they move stability or while it lacks casts some member has", () => {
    const a = stable().automaton(3, 0);
    const stables = (s: ReturnType<typeof a.step>) => s.toBelow.filter((e) => e.type === "Stable");
    // Its own cast, then a delivery of member 1's: the maxima grow, nobody has more than it, stability holds still.
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: { type: "Ack", casts: [1, 0, 0] } });
    s = a.step(s, { name: "fromBelow", ev: { type: "Ack", casts: [1, 1, 0] } });
    expect(s.toAbove).toEqual([]);
    expect(stables(s)).toEqual([]);
    // Member 2 has a cast of member 1's it lacks: its next delivery reports so (MNAK below asks again).
    s = a.step(s, { name: "fromBelow", ev: gossip(2, [0, 3, 0]) });
    const told = stables(s).length;
    expect(told).toBe(1);
    s = a.step(s, { name: "fromBelow", ev: { type: "Ack", casts: [1, 2, 0] } });
    expect(stables(s).length).toBe(told);
    s = a.step(s, { name: "fromBelow", ev: { type: "Ack", casts: [2, 2, 0] } });
    expect(stables(s).slice(told)).toEqual([{ type: "Stable", stability: [0, 0, 0], numCasts: [2, 3, 0] }]);
  });

  it("reports stability too early when the bug is planted", () => {
    const a = FIFO_MUTANTS["stable-too-early"].automaton(2, 0);
    const s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: { type: "Ack", casts: [1, 0] } });
    expect(s.toBelow).toEqual([{ type: "Stable", stability: [1, 0], numCasts: [1, 0] }]);
  });
});

describe("stable's test for moved minima", () => {
  it("says a row raised moves a column's least count exactly when the minima before and after differ", () => {
    const n = 4;
    const matrix = fc.array(fc.array(fc.nat(5), { minLength: n, maxLength: n }), { minLength: n, maxLength: n });
    fc.assert(
      fc.property(matrix, fc.nat(n - 1), fc.array(fc.nat(3), { minLength: n, maxLength: n }), fc.subarray([0, 1, 2, 3]), (acks, q, raise, members) => {
        const row = acks[q]!.map((x, r) => x + raise[r]!);
        const set = ISet.of(...members);
        const after = acks.map((old, p) => (p === q ? row : old));
        const differ = minima(acks, set).some((x, r) => x !== minima(after, set)[r]);
        expect(minimaMoved(acks, q, row, set)).toBe(differ);
      }),
    );
  });
});
