// The law: on any sequence of events, the adapter's states are the snapshots of a running XState
// actor that is sent the same events (value and context), whether or not the machine takes them.

import fc from "fast-check";
import { createActor, type AnyStateMachine } from "xstate";
import { describe, expect, it } from "vitest";
import { t, type Action, type Automaton } from "../../../ioa/index.ts";
import { fromMachine } from "../../../ioa/xstate/index.ts";
import { counterMachine, playerMachine } from "./machines.ts";

function agreesWithActor(machine: AnyStateMachine, automaton: Automaton<{ value: unknown; context: unknown }, Action>, events: fc.Arbitrary<Action>) {
  fc.assert(
    fc.property(fc.array(events, { maxLength: 25 }), (actions) => {
      const actor = createActor(machine).start();
      let s = automaton.startStates()[0]!;
      for (const a of actions) {
        const { name, ...params } = a;
        actor.send({ ...params, type: name });
        s = automaton.step(s, a);
        const snapshot = actor.getSnapshot();
        expect(s).toEqual({ value: snapshot.value, context: snapshot.context });
      }
      actor.stop();
    }),
    { numRuns: 200 },
  );
}

describe("the adapter's step agrees with XState's own actor on random event sequences", () => {
  it("for guards, assign, always and final states (counter)", () => {
    const counter = fromMachine("counter", counterMachine, { events: { ADD: { k: t.int(1, 3) }, RESET: {}, STOP: {} } });
    const event = fc.oneof(
      fc.integer({ min: 1, max: 3 }).map((k): Action => ({ name: "ADD", k })),
      fc.constant<Action>({ name: "RESET" }),
      fc.constant<Action>({ name: "STOP" }),
    );
    agreesWithActor(counterMachine, counter, event);
  });

  it("for nested and parallel states with entry and exit actions (player)", () => {
    const player = fromMachine("player", playerMachine, { events: { PLAY: {}, PAUSE: {}, STOP: {}, VOLUME: { up: t.bool() }, MUTE: {} } });
    const event = fc.oneof(
      fc.constantFrom<Action>({ name: "PLAY" }, { name: "PAUSE" }, { name: "STOP" }, { name: "MUTE" }),
      fc.boolean().map((up): Action => ({ name: "VOLUME", up })),
    );
    agreesWithActor(playerMachine, player, event);
  });
});
