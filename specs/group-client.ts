// The clients of a group service: each process casts its messages 1, 2, …, k in order.
//
// A service automaton takes `cast` as an input, so a model closes it with a client that decides
// what is cast; bounding the casts keeps exhaustive checks finite. A message is identified by its
// sender and its value, so the values 1..k are unique per sender, as the group interface requires.

import { automaton, range, replaceAt, t } from "../ioa/index.ts";
import { groupTypes } from "./group.ts";

/** The type of the messages the clients cast: 1..messages. */
export function clientMessages(messages: number) {
  return t.int(1, Math.max(1, messages));
}

/** Clients of `processes` processes; the first `senders` of them cast `messages` messages each (values 1..messages). */
export function groupClient(processes: number, messages: number, senders = processes) {
  const G = groupTypes(processes, clientMessages(messages));
  const State = t.record({ cast: t.table(G.P, t.int(0, messages)) });
  return automaton("clients", State)
    .start({ cast: range(processes).map(() => 0) })
    .output("cast", G.cast, {
      owner: "p",
      details: ({ p, msg }) => ({ message: { from: p, msg } }),
      enabled: (s) => range(senders).flatMap((p) => (s.cast[p]! < messages ? [{ p, msg: s.cast[p]! + 1 }] : [])),
      next: (s, { p }) => State.with(s, { cast: replaceAt(s.cast, p, s.cast[p]! + 1) }),
    });
}
