// Liveness under --symmetry: judged on the quotient's cycles, each lifted back to concrete states
// to judge fairness (checker/symmetric-liveness.ts). The verdicts must be those of the unreduced
// search, for every fairness, and every lasso a real execution of the model.

import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { automaton, eventuallyAlways, fingerprintString, instantiate, leadsTo, range, replayExecution, t, withProperties, type Action, type Built, type Fairness, type Value } from "../../ioa/index.ts";
import twoPhaseModel from "../../specs/examples/two-phase.ts";
import fifoModel from "../../layers/models/fifo.ts";

/**
 * A token passed among `n` processes; the holder may serve itself once. Going round the quotient
 * renames the holder, so the quotient alone would take a cycle of passes for a self-loop of process
 * 0's task, blind to the serve actions enabled only while each process holds the token.
 */
function tokenRing(n: number) {
  const P = t.ids("P", n);
  const State = t.record({ holder: P, served: t.table(P, t.bool()) });
  return automaton("token-ring", State)
    .start({ holder: 0, served: range(n).map(() => false) })
    .internal("pass", { p: P, to: P }, {
      task: ({ p }) => `pass@${p}`,
      pre: (s, { p, to }) => s.holder === p && to !== p,
      next: (s, { to }) => ({ ...s, holder: to }),
    })
    .internal("serve", { p: P }, {
      task: ({ p }) => `serve@${p}`,
      pre: (s, { p }) => s.holder === p && !s.served[p],
      next: (s, { p }) => ({ ...s, served: s.served.map((x, q) => x || q === p) }),
    });
}

const everyoneServed = (fairness: Fairness) => eventuallyAlways((s: { served: readonly boolean[] }) => s.served.every(Boolean), "everyone is served", { fairness });
const servedLeadsToAll = (fairness: Fairness) =>
  leadsTo((s: { served: readonly boolean[] }) => s.served.some(Boolean), (s) => s.served.every(Boolean), "once one is served, all are", { fairness });

/** Checks `built` with and without symmetry; every lasso found under symmetry is a real execution that closes its loop. */
async function bothWays<S, A extends Action>(built: Built<S, A>) {
  const plain = await check(built);
  const reduced = await check(built, { symmetry: true });
  for (const report of reduced.liveness) {
    if (!report.counterexample) continue;
    const lasso = report.counterexample;
    expect(replayExecution(built.automaton, lasso).ok).toBe(true);
    expect(fingerprintString(lasso.states[lasso.states.length - 1] as Value)).toBe(fingerprintString(lasso.states[lasso.loop] as Value));
  }
  return { plain, reduced };
}

describe("liveness under symmetry reduction gives the unreduced verdicts", () => {
  for (const n of [2, 3]) {
    for (const fairness of ["none", "weak", "strong"] as const) {
      it(`a token ring of ${n}, ${fairness} fairness`, async () => {
        const ring = tokenRing(n);
        const { plain, reduced } = await bothWays(withProperties(ring, { served: everyoneServed(fairness), spreads: servedLeadsToAll(fairness) }));
        expect(reduced.distinctStates).toBeLessThan(plain.distinctStates);
        expect(reduced.liveness.map((l) => l.verdict)).toEqual(plain.liveness.map((l) => l.verdict));
        // Strong fairness makes each holder pass the token, not pass it to everyone: with 3, it may never reach one process.
        const expected = fairness === "strong" && n === 2 ? "holds" : "violated";
        expect(plain.liveness.map((l) => l.verdict)).toEqual([expected, expected]);
      });
    }
  }

  it("the weakly fair lasso of the ring passes the token round while a serve waits: its cycle renames the processes", async () => {
    const ring = tokenRing(2);
    const r = await check(withProperties(ring, { served: everyoneServed("weak") }), { symmetry: true });
    const lasso = r.liveness[0]!.counterexample!;
    const cycle = lasso.actions.slice(lasso.loop);
    expect(new Set(cycle.filter((a) => a.name === "pass").map((a) => a.p))).toEqual(new Set([0, 1]));
  });

  it.each([
    ["weak", "holds"],
    ["none", "violated"],
  ] as const)("two-phase with 3 RMs, a prepared RM leads to every RM deciding, %s fairness", async (fairness, verdict) => {
    const { reduced } = await bothWays(instantiate(twoPhaseModel, { rms: 3, liveness: true }));
    const r = await check(instantiate(twoPhaseModel, { rms: 3, liveness: true }), { symmetry: true, fairness });
    expect(r.liveness[0]!.verdict).toBe(verdict);
    expect(reduced.liveness[0]!.verdict).toBe("holds");
  });

  it("the fifo stack: eventuallyDelivered under strong fairness, and under weak fairness (a lasso), as without symmetry", async () => {
    const instance = instantiate(fifoModel, { processes: 2, casts: 1, drops: 1, duplicates: 0 });
    const { plain, reduced } = await bothWays(instance);
    expect(reduced.liveness[0]!.verdict).toBe(plain.liveness[0]!.verdict);
    const weak = await check(instance, { symmetry: true, fairness: "weak" });
    const weakPlain = await check(instance, { fairness: "weak" });
    expect(weak.liveness[0]!.verdict).toBe(weakPlain.liveness[0]!.verdict);
  });
});
