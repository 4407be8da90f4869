// A batch spread over runners (simulator/parallel.ts) gives the result of the batch made one run at
// a time, whatever the number of runners and the order in which their ranges come back.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { automaton, instantiate, leadsTo, model, t, withProperties, type Model } from "../../ioa/index.ts";
import fifo from "../../layers/models/fifo.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { simulate, tallyRuns, type BatchOptions, type BatchResult } from "../../simulator/batch.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";
import { rangeSize, simulateAcross, type RunsRunner } from "../../simulator/parallel.ts";
import { Simulation } from "../../simulator/run.ts";
import type { Action } from "../../ioa/index.ts";

/** What a batch result says, without its timing and its objects. */
function gist<S, A extends Action>(r: BatchResult<S, A>) {
  return {
    verdict: r.verdict,
    runs: r.runs,
    steps: r.steps,
    coverage: r.coverage,
    suspects: r.suspects,
    first: r.first.execution.actions.length,
    failing: r.failing && { seed: r.failing.seed, length: r.failing.execution.actions.length, property: r.failing.failure?.property },
    shrunk: r.shrunk?.shrunkLength,
  };
}

/** `n` runners of the batch in this thread, each with a simulation of its own, as a worker has. */
function runners<S, A extends Action>(options: BatchOptions<S, A>, seed: number, n: number, answer: (tally: Promise<ReturnType<typeof tallyRuns>>) => Promise<ReturnType<typeof tallyRuns>>): RunsRunner[] {
  return Array.from({ length: n }, () => {
    const simulation = new Simulation(options);
    return { runs: (from: number, count: number) => answer(Promise.resolve(tallyRuns(simulation, seed, from, count))) };
  });
}

/** A request that a jam may leave unanswered for ever: about half the runs are liveness suspects. */
const jammed = model({
  name: "jammed",
  params: {},
  build: () => {
    const State = t.record({ phase: t.enum("idle", "asked", "answered", "jammed") });
    const system = automaton("jammed", State)
      .start({ phase: "idle" })
      .internal("ask", {}, { pre: (s) => s.phase === "idle", next: () => ({ phase: "asked" as const }) })
      .internal("answer", {}, { pre: (s) => s.phase === "asked", next: () => ({ phase: "answered" as const }) })
      .internal("jam", {}, { pre: (s) => s.phase === "asked", next: () => ({ phase: "jammed" as const }) });
    return withProperties(system, { answered: leadsTo((s) => s.phase !== "idle", (s) => s.phase === "answered", "every request is answered") });
  },
});

const batches: { label: string; model: Model; params: Record<string, number | boolean>; faults: string[] }[] = [
  { label: "two-phase that commits on one prepared RM (fails now and then)", model: twoPhase, params: { rms: 3, commitOnAnyPrepared: true }, faults: ["none"] },
  { label: "a request that may jam (holds; half the runs are liveness suspects)", model: jammed, params: {}, faults: ["none"] },
  { label: "the fifo stack under faults (holds)", model: fifo, params: { processes: 2, casts: 2, drops: 3, crashes: 1, recoveries: 1 }, faults: ["drop=0.2,crash=0.02,other=0.02"] },
];

describe("the law: a batch across runners is the batch made one run at a time", () => {
  for (const batch of batches) {
    it(batch.label, async () => {
      const { automaton, properties } = instantiate(batch.model, batch.params);
      const plan = parseFaultItems(batch.faults);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.scheduler(), async (seed, runs, n, s) => {
          const options = { automaton, properties, plan, steps: 300, runs, seed };
          const alone = simulate(options);
          const across = s.waitFor(simulateAcross(options, runners(options, seed, n, (tally) => s.schedule(tally))));
          expect(gist(await across)).toEqual(gist(alone));
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe("a batch across runners", () => {
  const { automaton, properties } = instantiate(twoPhase, { rms: 3 });
  const options = { automaton, properties, steps: 100, runs: 200, seed: 9 };

  it("stops handing out ranges when stopped, and counts only the runs merged", async () => {
    const aborter = new AbortController();
    let asked = 0;
    const result = await simulateAcross(options, runners(options, 9, 2, async (tally) => (++asked === 3 && aborter.abort(), tally)), aborter.signal);
    expect(result.stopped).toBe("interrupted");
    expect(result.runs).toBeLessThan(200);
    expect(result.coverage.runs).toBe(result.runs);
    expect(asked).toBeLessThanOrEqual(4);
  });

  it("fails with the runner's error", async () => {
    const broken: RunsRunner = { runs: async () => Promise.reject(new Error("simulation worker 1: stopped (exit code 1) before it answered")) };
    await expect(simulateAcross(options, [broken])).rejects.toThrow("simulation worker 1: stopped (exit code 1) before it answered");
  });

  it("refuses a range merged out of order", async () => {
    const simulation = new Simulation(options);
    const skipping: RunsRunner = { runs: async (from, count) => tallyRuns(simulation, 9, from + 1, count) };
    await expect(simulateAcross(options, [skipping])).rejects.toThrow("runs merged out of order: 1 after 0");
  });

  it("hands out ranges small enough to keep every runner busy", () => {
    expect(rangeSize(1000, 1)).toBe(62);
    expect(rangeSize(100_000, 8)).toBe(64);
    expect(rangeSize(10, 4)).toBe(1);
  });
});
