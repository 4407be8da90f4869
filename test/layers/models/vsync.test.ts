import { describe, expect, it } from "vitest";
import { always, formatAction, instantiate, walk } from "../../../ioa/index.ts";
import { check } from "../../../checker/check.ts";
import vsync from "../../../layers/models/vsync.ts";
import { isGroupAction } from "../../../specs/group.ts";
import { services } from "../../../specs/services.ts";
import { validateTrace } from "../../../specs/validation.ts";
import { simulate } from "../../../simulator/batch.ts";
import { parseFaultItems } from "../../../simulator/fault-plan.ts";

describe("the vsync model, exhaustively", () => {
  it("2 processes, 1 cast each, 1 crash: every property holds over 14,169 states (14,818 before the lean flush)", async () => {
    const result = await check(instantiate(vsync, { processes: 2, casts: 1, crashes: 1 }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(14_169);
  });

  it("with SLANDER, 2 processes, 1 cast each, 1 crash: the same 14,169 states (between two members there is no one to tell, and the layer's state follows the detector's)", async () => {
    const result = await check(instantiate(vsync, { processes: 2, casts: 1, crashes: 1, slander: true }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(14_169);
    expect(Object.keys(instantiate(vsync, { slander: true }).automaton.startStates()[0]!.stacks[0]!.layers)).toContain("slander");
  });

  it("2 processes, 1 cast each, a crash and a recovery (the recovered process leaves its old view, as after a restart): every property holds over 50,567 states (53,868 before the lean flush)", async () => {
    const result = await check(instantiate(vsync, { processes: 2, casts: 1, crashes: 1, recoveries: 1 }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(50_567);
  });

  it("2 processes, 1 cast, a partition that heals, merges: every property holds over 17,261 states (17,423 before the lean flush), and the sides merge", async () => {
    const params = { processes: 2, casts: 1, casters: 1, crashes: 0, partitions: 1, merges: 1 };
    const result = await check(instantiate(vsync, params));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(17_261);
    // Not vacuous: some execution splits the view and merges the sides again (a property that says no view of both is installed after view 0 breaks).
    const { automaton } = instantiate(vsync, params);
    const neverMerged = always((s: Parameters<typeof automaton.step>[0]) => s.stacks.every((x) => x.view.id === 0 || x.view.members.size < 2));
    const merged = await check({ automaton, properties: { neverMerged } });
    expect(merged.verdict).toBe("violated");
  });
});

describe("planted bugs are found, with a shortest counterexample", () => {
  it.each([
    ["never-suspects", { processes: 2 }, "crashedExcluded", /process \d is in view 0 with crashed \d/],
    ["coordinator-leaves-itself-out", { processes: 2 }, "vsync", /installs view \d+ \{\}, which does not contain it/],
  ] as const)("%s", async (bug, params, property, message) => {
    const result = await check(instantiate(vsync, { casts: 1, crashes: 1, ...params, bug }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe(property);
    expect(result.violation?.message).toMatch(message);
  });
});

// These need two processes that move together to a view leaving out a third: 3 processes, whose
// state space is far larger (each takes minutes on a 2-core machine: installs-without-flush, 2.4 million states and 100–170 s). VSYNC_SLOW=1 runs them.
describe.skipIf(!process.env.VSYNC_SLOW)("planted bugs that need 3 processes", () => {
  it.each([
    ["installs-without-flush", "virtualSynchrony", /moves from view 0 to view \d+ as another process did before, but they delivered different messages/],
    // The lean flush too lean: a member answers as if the coordinator had one cast more of each sender (22 steps, 1,388,339 states, 52 s).
    ["answers-past-the-coordinator", "virtualSynchrony", /moves from view 0 to view \d+ as another process did before, but they delivered different messages in view 0: p\d did not deliver message "m1" of p2/],
    ["delivers-in-later-view", "sendingViewDelivery", /delivers message "m1" of p2 in view \d+, but p2 cast it in view 0/],
  ] as const)("%s", async (bug, property, message) => {
    const result = await check(instantiate(vsync, { processes: 3, casters: 1, casts: 1, crashes: 1, bug }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe(property);
    expect(result.violation?.message).toMatch(message);
  }, 300_000);

  // A joiner merges into a group of two, whose coordinator tells the other member to install the merged view without the casts its flush gathered (26 steps, 477,359 states, 30 s).
  it("merge-loses-message", async () => {
    const result = await check(instantiate(vsync, { processes: 3, joiners: 1, casts: 1, casters: 3, drops: 1, crashes: 0, merges: 1, bug: "merge-loses-message" }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe("virtualSynchrony");
    expect(result.violation?.message).toMatch(/moves from view 0 to view 3 as another process did before, but they delivered different messages in view 0/);
  }, 300_000);
});

describe("random walks and simulations with crashes, partitions and drops", () => {
  const params = { processes: 4, casts: 2, crashes: 2, partitions: 1, drops: 4, duplicates: 2 };
  const instance = instantiate(vsync, params);

  it("random walks give traces of the vsync service, with its properties", () => {
    for (let seed = 0; seed < 60; seed++) {
      const run = walk(instance.automaton, { steps: 1500, seed, validate: false });
      const trace = run.actions.filter(isGroupAction);
      const broken = validateTrace(services.vsync, trace, { processes: 4 }).filter((v) => v.verdict === "violated");
      if (broken.length > 0) expect.fail(`seed ${seed}: ${broken.map((v) => `${v.property}: ${v.violation!.message}`).join("; ")} after ${run.actions.slice(-3).map((a) => formatAction(a)).join(", ")}`);
    }
  });

  it("simulated runs of 5 processes with crashes, recoveries, partitions that heal and merges break no property; recovered members are told they were excluded", () => {
    // patientTimers=false: with 5 members' heartbeats some packet is nearly always in flight, and patient timers would never fire.
    const { automaton, properties } = instantiate(vsync, { processes: 5, casts: 2, crashes: 2, recoveries: 2, partitions: 2, drops: 3, merges: 20, patientTimers: false });
    const result = simulate({ automaton, properties, plan: parseFaultItems(["drop=0.05,crash=0.01,other=0.01"]), runs: 8, steps: 4000, seed: 1 });
    expect(result.verdict).toBe("holds");
    expect(result.coverage.actions.view ?? 0).toBeGreaterThan(0);
    expect(result.coverage.actions.excluded ?? 0).toBeGreaterThan(0);
  });

  it("simulated runs break no property, and change views", () => {
    const { automaton, properties } = instance;
    const result = simulate({ automaton, properties, plan: parseFaultItems(["drop=0.05,crash=0.01,other=0.01"]), runs: 40, steps: 3000, seed: 1 });
    expect(result.verdict).toBe("holds");
    expect(result.coverage.actions.view ?? 0).toBeGreaterThan(0);
  });
});
