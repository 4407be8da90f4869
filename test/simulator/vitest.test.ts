import { afterEach, describe, expect, it } from "vitest";
import { instantiate } from "../../ioa/index.ts";
import fifoChannel from "../../specs/examples/fifo-channel.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { assertSimulation, simulates, SimulationFailure } from "../../simulator/vitest.ts";

// The helper registers tests of its own: these two run as part of this file.
simulates("fifo-channel delivers in order, at random (a test the helper registers)", fifoChannel, { params: { messages: 4 }, runs: 100 });
simulates("two-phase with 4 RMs keeps its RMs consistent (another)", instantiate(twoPhase, { rms: 4 }), { runs: 50, steps: 200 });

afterEach(() => {
  delete process.env.TROUPE_SEED;
});

describe("assertSimulation", () => {
  it("returns the batch when no property breaks", () => {
    const result = assertSimulation(fifoChannel, { runs: 20, seed: 5 });
    expect(result).toMatchObject({ verdict: "holds", runs: 20, seed: 5 });
  });

  it("fails with the shrunk run and the seed that repeats it alone", () => {
    const failure = catchFailure(() => assertSimulation(twoPhase, { params: { commitOnAnyPrepared: true }, seed: 40, runs: 100 }));
    expect(failure.message).toMatch(/^simulation of two-phase: consistent broke in run \d+ \(seed \d+\) after \d+ steps: RMs \d committed but \d aborted\nshrunk to 5 steps:\n {2}1\. /);
    expect(failure.message).toContain(`repeat this run alone with { seed: ${failure.seed}, runs: 1 } (or TROUPE_SEED=${failure.seed}), the whole batch with { seed: 40 }`);
    expect(failure.batchSeed).toBe(40);
    const again = catchFailure(() => assertSimulation(twoPhase, { params: { commitOnAnyPrepared: true }, seed: failure.seed, runs: 1 }));
    expect(again.message.split("\n").slice(1)).toEqual(failure.message.split("\n").slice(1, -1).concat(again.message.split("\n").at(-1)!));
  });

  it("takes its seed from TROUPE_SEED when none is given", () => {
    process.env.TROUPE_SEED = "1234";
    expect(assertSimulation(fifoChannel, { runs: 3 }).seed).toBe(1234);
    process.env.TROUPE_SEED = "soon";
    expect(() => assertSimulation(fifoChannel, { runs: 3 })).toThrowError('TROUPE_SEED should be an integer, got "soon"');
  });

  it("rejects params for a target that is already built", () => {
    expect(() => assertSimulation(instantiate(twoPhase), { params: { rms: 2 } })).toThrowError("params apply to a model; this target is already built");
  });
});

function catchFailure(body: () => unknown): SimulationFailure {
  try {
    body();
  } catch (e) {
    if (e instanceof SimulationFailure) return e;
    throw e;
  }
  throw new Error("the simulation did not fail");
}
