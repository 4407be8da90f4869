// The symmetry audit (checker/symmetry-audit.ts): under --symmetry the checker refuses a model whose
// code tells its ids apart, and says where. Checked against something independent: whether the
// reachable set, found by the reference search, is closed under swapping two ids.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { idRenamer } from "../../checker/rename-ids.ts";
import { always, automaton, instantiate, range, t, typedFingerprinter, withProperties, type Action, type Automaton, type Model } from "../../ioa/index.ts";
import vsync from "../../layers/models/vsync.ts";
import fifoService from "../../specs/examples/fifo-service.ts";
import fifoXstate from "../../specs/examples/fifo-xstate.ts";
import membership from "../../specs/examples/membership.ts";
import to from "../../specs/examples/to.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import vs from "../../specs/examples/vs.ts";
import vstoto from "../../specs/examples/vstoto.ts";
import { naiveSearch } from "../support/naive-search.ts";

/** Whether the reachable set of `a` (the reference search) holds, with each state, its swaps of adjacent ids. */
function closedUnderSwaps<S, A extends Action>(a: Automaton<S, A>): boolean {
  const fingerprint = typedFingerprinter(a.stateType);
  const lanes = new Int32Array(2);
  const key = (s: S) => (fingerprint(s, lanes, 0), `${lanes[0]}:${lanes[1]}`);
  const { states } = naiveSearch(a);
  const reachable = new Set(states.map(key));
  const [set, n] = [...a.stateType.idSets][0]!;
  const rename = idRenamer(a.stateType, set);
  const swaps = range(n - 1).map((i) => range(n).map((k) => (k === i ? i + 1 : k === i + 1 ? i : k)));
  return swaps.every((swap) => states.every((s) => reachable.has(key(rename(s, swap) as S))));
}

/** The verdict of `check --symmetry` on the model's automaton alone: accepted, or the audit's refusal. */
async function audited<S, A extends Action>(a: Automaton<S, A>, properties = {}): Promise<string> {
  try {
    await check(withProperties(a, properties), { symmetry: true });
    return "accepted";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("the symmetry audit agrees with the closure of the reachable set", () => {
  const models: [string, Model, Record<string, number>][] = [
    ["two-phase", twoPhase, {}],
    ["fifo-service", fifoService, {}],
    ["membership", membership, {}],
    ["to", to, {}],
    ["vs", vs, {}],
    ["fifo-xstate", fifoXstate, {}],
    ["vstoto", vstoto, {}],
    ["vsync (2 processes, 1 cast each, 1 crash)", vsync, { processes: 2, casts: 1, crashes: 1 }],
  ];
  it.each(models)("%s", async (_, model, params) => {
    const a = instantiate(model, params).automaton;
    const closed = closedUnderSwaps(a);
    const verdict = await audited(a);
    expect(verdict === "accepted").toBe(closed);
    if (!closed) expect(verdict).toContain("--symmetry: the model tells its ids apart, so symmetry reduction would be unsound");
  });

  it("the stacks that rank their members are refused; the fifo stack is not", async () => {
    const fifo = (await import("../../layers/models/fifo.ts")).default;
    expect(await audited(instantiate(fifo, { processes: 3, casts: 1, drops: 0, duplicates: 0 }).automaton)).toBe("accepted");
    const refusal = await audited(instantiate(vsync, { processes: 2, casts: 1, crashes: 1 }).automaton);
    expect(refusal).toMatch(/in the start state: timer\(p: [01], layer: "suspect", timer: "silent"\) leads to a state whose renaming by swapping P 0 and 1 no action of the renamed state reaches/);
  });
});

/** `n` processes, each counting up to its bound; with `lowestLeads`, only the lowest process that has not finished may count. */
function counters(bounds: readonly number[], lowestLeads = false) {
  const n = bounds.length;
  const P = t.ids("P", n);
  const State = t.record({ count: t.table(P, t.int(0, Math.max(...bounds))) });
  return automaton("counters", State)
    .start({ count: range(n).map(() => 0) })
    .internal("count", { p: P }, {
      pre: (s, { p }) => s.count[p]! < bounds[p]! && (!lowestLeads || s.count.every((c, q) => q >= p || c === bounds[q])),
      next: (s, { p }) => ({ count: s.count.map((c, q) => (q === p ? c + 1 : c)) }),
    });
}

describe("the audit refuses a model that tells its ids apart, and says where", () => {
  it("the law: on counters with a bound per process, it accepts exactly when the reachable set is closed under swaps", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 3 }), async (bounds) => {
        const a = counters(bounds);
        const verdict = await audited(a);
        expect(verdict === "accepted").toBe(closedUnderSwaps(a));
        expect(verdict === "accepted").toBe(bounds.every((b) => b === bounds[0]));
      }),
      { numRuns: 60 },
    );
  });

  it("names the path to the state and the action the renaming does not match", async () => {
    const verdict = await audited(counters([2, 2], true));
    expect(verdict).toBe(
      "--symmetry: the model tells its ids apart, so symmetry reduction would be unsound: in the start state: count(p: 0) leads to a state whose renaming by swapping P 0 and 1 no action of the renamed state reaches. Check it without --symmetry, or make its code blind to which id is which",
    );
  });

  it("past the first steps: a model symmetric until a process finishes", async () => {
    // Process 0 may count past 2, process 1 may not: renamed, the state where 0 reached 2 cannot go on.
    const a = counters([3, 2]);
    expect(await audited(a)).toBe(
      "--symmetry: the model tells its ids apart, so symmetry reduction would be unsound: in the state reached by count(p: 0), count(p: 0): count(p: 0) leads to a state whose renaming by swapping P 0 and 1 no action of the renamed state reaches. Check it without --symmetry, or make its code blind to which id is which",
    );
  });

  it("a property that singles out an id is refused by name", async () => {
    const verdict = await audited(counters([1, 1]), { zeroFirst: always((s: { count: readonly number[] }) => s.count[0]! >= s.count[1]!) });
    expect(verdict).toContain("property zeroFirst judges the state and its renaming by swapping P 0 and 1 differently");
  });

  it("a model that throws on a renamed state is refused, with its error", async () => {
    const P = t.ids("P", 2);
    const a = automaton("picky", t.record({ turn: P }))
      .start({ turn: 0 })
      .internal("pass", {}, {
        pre: () => true,
        next: (s) => {
          if (s.turn !== 0) throw new Error("only process 0 may pass");
          return s;
        },
      });
    expect(await audited(a)).toContain("its renaming by swapping P 0 and 1 makes the model or a property throw: only process 0 may pass");
  });
});
