// Seeded simulations of the layered models, pinned: a change that is meant to keep the layers'
// behaviour (a speed-up, a rewrite of a handler) must leave these runs as they are, action for
// action. State counts alone do not show it: a change to STABLE that sent NAKs the old code did not
// left every count unchanged, and only these runs told. A change that is meant to alter behaviour
// updates the figures here, and says why.

import { describe, expect, it } from "vitest";
import { loadSimulatedInstance } from "../../bin/load-model.ts";
import { simulate } from "../../simulator/batch.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";

/** The tour's vsync simulation (its section 5), and what it did. */
async function tourRuns() {
  const instance = await loadSimulatedInstance("vsync", ["processes=4", "casts=2", "crashes=2", "partitions=1", "drops=4"]);
  return simulate({ ...instance, plan: parseFaultItems(["drop=0.05,crash=0.01,other=0.01"]), steps: 3000, runs: 30, seed: 1 });
}

describe("seeded simulations of the layered models", () => {
  it("the tour's vsync runs install the same views, deliver and transmit the same", async () => {
    const result = await tourRuns();
    const { view, deliver, transmit } = result.coverage.actions;
    // With the flush patience in the models (deliver 818, transmit 33,521 before): a coordinator
    // now gives up on members that do not answer its Flush after 6 firings, and the runs differ.
    // With the lean flush (view 77, transmit 34,244 before): Flush, FlushOk and Install carry other
    // contents (a repeated Flush, say, the coordinator's counts at the repeat), so packets that
    // were identical in flight, which the network keeps as one, may differ now, or the reverse,
    // and the runs take other turns. They deliver as much.
    // Since a delivery's latency counts from its send, instead of starting afresh after every
    // process's burst of outputs (view 76, deliver 812, transmit 34,229 before): packets arrive
    // sooner, fewer are retransmitted, more casts are delivered.
    expect({ steps: result.steps, view, deliver, transmit }).toEqual({ steps: 90_000, view: 80, deliver: 908, transmit: 32_299 });
  });

  it.each([
    // Before latencies counted from the send: total deliver 333, transmit 12,155 (12,156 before the lean flush); fifo 3,004 steps, 609 transmits.
    { model: "total", params: ["processes=3", "casts=2", "crashes=1", "drops=3"], ran: { steps: 40_000, view: 40, deliver: 338, transmit: 12_056 } },
    { model: "fifo", params: ["processes=4", "casts=2", "drops=4", "duplicates=2"], ran: { steps: 2485, view: undefined, deliver: 640, transmit: 396 } },
  ])("$model's runs do what they did", async ({ model, params, ran }) => {
    const instance = await loadSimulatedInstance(model, params);
    const result = simulate({ ...instance, plan: parseFaultItems(["drop=0.05,crash=0.01,other=0.01"]), steps: 2000, runs: 20, seed: 1 });
    const { view, deliver, transmit } = result.coverage.actions;
    expect(result.failing).toBeUndefined();
    expect({ steps: result.steps, view, deliver, transmit }).toEqual(ran);
  });
});
