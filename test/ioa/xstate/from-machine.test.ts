import { describe, expect, it } from "vitest";
import { automaton, compose, enabledActions, t, walk } from "../../../ioa/index.ts";
import { fromMachine } from "../../../ioa/xstate/index.ts";
import { counterMachine, playerMachine } from "./machines.ts";

const counterEvents = { ADD: { k: t.int(1, 3) }, RESET: {}, STOP: {} };
const playerEvents = { PLAY: {}, PAUSE: {}, STOP: {}, VOLUME: { up: t.bool() }, MUTE: {} };

describe("fromMachine", () => {
  it("starts in the machine's initial state value and context", () => {
    const counter = fromMachine("counter", counterMachine, { events: counterEvents });
    expect(counter.startStates()).toEqual([{ value: "counting", context: { n: 0, log: [] } }]);
    const player = fromMachine("player", playerMachine, { events: playerEvents });
    expect(player.startStates()).toEqual([{ value: { transport: "stopped", sound: "on" }, context: { entered: 0, exited: 0, volume: 1 } }]);
  });

  it("takes events as inputs, with their parameters, guards and assign", () => {
    const counter = fromMachine("counter", counterMachine, { events: counterEvents });
    expect(counter.actions.get("ADD")?.role).toBe("input");
    const s1 = counter.step(counter.startStates()[0]!, { name: "ADD", k: 3 });
    expect(s1).toEqual({ value: "counting", context: { n: 3, log: [] } });
    const refused = counter.step(s1, { name: "ADD", k: 3 });
    expect(refused).toBe(s1); // the guard fails: XState ignores the event, and the state is the very same
  });

  it("runs eventless transitions and entry actions to completion within one step", () => {
    const counter = fromMachine("counter", counterMachine, { events: counterEvents });
    const s1 = counter.step(counter.startStates()[0]!, { name: "ADD", k: 3 });
    const full = counter.step(s1, { name: "ADD", k: 2 });
    expect(full).toEqual({ value: "full", context: { n: 5, log: ["full"] } });
  });

  it("stays in a final state whatever happens next", () => {
    const counter = fromMachine("counter", counterMachine, { events: counterEvents });
    const stopped = counter.step(counter.startStates()[0]!, { name: "STOP" });
    expect(stopped.value).toBe("stopped");
    expect(counter.step(stopped, { name: "ADD", k: 1 })).toBe(stopped);
    expect(counter.step(stopped, { name: "RESET" })).toBe(stopped);
    expect(counter.step(stopped, { name: "STOP" })).toBe(stopped);
  });

  it("follows nested and parallel states, events handled by a parent, and exit actions", () => {
    const player = fromMachine("player", playerMachine, { events: playerEvents });
    const actions = [{ name: "PLAY" }, { name: "PAUSE" }, { name: "VOLUME", up: true }, { name: "MUTE" }, { name: "STOP" }] as const;
    const states = actions.reduce((xs, a) => [...xs, player.step(xs[xs.length - 1]!, a)], player.startStates().slice(0, 1));
    expect(states.map((s) => s.value)).toEqual([
      { transport: "stopped", sound: "on" },
      { transport: { active: "playing" }, sound: "on" },
      { transport: { active: "paused" }, sound: "on" },
      { transport: { active: "paused" }, sound: "on" },
      { transport: { active: "paused" }, sound: "muted" },
      { transport: "stopped", sound: "muted" }, // STOP is handled by `active`, the parent of `paused`
    ]);
    expect(states[5]!.context).toEqual({ entered: 1, exited: 1, volume: 2 });
  });

  it("enables output and internal events exactly when the machine can take them", () => {
    const counter = fromMachine("counter", counterMachine, { events: counterEvents, outputs: ["ADD"], internals: ["RESET"] });
    expect(counter.actions.get("ADD")?.role).toBe("output");
    expect(counter.actions.get("RESET")?.role).toBe("internal");
    expect(counter.actions.get("STOP")?.role).toBe("input");
    const s0 = counter.startStates()[0]!;
    expect(enabledActions(counter, s0)).toEqual([{ name: "ADD", k: 1 }, { name: "ADD", k: 2 }, { name: "ADD", k: 3 }, { name: "RESET" }]);
    const s4 = counter.step(s0, { name: "ADD", k: 3 });
    expect(enabledActions(counter, counter.step(s4, { name: "ADD", k: 1 }))).toEqual([{ name: "ADD", k: 1 }, { name: "RESET" }]);
    expect(counter.why(counter.step(s4, { name: "ADD", k: 1 }), { name: "ADD", k: 3 })).toBe("its precondition is false");
    const full = counter.step(counter.step(s4, { name: "ADD", k: 1 }), { name: "ADD", k: 1 });
    expect(enabledActions(counter, full)).toEqual([{ name: "RESET" }]); // RESET from `full`, no ADD there
  });

  it("composes with Troupe automata: a client drives the machine, and the machine drives a channel", () => {
    const client = automaton("client", { budget: t.int(0, 2) })
      .start({ budget: 2 })
      .output("PLAY", {}, { pre: (s) => s.budget > 0, effect: (s) => void (s.budget -= 1) })
      .output("STOP", {}, { pre: (s) => s.budget > 0, effect: (s) => void (s.budget -= 1) });
    const player = fromMachine("player", playerMachine, { events: playerEvents, outputs: ["MUTE"] });
    const speaker = automaton("speaker", { mutes: t.int(0) }).start({ mutes: 0 }).input("MUTE", {}, (s) => void (s.mutes += 1));
    const system = compose("system", { client, player, speaker });
    expect(system.actions.get("PLAY")?.role).toBe("output");
    const run = walk(system, { seed: 5, steps: 30 });
    const states = run.states;
    const last = states[states.length - 1]!;
    expect(last.client.budget).toBe(0);
    const mutes = run.actions.filter((a) => a.name === "MUTE").length;
    expect(last.speaker.mutes).toBe(mutes);
    expect(last.player.value).toMatchObject({ sound: mutes % 2 === 0 ? "on" : "muted" });
  });

  it("binds owned events to one process with .instance", () => {
    const P = t.ids("P", 2);
    const counter = fromMachine("counter", counterMachine, { events: { ADD: { k: t.int(1, 3), p: P }, RESET: { p: P }, STOP: {} }, outputs: ["ADD"], owner: "p" }).instance(1);
    expect(enabledActions(counter, counter.startStates()[0]!)).toEqual([{ name: "ADD", k: 1, p: 1 }, { name: "ADD", k: 2, p: 1 }, { name: "ADD", k: 3, p: 1 }]);
    expect(counter.roleOf({ name: "RESET", p: 0 })).toBeUndefined();
    expect(counter.roleOf({ name: "RESET", p: 1 })).toBe("input");
    expect(counter.roleOf({ name: "STOP" })).toBe("input");
  });
});
