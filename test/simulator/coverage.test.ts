import { describe, expect, it } from "vitest";
import { instantiate, type Goal } from "../../ioa/index.ts";
import lossyChannel from "../../specs/examples/lossy-channel.ts";
import { simulate } from "../../simulator/batch.ts";
import { formatCoverage } from "../../simulator/coverage.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";
import { Simulation } from "../../simulator/run.ts";

describe("the coverage summary", () => {
  it("counts what the runs of a batch did, as a recount of the same runs finds", () => {
    const { automaton, properties } = instantiate(lossyChannel, { messages: 3 });
    const plan = parseFaultItems(["drop=0.3,duplicate=0.3,reorder=0.5"]);
    const { coverage } = simulate({ automaton, properties, plan, runs: 40, seed: 100, steps: 200 });

    const sim = new Simulation({ automaton, properties, plan, steps: 200 });
    const runs = [...Array(40).keys()].map((i) => sim.run(100 + i));
    const actions: Record<string, number> = {};
    const faults: Record<string, number> = {};
    for (const a of runs.flatMap((r) => r.execution.actions)) {
      actions[a.name] = (actions[a.name] ?? 0) + 1;
      if (a.name === "drop" || a.name === "duplicate") faults[a.name] = (faults[a.name] ?? 0) + 1;
    }
    const reached = (goal: string) => runs.filter((r) => r.execution.states.some((s) => (properties[goal] as Goal<typeof s>).holds(s))).length;

    expect(coverage.runs).toBe(40);
    expect(coverage.steps).toBe(runs.reduce((n, r) => n + r.execution.actions.length, 0));
    expect(coverage.actions).toEqual(actions);
    expect(coverage.faults).toEqual(faults);
    expect(coverage.kinds.fault).toBe((faults.drop ?? 0) + (faults.duplicate ?? 0));
    expect(coverage.kinds.deliver).toBe(actions.receive);
    expect(coverage.goals).toEqual({ duplicated: reached("duplicated"), reordered: reached("reordered") });
    expect(coverage.components).toEqual({ client: actions.send, channel: coverage.steps - actions.send! });
    expect(coverage.endings).toEqual({ quiescent: 40 });
  });

  it("lists the actions no run took, and prints as lines", () => {
    const { automaton, properties } = instantiate(lossyChannel);
    const { coverage } = simulate({ automaton, properties, plan: parseFaultItems(["none"]), runs: 5, seed: 1 });
    expect(coverage.neverTaken).toEqual(["drop", "duplicate"]);
    expect(coverage.faults).toEqual({});
    const text = formatCoverage(coverage);
    expect(text[0]).toMatch(/^5 runs, \d+ steps, \d+ virtual ms$/);
    expect(text).toContain("never taken drop, duplicate");
    expect(text).toContain("faults      none");
    expect(text.find((l) => l.startsWith("goals"))).toBe("goals       duplicated in 0 runs (0%) · reordered in 0 runs (0%)");
  });
});
