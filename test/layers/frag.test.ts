import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Event } from "../../layers/event.ts";
import { frag, pieces } from "../../layers/frag.ts";
import { fromApplication } from "../../layers/message.ts";

describe("frag", () => {
  it("cuts a payload into pieces that join back to it", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 5 }), (payload, max) => {
        const cut = pieces(payload, max);
        expect(cut.join("")).toBe(payload);
        expect(cut.every((p) => p.length >= 1 && p.length <= max)).toBe(true);
      }),
    );
    expect(() => frag({ maxLength: 0 })).toThrow("frag: maxLength should be a positive integer, but is 0");
  });

  it("sends a long message as pieces of its own and a last piece with the headers above, and reassembles them", () => {
    const sender = frag({ maxLength: 2 }).automaton(2, 0);
    const sent = sender.step(sender.startStates()[0]!, { name: "fromAbove", ev: { type: "Cast", above: fromApplication(), payload: "abcde" } });
    expect(sent.toBelow.map((e) => (e as { above: unknown }).above)).toEqual([
      { origin: "frag", frag: { type: "Frag", index: 0, count: 3 } },
      { origin: "frag", frag: { type: "Frag", index: 1, count: 3 } },
      { origin: "application", frag: { type: "Last", count: 3 } },
    ]);
    const receiver = frag({ maxLength: 2 }).automaton(2, 1);
    let s = receiver.startStates()[0]!;
    for (const ev of sent.toBelow) s = receiver.step(s, { name: "fromBelow", ev: { ...ev, peer: 0 } as Event });
    expect(s.toAbove).toEqual([{ type: "Cast", peer: 0, above: fromApplication(), payload: "abcde" }]);
    expect(s.layer.casts).toEqual([[], []]);
  });

  it("loses, and says so, a message whose pieces do not follow on (a forged packet)", () => {
    const receiver = frag({ maxLength: 2 }).automaton(2, 1);
    const piece = (index: number, payload: string): Event => ({ type: "Cast", peer: 0, above: { origin: "frag", frag: { type: "Frag", index, count: 3 } } as never, payload });
    let s = receiver.step(receiver.startStates()[0]!, { name: "fromBelow", ev: piece(0, "ab") });
    s = receiver.step(s, { name: "fromBelow", ev: piece(2, "cd") });
    expect(s.toAbove).toEqual([{ type: "LostMessage", peer: 0 }]);
    expect(s.layer.casts).toEqual([[], []]);
  });
});
