// The door machine checked as a Troupe automaton: a visitor (a Troupe automaton) presses any
// button at any time, with any code, and the door (the XState machine) reacts.

import { always, automaton, compose, model, sometimes, t, withProperties } from "../../../ioa/index.ts";
import { fromMachine, matchesState } from "../../../ioa/xstate/index.ts";
import { MAX_ATTEMPTS, type doorMachine } from "./door-machine.ts";

const Code = t.int(1, 3);
const doorEvents = { OPEN: {}, CLOSE: {}, LOCK: { code: Code }, UNLOCK: { code: Code } } as const;

/** Someone at the door, who may press anything: the environment that closes the model. */
const visitor = automaton("visitor", {})
  .start({})
  .output("OPEN", {})
  .output("CLOSE", {})
  .output("LOCK", { code: Code })
  .output("UNLOCK", { code: Code });

/** A model of `machine` (the door, or a variant of it) with the door's properties. */
export function doorModel(name: string, description: string, machine: typeof doorMachine) {
  return model({
    name,
    description,
    params: {},
    build: () => {
      const door = fromMachine("door", machine, { events: doorEvents });
      return withProperties(compose(name, { visitor, door }), {
        openOnlyUnlocked: always((s) => !matchesState("open", s.door.value) || s.door.context.code === 0, "an open door holds no code: only an unlocked door opens"),
        jamsInTime: always(
          (s) => s.door.context.attempts <= MAX_ATTEMPTS,
          `the lock jams after ${MAX_ATTEMPTS} wrong codes, so no more are ever tried`,
          (s) => `${s.door.context.attempts} wrong codes were tried`,
        ),
        canJam: sometimes((s) => matchesState("jammed", s.door.value), "wrong codes can jam the lock"),
      });
    },
  });
}
