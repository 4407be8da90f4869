// Crashes and recoveries of group members, within a budget so that exhaustive checks stay finite.
//
// The environment of a service that takes `crash` and `recover` as inputs: at most `crashes`
// crashes in a run; a crashed process may recover.

import { automaton, ISet, range, t } from "../ioa/index.ts";
import { groupTypes } from "./group.ts";

export function failures(processes: number, crashes: number) {
  const G = groupTypes(processes);
  const State = t.record({ left: t.int(0, crashes), down: t.set(G.P) });
  return automaton("failures", State)
    .start({ left: crashes, down: ISet.empty() })
    .output("crash", G.crash, {
      kind: "fault",
      details: () => ({ fault: "crash" }),
      enabled: (s) => (s.left > 0 ? range(processes).filter((p) => !s.down.has(p)).map((p) => ({ p })) : []),
      next: (s, { p }) => State.with(s, { left: s.left - 1, down: s.down.add(p) }),
    })
    .output("recover", G.recover, {
      kind: "fault",
      details: () => ({ fault: "recover" }),
      enabled: (s) => s.down.toArray().map((p) => ({ p })),
      next: (s, { p }) => State.with(s, { down: s.down.delete(p) }),
    });
}
