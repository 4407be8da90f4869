// A race of small depth hidden among many processes and steps: the kind of bug a PCT scheduler
// finds in a few runs and uniform random scheduling needs hundreds for.
//
// Process 0 initialises a shared resource with its first step, then works. Process 1 prepares
// with `steps` steps and then uses the resource; every other process works `steps` steps. The bug:
// process 1 uses the resource before it is initialised. That needs all of process 1's steps to come
// before process 0's first — one ordering constraint, a bug of depth 1 — which uniform choice makes
// with probability 2^-(steps+1) per run, and PCT whenever process 1's priority beats process 0's,
// about half the time.

import { always, automaton, model, range, replaceAt, t, withProperties } from "../../ioa/index.ts";

export function orderingRace(processes: number, steps: number) {
  const P = t.int(0, processes - 1);
  const State = t.record({ done: t.array(t.int(0, steps)), initialised: t.bool(), used: t.bool() });
  return automaton("ordering-race", State)
    .start({ done: range(processes).map(() => 0), initialised: false, used: false })
    .internal("init", { p: t.literal(0) }, {
      owner: "p",
      details: () => ({ label: "init" }),
      pre: (s) => !s.initialised,
      next: (s) => State.with(s, { initialised: true }),
    })
    .internal("work", { p: P }, {
      owner: "p",
      pre: (s, { p }) => s.done[p]! < steps && (p !== 0 || s.initialised),
      next: (s, { p }) => State.with(s, { done: replaceAt(s.done, p, s.done[p]! + 1) }),
    })
    .internal("use", { p: t.literal(1) }, {
      owner: "p",
      details: () => ({ label: "use" }),
      pre: (s) => s.done[1] === steps && !s.used,
      next: (s) => State.with(s, { used: true }),
    });
}

export default model({
  name: "ordering-race",
  description: "Process 1 may use a resource before process 0 initialises it, if it runs far enough ahead.",
  params: { processes: 8, steps: 8 },
  paramHelp: { processes: "how many processes (at least 2)", steps: "the steps each process takes; process 1 prepares with this many" },
  build: ({ processes, steps }) =>
    withProperties(orderingRace(Math.max(2, processes), steps), {
      initialisedFirst: always((s) => !s.used || s.initialised, "the resource is initialised before it is used", () => "process 1 used the resource before process 0 initialised it"),
    }),
});
