// Liveness under --symmetry: judged on the quotient's cycles, each lifted back to concrete states
// to judge fairness (checker/symmetric-liveness.ts). The verdicts must be those of the unreduced
// search, for every fairness, and every lasso a real execution of the model.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { automaton, eventuallyAlways, fingerprintString, instantiate, leadsTo, range, replayExecution, t, withProperties, type Action, type Automaton, type Built, type Fairness, type Value } from "../../ioa/index.ts";
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

/**
 * A random symmetric automaton: n processes, each with a local value, and one global value. Every
 * process follows the same rules — from local value `from` (and global `g`, if given; with some
 * other process at `need`, if given) to local `to` (and global `gTo`) — one task per rule and
 * process; some rules are faults, which fairness never forces.
 */
interface Rule {
  readonly from: number;
  readonly to: number;
  readonly g: number;
  readonly gTo: number;
  readonly need: number;
  readonly fault: boolean;
}

type Local = { readonly local: readonly number[]; readonly g: number };
const LOCALS = 3;
const GLOBALS = 2;

function randomSystem(n: number, rules: readonly Rule[]): Automaton<Local, Action> {
  const P = t.ids("P", n);
  const State = t.record({ local: t.table(P, t.int(0, LOCALS - 1)), g: t.int(0, GLOBALS - 1) });
  const start = automaton("random", State).start({ local: range(n).map(() => 0), g: 0 });
  let built = start;
  rules.forEach((rule, i) => {
    built = built.internal(`r${i}`, { p: P }, {
      task: ({ p }) => `r${i}@${p}`,
      ...(rule.fault && { kind: "fault" as const }),
      pre: (s, { p }) => s.local[p] === rule.from && (rule.g < 0 || s.g === rule.g) && (rule.need < 0 || s.local.some((x, q) => q !== p && x === rule.need)),
      next: (s, { p }) => ({ local: s.local.map((x, q) => (q === p ? rule.to : x)), g: rule.gTo < 0 ? s.g : rule.gTo }),
    }) as unknown as typeof start;
  });
  return built as unknown as Automaton<Local, Action>;
}

const ruleArb = fc.record({
  from: fc.nat(LOCALS - 1),
  to: fc.nat(LOCALS - 1),
  g: fc.integer({ min: -1, max: GLOBALS - 1 }),
  gTo: fc.integer({ min: -1, max: GLOBALS - 1 }),
  need: fc.integer({ min: -1, max: LOCALS - 1 }),
  fault: fc.boolean(),
});

const propertyArb = fc.oneof(
  fc.record({ kind: fc.constant("eventually-always" as const), value: fc.nat(LOCALS - 1), atLeast: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant("leads-to" as const), value: fc.nat(LOCALS - 1), g: fc.nat(GLOBALS - 1), all: fc.nat(LOCALS - 1) }),
);

describe("the law: under symmetry, liveness verdicts are those of the unreduced search", () => {
  it("on random symmetric automata of 2 or 3 processes, for every fairness; every lasso replays and closes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(ruleArb, { minLength: 1, maxLength: 5 }),
        propertyArb,
        fc.constantFrom<Fairness>("weak", "strong", "none"),
        async (n, rules, shape, fairness) => {
          const system = randomSystem(n, rules);
          const property =
            shape.kind === "eventually-always"
              ? eventuallyAlways((s: Local) => s.local.filter((x) => x === shape.value).length >= shape.atLeast, "", { fairness })
              : leadsTo((s: Local) => s.local.includes(shape.value), (s: Local) => s.g === shape.g || s.local.every((x) => x === shape.all), "", { fairness });
          const { plain, reduced } = await bothWays(withProperties(system, { live: property }));
          expect(reduced.liveness[0]!.verdict).toBe(plain.liveness[0]!.verdict);
        },
      ),
      { numRuns: 200 },
    );
  });
});
