import { describe, expect, it } from "vitest";
import { enabledActions, ISet } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { suspect } from "../../layers/suspect.ts";

const a = suspect().automaton(3, 0);
type S = ReturnType<typeof a.step>;
const heartbeat = (peer: number): Event => ({ type: "Cast", peer, unreliable: true, above: { origin: "suspect" } as never });
const timers = (s: S) => enabledActions(a, s).filter((x) => x.name === "timer").map((x) => (x as { timer: string }).timer).sort();
const start = a.startStates()[0]!;

describe("the suspect layer", () => {
  it("beats, and gives members never heard in the view the longer `silent` wait", () => {
    expect(timers(start)).toEqual(["beat", "silent"]);
    expect(a.details({ name: "timer", timer: "silent" })).toMatchObject({ delay: 5000 });
    const beat = a.step(start, { name: "timer", timer: "beat" });
    expect(beat.toBelow).toEqual([{ type: "Cast", unreliable: true, above: { origin: "suspect" } }]);
  });

  it("sweeps, and suspects no one, once every watched member is heard", () => {
    const heard = a.step(a.step(start, { name: "fromBelow", ev: heartbeat(1) }), { name: "fromBelow", ev: heartbeat(2) });
    expect(heard.layer.heard.toArray()).toEqual([1, 2]);
    expect(timers(heard)).toEqual(["beat", "sweep"]);
    const swept = a.step(heard, { name: "timer", timer: "sweep" });
    expect(swept.layer.heard.size).toBe(0);
  });

  it("suspects a member heard before and unheard since the last sweep, tells the layers above, and stops watching it", () => {
    const heard = a.step(a.step(start, { name: "fromBelow", ev: heartbeat(1) }), { name: "fromBelow", ev: heartbeat(2) });
    const swept = a.step(a.step(heard, { name: "timer", timer: "sweep" }), { name: "fromBelow", ev: heartbeat(1) });
    expect(timers(swept)).toEqual(["beat", "suspect"]);
    const s = a.step(swept, { name: "timer", timer: "suspect" });
    expect(s.toAbove).toEqual([{ type: "Suspect", suspects: ISet.of(2) }]);
    expect(s.layer.watched.toArray()).toEqual([1]);
    expect(timers(s)).toEqual(["beat", "sweep"]);
    // A suspected member's heartbeats change nothing.
    expect(a.step(s, { name: "fromBelow", ev: heartbeat(2) }).layer).toBe(s.layer);
  });

  it("suspects, on `silent`, the members never heard since the view began", () => {
    const s = a.step(a.step(start, { name: "fromBelow", ev: heartbeat(1) }), { name: "timer", timer: "silent" });
    expect(s.toAbove).toEqual([{ type: "Suspect", suspects: ISet.of(2) }]);
    expect(s.layer.watched.toArray()).toEqual([1]);
  });
});
