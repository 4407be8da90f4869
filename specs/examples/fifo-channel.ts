// A reliable FIFO channel and a client that sends a bounded set of messages through it.
//
// The tutorial model of the README: one automaton per concern, composed on the actions they share
// (`send` is the client's output and the channel's input; `receive` the other way round).

import { always, atQuiescence, automaton, compose, isPrefixOf, model, t, withProperties } from "../../ioa/index.ts";

const Msg = t.string();

/** Messages come out in the order they went in, each exactly once. */
export const channel = automaton("channel", { queue: t.array(Msg) })
  .start({ queue: [] })
  .input("send", { m: Msg }, (s, { m }) => {
    s.queue.push(m);
  })
  .output("receive", { m: Msg }, {
    enabled: (s) => s.queue.slice(0, 1).map((m) => ({ m })),
    effect: (s) => {
      s.queue.shift();
    },
  });

/** Sends m1, m2, …, m<count> in order, and records what comes back. */
export function client(count: number) {
  const messages = Array.from({ length: count }, (_, i) => `m${i + 1}`);
  return automaton("client", { sent: t.array(Msg), received: t.array(Msg) })
    .start({ sent: [], received: [] })
    .output("send", { m: Msg }, {
      enabled: (s) => messages.slice(s.sent.length, s.sent.length + 1).map((m) => ({ m })),
      effect: (s, { m }) => {
        s.sent.push(m);
      },
    })
    .input("receive", { m: Msg }, (s, { m }) => {
      s.received.push(m);
    });
}

export default model({
  name: "fifo-channel",
  description: "A client sends messages through a reliable FIFO channel.",
  params: { messages: 3 },
  paramHelp: { messages: "how many messages the client sends" },
  build: ({ messages }) =>
    withProperties(compose("fifo-channel", { client: client(messages), channel }), {
      fifo: always((s) => isPrefixOf(s.client.received, s.client.sent), "the client receives a prefix of what it sent"),
      allReceived: atQuiescence((s) => s.client.received.length === messages, "once nothing is enabled, every message has been received"),
    }),
});
