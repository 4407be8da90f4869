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
      { type: "Transmit", dests: ISet.of(1, 2), above: { origin: "application", bottom: "Cast" }, payload: "m" },
      { type: "Transmit", dests: ISet.of(2), above: { origin: "application", bottom: "Send" }, payload: "s" },
    ]);
  });

  it("drops packets from processes outside the view, and bounces control events up", () => {
    let s = a.step(start, { name: "fromAbove", ev: { type: "View", view: { id: 1, members: ISet.of(0, 1) } } });
    s = a.step(s, { name: "fromBelow", ev: { type: "Arrive", peer: 2, above: { origin: "application", bottom: "Cast" } as never, payload: "stranger" } });
    s = a.step(s, { name: "fromBelow", ev: { type: "Arrive", peer: 1, above: { origin: "application", bottom: "Cast" } as never, payload: "member" } });
    expect(s.toAbove).toEqual([
      { type: "View", view: { id: 1, members: ISet.of(0, 1) } },
      { type: "Cast", peer: 1, above: fromApplication(), payload: "member" },
    ]);
    expect(s.layer.members).toEqual(ISet.of(0, 1));
  });
});
