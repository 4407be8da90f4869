import { describe, expect, it } from "vitest";
import { check } from "../../../checker/check.ts";
import { always, formatAction, instantiate, walk } from "../../../ioa/index.ts";
import total from "../../../layers/models/total.ts";
import totalToken from "../../../layers/models/total-token.ts";
import { isGroupAction } from "../../../specs/group.ts";
import { services } from "../../../specs/services.ts";
import { validateTrace } from "../../../specs/validation.ts";

describe("switching total order protocols at a view change, exhaustively", () => {
  it("2 processes, one of which asks to switch from the sequencer to the rotating sequencer: total order and virtual synchrony hold across the switch, over 48,281 states (56,965 before the lean flush, 14,485 before the flush patience: the switch's view change is a round that may wait on a member), and the switch happens", async () => {
    const params = { processes: 2, casts: 0, crashes: 0, switchTo: "token" };
    const result = await check(instantiate(total, params));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(48_281);
    // Not vacuous: some execution installs a view that runs the token protocol.
    const { automaton } = instantiate(total, params);
    type S = Parameters<typeof automaton.step>[0];
    const neverSwitched = always((s: S) => s.stacks.every((x) => (x.layers as unknown as { switch: { running: string } }).switch.running !== "token"));
    expect((await check({ automaton, properties: { neverSwitched } })).verdict).toBe("violated");
  });

  it("a switch that drops what the old protocol holds is found, with a shortest counterexample: members moving together delivered different casts", async () => {
    const result = await check(instantiate(total, { processes: 2, casts: 1, casters: 1, crashes: 0, switchTo: "token", bug: "switch-drops-in-flight" }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe("to");
    expect(result.violation?.message).toMatch(/moves from view 0 to view 2 having delivered 0 messages in view 0, but another process made the same move having delivered 1/);
    expect(result.violation?.counterexample?.actions.length).toBe(22);
    expect(result.violation?.counterexample?.actions.some((a) => a.name === "switch")).toBe(true);
  });
});

describe("random walks of 5 processes that switch protocols while casting, with crashes, partitions and drops", () => {
  it.each([
    [total, "token"],
    [totalToken, "sequencer"],
  ] as const)("%#: every trace is a trace of the total order service and of the VS service", (model, switchTo) => {
    const instance = instantiate(model, { processes: 5, casts: 2, crashes: 1, partitions: 1, drops: 3, switchTo, patientTimers: false });
    let switched = 0;
    for (let seed = 0; seed < 20; seed++) {
      const run = walk(instance.automaton, { steps: 2000, seed, validate: false });
      if (run.actions.some((a) => a.name === "view") && run.actions.some((a) => a.name === "switch")) switched++;
      const trace = run.actions.filter(isGroupAction);
      for (const service of [services.to, services.vs]) {
        const broken = validateTrace(service, trace, { processes: 5 }).filter((v) => v.verdict === "violated");
        if (broken.length > 0) expect.fail(`seed ${seed}, ${service.name}: ${broken.map((v) => `${v.property}: ${v.violation!.message}`).join("; ")} after ${run.actions.slice(-3).map((a) => formatAction(a)).join(", ")}`);
      }
    }
    expect(switched).toBeGreaterThan(0);
  });
});
