// A door with a code lock, written in XState v5 as a team would write it, with no Troupe in sight.
//
// Closed, it is unlocked or locked; locking sets a code (1..3) and unlocking needs the same code.
// Three wrong codes in a row jam the lock for good (a final state). Entering `unlocked` clears the
// code and forgets the wrong attempts (entry actions that assign); the jam is an eventless
// `always` transition, taken as soon as its guard holds.

import { assign, setup } from "xstate";

/** Wrong codes tried in a row before the lock jams. */
export const MAX_ATTEMPTS = 3;

export type DoorEvent = { type: "OPEN" } | { type: "CLOSE" } | { type: "LOCK"; code: number } | { type: "UNLOCK"; code: number };

export const doorMachine = setup({
  types: { context: {} as { code: number; attempts: number }, events: {} as DoorEvent },
  guards: {
    rightCode: ({ context, event }) => event.type === "UNLOCK" && event.code === context.code,
    tooManyAttempts: ({ context }) => context.attempts >= MAX_ATTEMPTS,
  },
  actions: {
    setCode: assign({ code: ({ event }) => (event.type === "LOCK" ? event.code : 0) }),
    clearCode: assign({ code: 0 }),
    countAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    forgetAttempts: assign({ attempts: 0 }),
  },
}).createMachine({
  id: "door",
  context: { code: 0, attempts: 0 },
  initial: "closed",
  states: {
    closed: {
      initial: "unlocked",
      states: {
        unlocked: {
          entry: ["clearCode", "forgetAttempts"],
          on: { OPEN: "#door.open", LOCK: { target: "locked", actions: "setCode" } },
        },
        locked: {
          always: { guard: "tooManyAttempts", target: "#door.jammed" },
          on: { UNLOCK: [{ guard: "rightCode", target: "unlocked" }, { actions: "countAttempt" }] },
        },
      },
    },
    open: { on: { CLOSE: "closed" } },
    jammed: { type: "final" },
  },
});

/**
 * The planted bug, as a variant of the machine (XState's `provide` swaps one implementation): the
 * jam's guard is off by one, so a locked door lets a fourth wrong code be tried.
 */
export const lateJammingDoorMachine = doorMachine.provide({
  guards: { tooManyAttempts: ({ context }) => context.attempts > MAX_ATTEMPTS },
});
