// The retransmission delay the reliable layers share (layers/retransmit.ts).

import { describe, expect, it } from "vitest";
import { enabledActions } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { fromApplication } from "../../layers/message.ts";
import { mnak } from "../../layers/mnak.ts";
import { pt2pt } from "../../layers/pt2pt.ts";

const cast: Event = { type: "Cast", above: fromApplication(), payload: "m0" };

describe("the retransmission delay of mnak and pt2pt", () => {
  it("is their timer's delay (1,000 ms unless given), and must be a positive number of milliseconds", () => {
    const delay = (layer: ReturnType<typeof mnak> | ReturnType<typeof pt2pt>, ev: Event) => {
      const x = (layer as ReturnType<typeof mnak>).automaton(2, 0);
      const s = x.step(x.startStates()[0]!, { name: "fromAbove", ev });
      const timer = enabledActions(x, s).find((a) => a.name === "timer")!;
      return (x.details(timer) as { delay?: number }).delay;
    };
    const send: Event = { type: "Send", peer: 1, above: fromApplication(), payload: "m0" };
    expect([delay(mnak(), cast), delay(pt2pt(), send)]).toEqual([1000, 1000]);
    expect([delay(mnak({ delay: 100 }), cast), delay(pt2pt({ delay: 100 }), send)]).toEqual([100, 100]);
    expect(() => mnak({ delay: 0 })).toThrow(/mnak: the retransmission delay should be a positive number of milliseconds, but is 0/);
    expect(() => pt2pt({ delay: -5 })).toThrow(/pt2pt: the retransmission delay should be a positive number of milliseconds, but is -5/);
  });
});
