// The vsync and total models' liveness properties: they hold on small configurations under strong
// fairness, and planted liveness bugs are caught as lassos — real executions whose cycle repeats
// forever — including one that every safety property (and every property at quiescence) misses.

import { describe, expect, it } from "vitest";
import { check } from "../../../checker/check.ts";
import { fingerprintString, instantiate, replayExecution, type Value } from "../../../ioa/index.ts";
import total from "../../../layers/models/total.ts";
import { viewModel } from "../../../layers/models/view-model.ts";
import vsync from "../../../layers/models/vsync.ts";
import { neverGivesUp } from "../../../layers/models/vsync-mutants.ts";
import { vsync as vsyncStack } from "../../../layers/stacks/vsync.ts";
import { services } from "../../../specs/services.ts";

const LIVENESS = ["castsDelivered", "suspectsExcluded", "viewChangeCompletes"];

// The total model judges the same properties: test/layers/models/total.test.ts checks them with its state count.
describe("the vsync model judges their liveness properties by default", () => {
  it.each([
    ["vsync", vsync, {}],
    ["vsync, accurate suspicions", vsync, { falseSuspicions: false }],
    ["vsync, a partition", vsync, { crashes: 0, partitions: 1 }],
  ] as const)("%s: every cast delivered, every suspect excluded, every view change completed", async (_, model, params) => {
    const r = await check(instantiate(model, { processes: 2, casts: 1, ...params }));
    expect(r.verdict).toBe("holds");
    expect(r.liveness.map((l) => [l.property, l.verdict, l.fairness])).toEqual(LIVENESS.map((p) => [p, "holds", "strong"]));
  });

  it("need strong fairness: under weak fairness a survivor's heartbeats may forever interrupt its suspicion timer (a lasso, not a bug)", async () => {
    const r = await check(instantiate(vsync, { processes: 2, casts: 1 }), { fairness: "weak", only: ["suspectsExcluded"] });
    expect(r.liveness[0]).toMatchObject({ verdict: "violated", fairness: "weak" });
    const lasso = r.liveness[0]!.counterexample!;
    expect(lasso.actions.slice(lasso.loop).map((a) => a.name)).toEqual(["tick", "transmit"]);
  });
});

describe("planted liveness bugs are caught as lassos", () => {
  const lassoOf = async (params: Record<string, string | number | boolean>, property: string) => {
    const instance = instantiate(vsync, { processes: 2, casts: 1, ...params });
    const r = await check(instance, { only: [property] });
    expect(r.violation).toMatchObject({ property, kind: "leads-to" });
    const lasso = r.liveness[0]!.counterexample!;
    expect(replayExecution(instance.automaton, lasso).ok).toBe(true);
    const last = lasso.states[lasso.states.length - 1]!;
    expect(fingerprintString(last as Value)).toBe(fingerprintString(lasso.states[lasso.loop] as Value));
    return { r, lasso, instance };
  };

  it("a member deaf to the others' casts, under accurate suspicions: the casters repeat them forever, which only liveness sees", async () => {
    const params = { bug: "deaf-to-casts", falseSuspicions: false, crashes: 0 };
    const { r, lasso } = await lassoOf(params, "castsDelivered");
    expect(r.violation!.message).toMatch(/process 0 did not deliver m1, cast by process 1, a live member of its view 0/);
    expect(lasso.actions.length).toBeGreaterThan(lasso.loop);
    expect(lasso.actions.slice(lasso.loop).some((a) => a.name === "timer" && a.layer === "mnak")).toBe(true);
    const safety = await check(instantiate(vsync, { processes: 2, casts: 1, ...params }), { liveness: false });
    expect(safety.verdict).toBe("holds");
  });

  it("the same deaf member, with false suspicions: strong fairness makes one inevitable, and the view change that excludes the member discharges the obligation", async () => {
    const r = await check(instantiate(vsync, { processes: 2, casts: 1, crashes: 0, bug: "deaf-to-casts" }), { only: ["castsDelivered"] });
    expect(r.liveness[0]!.verdict).toBe("holds");
  });

  it("a flush round that never ends: the view change never completes", async () => {
    const { r } = await lassoOf({ bug: "never-installs" }, "viewChangeCompletes");
    expect(r.violation!.message).toMatch(/process \d was asked to block in view 0 and has installed no view since/);
  });

  it("a failure detector that never suspects: a crashed member is never excluded", async () => {
    const { r, lasso } = await lassoOf({ bug: "never-suspects" }, "suspectsExcluded");
    expect(r.violation!.message).toMatch(/process \d is in view 0 with crashed \d/);
    expect(lasso.actions.slice(lasso.loop).every((a) => a.name !== "view")).toBe(true);
  });

  it("a flushPatience that is not a whole number of firings is refused, naming the model", () => {
    expect(() => instantiate(vsync, { flushPatience: 0 })).toThrow("model vsync: flushPatience should be a whole number of flush timer firings, at least 1, but is 0");
    expect(() => instantiate(total, { flushPatience: 2.5 })).toThrow("model total: flushPatience should be a whole number of flush timer firings, at least 1, but is 2.5");
  });

  it("a sequencer that never announces, under accurate suspicions: the total stack's casts wait for their turn forever", async () => {
    const instance = instantiate(total, { processes: 2, casts: 1, crashes: 0, falseSuspicions: false, bug: "never-announces" });
    const r = await check(instance, { only: ["castsDelivered"] });
    expect(r.violation).toMatchObject({ property: "castsDelivered", kind: "leads-to" });
    expect(r.violation!.message).toMatch(/process 1 did not deliver m1, cast by process 0, a live member of its view 0/);
    expect(replayExecution(instance.automaton, r.liveness[0]!.counterexample!).ok).toBe(true);
  });
});

