import { assign, createMachine, fromPromise, raise, setup, spawnChild, type AnyStateMachine } from "xstate";
import { describe, expect, it } from "vitest";
import { DefinitionError, t } from "../../../ioa/index.ts";
import { fromMachine } from "../../../ioa/xstate/index.ts";
import { counterMachine } from "./machines.ts";

const GO = { GO: {} };

/** A machine that moves from `idle` to `busy` on GO, with `busy` as given. */
function goingTo(busy: object) {
  return createMachine({ id: "m", initial: "idle", states: { idle: { on: { GO: "busy" } }, busy } });
}

function stepGo(machine: AnyStateMachine) {
  const m = fromMachine("m", machine, { events: GO });
  return () => m.step(m.startStates()[0]!, { name: "GO" });
}

describe("fromMachine refuses what it cannot model, naming the state and the feature", () => {
  it("delayed transitions", () => {
    expect(() => fromMachine("m", goingTo({ after: { 1000: "idle" } }), { events: GO })).toThrowError(
      'm: state "busy" has a delayed transition (after 1000): delayed transitions need real time',
    );
  });

  it("invoked actors", () => {
    const machine = setup({ actors: { fetcher: fromPromise(async () => 1) } }).createMachine({
      initial: "idle",
      states: { idle: { on: { GO: "busy" } }, busy: { initial: "loading", states: { loading: { invoke: { src: "fetcher" } } } } },
    });
    expect(() => fromMachine("m", machine, { events: GO })).toThrowError('m: state "busy.loading" invokes an actor ("fetcher"): invoked actors are not supported');
  });

  it("history states", () => {
    const machine = goingTo({ initial: "a", states: { a: {}, back: { type: "history" } } });
    expect(() => fromMachine("m", machine, { events: GO })).toThrowError('m: state "busy.back" is a history state');
  });

  it("spawned actors, on the transition that spawns them", () => {
    const machine = setup({ actors: { child: createMachine({}) } }).createMachine({
      initial: "idle",
      states: { idle: { on: { GO: "busy" } }, busy: { entry: spawnChild("child") } },
    });
    expect(stepGo(machine)).toThrowError('m: event GO in state "idle" spawns an actor: spawned actors are not supported');
  });

  it("delayed events", () => {
    expect(stepGo(goingTo({ entry: raise({ type: "GO" }, { delay: 50 }) }))).toThrowError(
      'm: event GO in state "idle" schedules a delayed event (xstate.raise, delay 50): delayed events need real time',
    );
  });

  it("contexts that are not Troupe values", () => {
    const withContext = (ctx: (n: number) => unknown) =>
      createMachine({
        context: { x: 0 },
        initial: "idle",
        states: { idle: { on: { GO: { target: "busy", actions: assign({ x: ({ context }) => ctx(context.x) as number }) } } }, busy: {} },
      });
    expect(stepGo(withContext(() => 1.5))).toThrowError('m: event GO in state "idle" leads to state "busy", where context.x is 1.5, not an integer; values hold integers only');
    expect(stepGo(withContext(() => undefined))).toThrowError("context.x is undefined");
    expect(stepGo(withContext(() => new Date(0)))).toThrowError("context.x is an instance of Date");
    expect(stepGo(withContext(() => 1.5))).toThrowError(DefinitionError);
  });

  it("a context that does not fit the declared context type", () => {
    const counter = fromMachine("counter", counterMachine, {
      events: { ADD: { k: t.int(1, 3) }, RESET: {}, STOP: {} },
      context: t.record({ n: t.int(0, 2), log: t.array(t.string()) }),
    });
    expect(() => counter.step(counter.startStates()[0]!, { name: "ADD", k: 3 })).toThrowError(
      'counter: event ADD(k: 3) in state "counting" leads to state "counting", where context.n should be an integer in 0..2, but is 3',
    );
  });
});

describe("fromMachine refuses inconsistent declarations", () => {
  it("an event some state handles but `events` leaves out", () => {
    const events = { ADD: { k: t.int(1, 3) }, RESET: {} } as unknown as { ADD: { k: ReturnType<typeof t.int> }; RESET: {}; STOP: {} };
    expect(() => fromMachine("counter", counterMachine, { events })).toThrowError('counter: state "counting" handles event STOP, which `events` does not declare');
  });

  it("a parameter named type, and outputs that are not events or marked twice", () => {
    const events = { ADD: { k: t.int(1, 3) }, RESET: {}, STOP: {} };
    expect(() => fromMachine("counter", counterMachine, { events: { ...events, RESET: { type: t.int(0, 1) } } })).toThrowError(
      'counter: event RESET cannot have a parameter "type"',
    );
    expect(() => fromMachine("counter", counterMachine, { events, outputs: ["ADD"], internals: ["ADD"] })).toThrowError("event ADD is marked both output and internal");
    const outputs = ["JUMP"] as unknown as ["ADD"];
    expect(() => fromMachine("counter", counterMachine, { events, outputs })).toThrowError("output event JUMP is not one of the declared events (ADD, RESET, STOP)");
  });

  it("output events whose parameters cannot be enumerated", () => {
    expect(() => fromMachine("counter", counterMachine, { events: { ADD: { k: t.int() }, RESET: {}, STOP: {} }, outputs: ["ADD"] })).toThrowError(
      "are not finite, so the enabled ones cannot be searched",
    );
  });
});
