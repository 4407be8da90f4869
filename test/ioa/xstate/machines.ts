// Small XState machines for the adapter's tests, each exercising one part of statechart semantics.

import { assign, setup } from "xstate";

/** A counter: guards over context and event parameters, assign, and a final state reached by `always`. */
export const counterMachine = setup({
  types: { context: {} as { n: number; log: string[] }, events: {} as { type: "ADD"; k: number } | { type: "RESET" } | { type: "STOP" } },
  guards: { fits: ({ context, event }) => event.type === "ADD" && context.n + event.k <= 5 },
}).createMachine({
  id: "counter",
  context: { n: 0, log: [] },
  initial: "counting",
  states: {
    counting: {
      always: { guard: ({ context }) => context.n === 5, target: "full" },
      on: {
        ADD: { guard: "fits", actions: assign({ n: ({ context, event }) => context.n + event.k }) },
        RESET: { actions: assign({ n: 0 }) },
        STOP: "stopped",
      },
    },
    full: { entry: assign({ log: ({ context }) => [...context.log, "full"] }), on: { RESET: { target: "counting", actions: assign({ n: 0 }) } } },
    stopped: { type: "final" },
  },
});

/**
 * A media player: nested states, a parallel region, entry and exit actions that assign, and an
 * event handled by a parent state.
 */
export const playerMachine = setup({
  types: {
    context: {} as { entered: number; exited: number; volume: number },
    events: {} as { type: "PLAY" } | { type: "PAUSE" } | { type: "STOP" } | { type: "VOLUME"; up: boolean } | { type: "MUTE" },
  },
}).createMachine({
  id: "player",
  type: "parallel",
  context: { entered: 0, exited: 0, volume: 1 },
  states: {
    transport: {
      initial: "stopped",
      states: {
        stopped: { on: { PLAY: "active" } },
        active: {
          initial: "playing",
          entry: assign({ entered: ({ context }) => Math.min(context.entered + 1, 3) }),
          exit: assign({ exited: ({ context }) => Math.min(context.exited + 1, 3) }),
          on: { STOP: "stopped" },
          states: {
            playing: { on: { PAUSE: "paused" } },
            paused: { on: { PLAY: "playing" } },
          },
        },
      },
    },
    sound: {
      initial: "on",
      states: {
        on: {
          on: {
            MUTE: "muted",
            VOLUME: [
              { guard: ({ context, event }) => event.up && context.volume < 3, actions: assign({ volume: ({ context }) => context.volume + 1 }) },
              { guard: ({ context, event }) => !event.up && context.volume > 0, actions: assign({ volume: ({ context }) => context.volume - 1 }) },
            ],
          },
        },
        muted: { on: { MUTE: "on" } },
      },
    },
  },
});
