import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { always, enabledActions, instantiate, range, withProperties } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { flow } from "../../layers/flow.ts";
import { fromApplication } from "../../layers/message.ts";
import fifoModel from "../../layers/models/fifo.ts";
import { windowSize, type Window } from "../../layers/window.ts";

const cast = (payload: string): Event => ({ type: "Cast", above: fromApplication(), payload });
const stable = (own: number): Event => ({ type: "Stable", stability: [own, 0], numCasts: [own, 0] });

describe("flow", () => {
  it("lets `window` casts be unstable, holds the rest in order, and sends them as stability grows", () => {
    const a = flow({ window: 2 }).automaton(2, 0);
    let s = a.startStates()[0]!;
    for (const m of ["a", "b", "c", "d"]) s = a.step(s, { name: "fromAbove", ev: cast(m) });
    expect(s.toBelow.map((e) => (e as { payload?: string }).payload)).toEqual(["a", "b"]);
    s = a.step(s, { name: "fromBelow", ev: stable(1) });
    expect(s.toBelow.map((e) => (e as { payload?: string }).payload)).toEqual(["a", "b", "c"]);
    s = a.step(s, { name: "fromBelow", ev: stable(4) });
    expect(s.toBelow.map((e) => (e as { payload?: string }).payload)).toEqual(["a", "b", "c", "d"]);
    expect(s.layer).toEqual({ sent: 4, stable: 4, waiting: [] });
    expect(s.toAbove).toEqual([stable(1), stable(4)]);
  });

  it("never holds the layers' own unreliable casts, nor sends", () => {
    const a = flow({ window: 1 }).automaton(2, 0);
    let s = a.step(a.startStates()[0]!, { name: "fromAbove", ev: cast("a") });
    s = a.step(s, { name: "fromAbove", ev: { type: "Cast", unreliable: true } });
    s = a.step(s, { name: "fromAbove", ev: { type: "Send", peer: 1, above: fromApplication(), payload: "s" } });
    expect(s.toBelow.map((e) => e.type)).toEqual(["Cast", "Cast", "Send"]);
    expect(enabledActions(a, s).map((x) => x.name)).toEqual(["toBelow"]);
  });

  it("refuses a window that is not a positive integer", () => {
    expect(() => flow({ window: 0 })).toThrow("flow: window should be a positive integer, but is 0");
  });

  it("bounds what the layers below hold in every reachable state of the fifo stack, and still delivers everything", async () => {
    const { automaton, properties } = instantiate(fifoModel, { casts: 3, drops: 1, duplicates: 0, window: 1 });
    type S = Parameters<typeof automaton.step>[0];
    const held = (s: S, p: number) => {
      const layers = s.stacks[p]!.layers as { mnak: { sent: Window<unknown> }; flow: { waiting: Window<unknown> } };
      return windowSize(layers.mnak.sent);
    };
    const bounded = always<S>((s) => range(2).every((p) => held(s, p) <= 1), "mnak holds at most one unstable cast of its own");
    const result = await check(withProperties(automaton, { ...properties, bounded }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(21_439);
  });
});