// The view change that waited for ever at run time needs 3 processes: the coordinator (0) suspects
// one member (1, cut off for a while) and flushes the other (2), which suspects the coordinator
// (cut off too) and, with the membership of that time (flush-waits-forever), ignores its Flush,
// while 1 — 2's coordinator now — suspects nobody and runs no round; the network heals, and 0,
// hearing 2's heartbeats, never suspects it. Accurate suspicions, so that no false suspicion of 2
// ends the wait. (The membership as it is takes that Flush: a member takes its first of a view
// from anyone.) Minutes of checking on 2 cores: VSYNC_SLOW=1 runs them.
describe.skipIf(!process.env.VSYNC_SLOW)("the flush that waits for ever (3 processes, a partition)", () => {
  const params = { processes: 3, casts: 0, crashes: 0, partitions: 1, falseSuspicions: false };

  it("without the flush patience (flush-waits-forever), the coordinator repeats its Flush for ever: a lasso (found after 937,052 states)", async () => {
    const instance = instantiate(vsync, { ...params, bug: "flush-waits-forever" });
    const r = await check(instance, { only: ["viewChangeCompletes"] });
    expect(r.violation).toMatchObject({ property: "viewChangeCompletes", kind: "leads-to" });
    expect(r.violation!.message).toMatch(/process 0 was asked to block in view 0 and has installed no view since/);
    const lasso = r.liveness[0]!.counterexample!;
    expect(replayExecution(instance.automaton, lasso).ok).toBe(true);
    const cycle = lasso.actions.slice(lasso.loop);
    expect(cycle.some((a) => a.name === "timer" && a.p === 0 && a.layer === "membership" && a.timer === "flush")).toBe(true);
    expect(cycle.every((a) => a.name !== "view")).toBe(true);
  }, 600_000);

  it("the membership as it is, even with no patience, takes the Flush of a coordinator it suspects: every view change completes (969,488 states)", async () => {
    const patient = viewModel({ name: "vsync", description: "vsync whose coordinators never give up a flush", stack: vsyncStack, service: services.vsync, delivery: "always", mutants: (options) => ({ "never-gives-up": neverGivesUp(options) }) });
    const r = await check(instantiate(patient, { ...params, bug: "never-gives-up" }), { only: ["viewChangeCompletes"] });
    expect(r.liveness.map((l) => [l.property, l.verdict])).toEqual([["viewChangeCompletes", "holds"]]);
    expect(r.distinctStates).toBe(969_488);
  }, 600_000);

  it("with a patience of 1 firing, every view change completes (1,569,322 states)", async () => {
    const r = await check(instantiate(vsync, { ...params, flushPatience: 1 }), { only: ["viewChangeCompletes"] });
    expect(r.liveness.map((l) => [l.property, l.verdict])).toEqual([["viewChangeCompletes", "holds"]]);
    expect(r.distinctStates).toBe(1_569_322);
  }, 600_000);
});
