import { describe, expect, it } from "vitest";
import { enabledActions, traceOf, walk } from "../../ioa/index.ts";
import { group } from "../../layers/group.ts";
import { NO_FAULTS } from "../../layers/network.ts";
import { fifo } from "../../layers/stacks/fifo.ts";

describe("a group", () => {
  const system = group(fifo(), { n: 3, workload: { casts: 1, sends: 1 }, budget: { ...NO_FAULTS, drops: 1, crashes: 1 } });

  it("shows the group interface in its traces and hides packets and timers", () => {
    const run = walk(system, { steps: 400, seed: 2 });
    const names = new Set(traceOf(system, run).map((a) => a.name));
    expect([...names].every((n) => ["cast", "deliver", "send", "receive", "crash", "recover", "view"].includes(n))).toBe(true);
    expect(names.has("deliver")).toBe(true);
    expect(run.actions.some((a) => a.name === "transmit")).toBe(true);
  });

  it("lets what a run emits leave before anything else, and tells a cast and its deliveries by one message identity", () => {
    const start = system.startStates()[0]!;
    const cast = enabledActions(system, start).find((a) => a.name === "cast" && a.p === 1)!;
    const after = system.step(start, cast);
    expect(enabledActions(system, after).map((a) => a.name)).toEqual(["deliver"]);
    const deliver = enabledActions(system, after)[0]!;
    expect(system.details(cast)).toEqual({ kind: "step", process: 1, message: { from: 1, msg: "m1" } });
    expect(system.details(deliver)).toMatchObject({ kind: "step", process: 1, message: { from: 1, msg: "m1" } });
  });
});
