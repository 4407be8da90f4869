import { describe, expect, it } from "vitest";
import { ISet } from "../../ioa/index.ts";
import { bottom } from "../../layers/bottom.ts";
import { fromApplication } from "../../layers/message.ts";

describe("bottom", () => {
  const a = bottom.automaton(3, 0);
  const start = a.startStates()[0]!;

  it("sends a cast to every other member of the view and a send to its destination, saying which it was", () => {
    let s = a.step(start, { name: "fromAbove", ev: { type: "Cast", above: fromApplication(), payload: "m" } });
    s = a.step(s, { name: "fromAbove", ev: { type: "Send", peer: 2, above: fromApplication(), payload: "s" } });
    expect(s.toBelow).toEqual([
      { type: "Transmit", dests: ISet.of(1, 2), above: { origin: "application", bottom: { type: "Cast", view: 0 } }, payload: "m" },
      { type: "Transmit", dests: ISet.of(2), above: { origin: "application", bottom: { type: "Send", view: 0 } }, payload: "s" },
    ]);
  });

  it("drops packets from processes outside the view and packets of other views, and bounces control events up", () => {
    const view1 = bottom.automaton(3, 0, { id: 1, members: ISet.of(0, 1) });
    const packet = (peer: number, view: number, payload: string) => ({ type: "Arrive" as const, peer, above: { origin: "application", bottom: { type: "Cast", view } } as never, payload });
    let s = view1.step(view1.startStates()[0]!, { name: "fromAbove", ev: { type: "Block" } });
    s = view1.step(s, { name: "fromBelow", ev: packet(2, 1, "stranger") });
    s = view1.step(s, { name: "fromBelow", ev: packet(1, 0, "from the last view") });
    s = view1.step(s, { name: "fromBelow", ev: packet(1, 1, "member") });
    s = view1.step(s, { name: "fromAbove", ev: { type: "Cast", above: fromApplication(), payload: "m" } });
    expect(s.toAbove).toEqual([{ type: "Block" }, { type: "Cast", peer: 1, above: fromApplication(), payload: "member" }]);
    expect(s.toBelow).toEqual([{ type: "Transmit", dests: ISet.of(1), above: { origin: "application", bottom: { type: "Cast", view: 1 } }, payload: "m" }]);
  });
});
