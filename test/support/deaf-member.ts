// A broken variant of a group for liveness tests: every packet that arrives at one member is lost
// on arrival, with no fault budget spent. The other members keep retransmitting to it forever and
// it never delivers their casts: never quiescent, so "all delivered at quiescence" holds vacuously,
// while "eventually every cast is delivered" must be caught as a lasso. A wrapper here, not a bug in
// a production layer.

import type { Action, Automaton } from "../../ioa/index.ts";

interface GroupState {
  readonly network: { readonly budget: unknown };
}

export function deafMember<S extends GroupState, A extends Action>(system: Automaton<S, A>, deaf: number): Automaton<S, A> {
  const lost = (a: A) => a.name === "arrive" && a.p === deaf;
  return {
    name: `${system.name} (member ${deaf} deaf)`,
    stateType: system.stateType,
    actions: system.actions,
    startStates: () => system.startStates(),
    enabled: (s, out) => system.enabled(s, out),
    step: (s, a) => {
      if (!lost(a)) return system.step(s, a);
      const t = system.step(s, { ...a, name: "drop" });
      return { ...t, network: { ...t.network, budget: s.network.budget } };
    },
    why: (s, a) => system.why(s, a),
    roleOf: (a) => system.roleOf(a),
    task: (a) => system.task(a),
    details: (a) => system.details(a),
  };
}
