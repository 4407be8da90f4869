import { describe, expect, it } from "vitest";
import type { Event } from "../../layers/event.ts";
import { FIFO_MUTANTS } from "../../layers/models/fifo-mutants.ts";
import { stable } from "../../layers/stable.ts";

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

  it("reports stability too early when the bug is planted", () => {
    const a = FIFO_MUTANTS["stable-too-early"].automaton(2, 0);
    const s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: { type: "Ack", casts: [1, 0] } });
    expect(s.toBelow).toEqual([{ type: "Stable", stability: [1, 0], numCasts: [1, 0] }]);
  });
});
