// A member of a group, written in XState v5 against the group interface of specs/group.ts: it casts
// its messages 1, 2, … one at a time, each after its previous one has come back to it, and it keeps,
// for every sender, the last message it delivered — confused for good if one ever arrives out of
// order. The machine is the client; the Troupe model it is composed with is the group service.
//
// Two parallel regions: `sending` ends in a final state once every message is cast and back;
// `receiving` listens throughout. Casting is the machine's own decision (an output of the Troupe
// automaton, enabled when the guard lets the machine take it).

import { assign, setup } from "xstate";

export type MemberEvent = { type: "cast"; p: number; msg: number } | { type: "deliver"; p: number; from: number; msg: number };

export interface MemberInput {
  readonly self: number;
  readonly processes: number;
  readonly messages: number;
}

export const memberMachine = setup({
  types: {
    context: {} as { self: number; messages: number; sent: number; heard: number[] },
    events: {} as MemberEvent,
    input: {} as MemberInput,
  },
  guards: {
    nextMessage: ({ context, event }) => event.type === "cast" && event.msg === context.sent + 1,
    ownMessageBack: ({ context, event }) => event.type === "deliver" && event.from === context.self && event.msg === context.sent,
    allSent: ({ context }) => context.sent === context.messages,
    inOrder: ({ context, event }) => event.type === "deliver" && event.msg === context.heard[event.from]! + 1,
  },
  actions: {
    countCast: assign({ sent: ({ context }) => context.sent + 1 }),
    hear: assign({
      heard: ({ context, event }) => (event.type === "deliver" ? context.heard.map((msg, from) => (from === event.from ? event.msg : msg)) : context.heard),
    }),
  },
}).createMachine({
  id: "member",
  type: "parallel",
  context: ({ input }) => ({ self: input.self, messages: input.messages, sent: 0, heard: Array.from({ length: input.processes }, () => 0) }),
  states: {
    sending: {
      initial: "ready",
      states: {
        ready: {
          always: { guard: "allSent", target: "done" },
          on: { cast: { guard: "nextMessage", target: "awaiting", actions: "countCast" } },
        },
        awaiting: { on: { deliver: { guard: "ownMessageBack", target: "ready" } } },
        done: { type: "final" },
      },
    },
    receiving: {
      initial: "listening",
      states: {
        listening: { on: { deliver: [{ guard: "inOrder", actions: "hear" }, { target: "confused" }] } },
        confused: {},
      },
    },
  },
});
