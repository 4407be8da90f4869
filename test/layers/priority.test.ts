import { describe, expect, it } from "vitest";
import { automaton, compose, enabledActions, formatAction, t } from "../../ioa/index.ts";
import { prioritize } from "../../layers/priority.ts";

// A sender with something to emit, a channel with something in flight, and a timer.
const sender = automaton("sender", { out: t.int(0, 2) })
  .start({ out: 1 })
  .output("emit", {}, { pre: (s) => s.out > 0, next: (s) => ({ out: s.out - 1 }) })
  .output("tick", {}, { kind: "timer" });
const channel = automaton("channel", { flying: t.int(0, 3) })
  .start({ flying: 1 })
  .input("emit", {}, { next: (s) => ({ flying: s.flying + 1 }) })
  .output("arrive", {}, { pre: (s) => s.flying > 0, next: (s) => ({ flying: s.flying - 1 }) });

describe("priorities", () => {
  const system = prioritize(compose("system", { sender, channel }), { urgent: ["emit"], patient: ["tick"], waitFor: ["arrive"] });
  const names = (s: ReturnType<typeof system.startStates>[number]) => enabledActions(system, s).map((a) => formatAction(a));

  it("offer only urgent actions while one is enabled, and patient ones only when nothing they wait for is", () => {
    let s = system.startStates()[0]!;
    expect(names(s)).toEqual(["emit"]);
    expect(system.why(s, { name: "arrive" })).toBe("emit must happen first");
    s = system.step(s, { name: "emit" });
    expect(names(s)).toEqual(["arrive"]);
    expect(system.why(s, { name: "tick" })).toBe("arrive must happen first");
    s = system.step(system.step(s, { name: "arrive" }), { name: "arrive" });
    expect(names(s)).toEqual(["tick"]);
    expect(system.why(s, { name: "tick" })).toBeUndefined();
  });
});
