// A channel that may lose, duplicate and reorder messages, each within a fault budget.
//
// The budgets are part of the state, so the number of faults in any execution is bounded and an
// exhaustive check stays finite. A channel at capacity loses what is sent to it (as a full socket
// buffer would); that loss is not counted against the drop budget.

import { always, automaton, compose, model, sometimes, t, valuesEqual, withProperties, type Type, type Value } from "../../ioa/index.ts";
import { client } from "./fifo-channel.ts";

export interface FaultBudget {
  /** Injected losses. */
  readonly drops: number;
  readonly duplicates: number;
  /** Receptions of a message that is not the oldest in flight. */
  readonly reorders: number;
}

export interface LossyChannelOptions extends FaultBudget {
  /** Messages in flight at most; more are lost. */
  readonly capacity: number;
  /** Losses are unbounded (the drop budget is ignored): the channel may lose any message, any number of times. */
  readonly fairLoss?: boolean;
}

function indexOf<T extends Value>(queue: readonly T[], m: T): number {
  return queue.findIndex((x) => valuesEqual(x, m));
}

/** Distinct messages in flight, each with the index of its first occurrence. */
function firstOccurrences<T extends Value>(queue: readonly T[]): { m: T; at: number }[] {
  return queue.map((m, at) => ({ m, at })).filter(({ m, at }) => indexOf(queue, m) === at);
}

export function lossyChannel<T extends Value>(name: string, item: Type<T>, options: LossyChannelOptions) {
  return automaton(name, { queue: t.array(item), drops: t.int(0), duplicates: t.int(0), reorders: t.int(0) })
    .start({ queue: [], drops: options.drops, duplicates: options.duplicates, reorders: options.reorders })
    .input("send", { m: item }, {
      next: (s, { m }) => (s.queue.length < options.capacity ? { ...s, queue: [...s.queue, m] } : s),
    })
    .output("receive", { m: item }, {
      kind: "deliver",
      details: ({ m }) => ({ message: m }),
      enabled: (s) => firstOccurrences(s.queue).filter(({ at }) => at === 0 || s.reorders > 0).map(({ m }) => ({ m })),
      next: (s, { m }) => {
        const at = indexOf(s.queue, m);
        return { ...s, queue: s.queue.filter((_, i) => i !== at), reorders: s.reorders - (at > 0 ? 1 : 0) };
      },
    })
    .internal("drop", { m: item }, {
      kind: "fault",
      details: ({ m }) => ({ fault: "drop", message: m }),
      enabled: (s) => (s.drops > 0 || options.fairLoss ? firstOccurrences(s.queue).map(({ m }) => ({ m })) : []),
      next: (s, { m }) => {
        const at = indexOf(s.queue, m);
        return { ...s, queue: s.queue.filter((_, i) => i !== at), drops: options.fairLoss ? s.drops : s.drops - 1 };
      },
    })
    .internal("duplicate", { m: item }, {
      kind: "fault",
      details: ({ m }) => ({ fault: "duplicate", message: m }),
      enabled: (s) => (s.duplicates > 0 && s.queue.length < options.capacity ? firstOccurrences(s.queue).map(({ m }) => ({ m })) : []),
      next: (s, { m }) => {
        const at = indexOf(s.queue, m);
        return { ...s, queue: [...s.queue.slice(0, at + 1), m, ...s.queue.slice(at + 1)], duplicates: s.duplicates - 1 };
      },
    });
}

export default model({
  name: "lossy-channel",
  description: "A client sends messages through a channel that may lose, duplicate and reorder them.",
  params: { messages: 2, capacity: 3, drops: 1, duplicates: 1, reorders: 1 },
  paramHelp: {
    messages: "how many messages the client sends",
    capacity: "messages in flight at most",
    drops: "how many messages the channel may lose",
    duplicates: "how many messages the channel may duplicate",
    reorders: "how many times a message may overtake an older one",
  },
  build: ({ messages, capacity, drops, duplicates, reorders }) =>
    withProperties(compose("lossy-channel", { client: client(messages), channel: lossyChannel("channel", t.string(), { capacity, drops, duplicates, reorders }) }), {
      integrity: always((s) => s.client.received.every((m) => s.client.sent.includes(m)), "the client receives only messages it sent"),
      duplicated: sometimes((s) => new Set(s.client.received).size < s.client.received.length, "some message is received twice"),
      reordered: sometimes(
        (s) => s.client.received.some((m, i) => i > 0 && s.client.sent.indexOf(m) < s.client.sent.indexOf(s.client.received[i - 1]!)),
        "some message overtakes an older one",
      ),
    }),
});
