import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ISet } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { slander, type SlanderHeader } from "../../layers/slander.ts";
import { vsync } from "../../layers/stacks/vsync.ts";

const detected = (...members: number[]): Event => ({ type: "Suspect", suspects: ISet.of(...members) });
const word = (peer: number, ...members: number[]): Event => ({ type: "Send", peer, above: { origin: "slander", slander: { type: "Slander", suspects: ISet.of(...members) } } as never });
const told = (evs: readonly Event[]) => evs.map((e) => [(e as { peer: number }).peer, (e as unknown as { above: { slander: SlanderHeader } }).above.slander.suspects.toArray()]);

describe("the slander layer", () => {
  it("passes a suspicion of its own up, and tells each member it does not suspect, reliably", () => {
    const a = slander.automaton(4, 1);
    const s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: detected(2) });
    expect(s.toAbove).toEqual([detected(2)]);
    expect(told(s.toBelow)).toEqual([[0, [2]], [3, [2]]]);
    expect(s.toBelow.every((e) => e.type === "Send" && !e.unreliable)).toBe(true);
    // The same suspicion again is no news, to the layers above or to the others.
    const again = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromBelow", ev: detected(2) });
    expect([again.toAbove, again.toBelow]).toEqual([[], []]);
  });

  it("takes the word of a member it does not suspect, except about itself; a suspected member's word not at all", () => {
    const a = slander.automaton(4, 0);
    let s = a.step(a.startStates()[0]!, { name: "fromBelow", ev: word(1, 0, 2) });
    expect(s.toAbove).toEqual([detected(2)]);
    expect(s.toBelow).toEqual([]);
    s = a.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: word(2, 1, 3) });
    expect(s.toAbove).toEqual([]);
    expect(s.layer.suspects.toArray()).toEqual([2]);
  });

  it("does not hear members outside its view, nor words from outside the view", () => {
    const a = slander.automaton(4, 0, { id: 4, members: ISet.of(0, 1, 2) });
    const start = a.startStates()[0]!;
    expect(a.step(start, { name: "fromBelow", ev: word(3, 1) }).layer).toBe(start.layer);
    expect(a.step(start, { name: "fromBelow", ev: { ...word(1, 2), outside: true } as Event }).layer).toBe(start.layer);
    expect(a.step(start, { name: "fromBelow", ev: word(1, 3) }).toAbove).toEqual([]);
  });

  it("whatever it detects and is told, it passes up exactly its own suspicions and the word of members it did not suspect, each set once and growing", () => {
    // Member 0 of 4: its detector's suspicions (cumulative, as SUSPECT gives them) and the others' words, in any order.
    const a = slander.automaton(4, 0);
    const input = fc.oneof(
      fc.record({ kind: fc.constant("detected" as const), members: fc.subarray([1, 2, 3], { minLength: 1 }) }),
      fc.record({ kind: fc.constant("word" as const), from: fc.constantFrom(1, 2, 3), members: fc.subarray([0, 1, 2, 3]) }),
    );
    fc.assert(
      fc.property(fc.array(input, { maxLength: 20 }), (inputs) => {
        let s = a.startStates()[0]!;
        let own = ISet.empty<number>();
        let expected = ISet.empty<number>();
        for (const x of inputs) {
          const before = expected;
          if (x.kind === "detected") {
            own = own.union(x.members);
            expected = expected.union(own);
            s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromBelow", ev: detected(...own) });
          } else {
            if (!expected.has(x.from)) expected = expected.union(x.members.filter((q) => q !== 0));
            s = a.step({ ...s, toAbove: [], toBelow: [] }, { name: "fromBelow", ev: word(x.from, ...x.members) });
          }
          expect(s.toAbove).toEqual(expected.equals(before) ? [] : [{ type: "Suspect", suspects: expected }]);
          // Told only to members not suspected here, and only what this member's own detector suspects.
          for (const [to, what] of told(s.toBelow)) expect([expected.has(to as number), ISet.of(...(what as number[])).equals(own)]).toEqual([false, true]);
        }
      }),
    );
  });

  it("is a stack option: vsync with slander has the layer between STABLE and SUSPECT, and without it none", () => {
    expect(vsync({ slander: true }).layers.map((l) => l.name).slice(-6)).toEqual(["stable", "slander", "suspect", "pt2pt", "mnak", "bottom"]);
    expect(vsync().layers.some((l) => l.name === "slander")).toBe(false);
  });
});
