// The reliable FIFO channel service: a static group joined pairwise by reliable FIFO channels.
//
// A cast by p puts the message on p's channel to every process, p itself included; `deliver` at q
// takes the head of the channel from the sender. So every process delivers, from each sender, a
// prefix of what that sender cast, in cast order, and nothing else (Ensemble's FIFO network, the
// guarantee of its MNAK layer). There are no views and no failures: this is the service a group
// stack's lower layers provide inside one view. Deliveries from different senders are unrelated.

import { appendTo, automaton, range, replaceAt, t, type Type, type Value } from "../ioa/index.ts";
import { groupTypes } from "./group.ts";

export interface FifoOptions<M> {
  readonly processes: number;
  readonly msg: Type<M>;
}

export function fifoService<M extends Value>(options: FifoOptions<M>) {
  const n = options.processes;
  const G = groupTypes(n, options.msg);
  /** channels[from][to]: what `from` cast and `to` has not delivered yet. */
  const State = t.record({ channels: t.table(G.P, t.table(G.P, t.array(G.Msg))) });
  return automaton("fifo", State)
    .start({ channels: range(n).map(() => range(n).map(() => [])) })
    .input("cast", G.cast, {
      details: ({ p, msg }) => ({ message: { from: p, msg } }),
      next: (s, { p, msg }) => State.with(s, { channels: replaceAt(s.channels, p, s.channels[p]!.map((queue) => appendTo(queue, msg))) }),
    })
    .output("deliver", G.deliver, {
      owner: "p",
      kind: "deliver",
      details: ({ from, msg }) => ({ peer: from, message: { from, msg } }),
      enabled: (s) => range(n).flatMap((from) => range(n).flatMap((p) => s.channels[from]![p]!.slice(0, 1).map((msg) => ({ p, from, msg })))),
      next: (s, { p, from }) => {
        const out = s.channels[from]!;
        return State.with(s, { channels: replaceAt(s.channels, from, replaceAt(out, p, out[p]!.slice(1))) });
      },
    });
}
