import { describe, expect, it } from "vitest";
import { instantiate, type Action } from "../../ioa/index.ts";
import orderingRace from "../../specs/examples/ordering-race.ts";
import { NO_FAULTS } from "../../simulator/fault-plan.ts";
import { Simulation } from "../../simulator/run.ts";
import type { Scheduler } from "../../simulator/scheduler.ts";
import { pctScheduler, randomScheduler, schedulerByName, swarmScheduler } from "../../simulator/schedulers/index.ts";

function hits(scheduler: Scheduler, runs: number, params: Record<string, number> = {}): number {
  const { automaton, properties } = instantiate(orderingRace, params);
  const sim = new Simulation({ automaton, properties, scheduler, plan: NO_FAULTS });
  let found = 0;
  for (let seed = 0; seed < runs; seed++) if (sim.run(seed).failure) found++;
  return found;
}

describe("schedulers", () => {
  it("PCT finds an ordering bug of depth 1 among 8 processes far more often than uniform random choice", () => {
    // Uniform choice needs process 1's 9 steps before process 0's first: about 1 run in 512.
    const random = hits(randomScheduler, 300);
    const pct = hits(pctScheduler(3), 300);
    expect(pct).toBeGreaterThan(90);
    expect(random).toBeLessThan(5);
    expect(pct).toBeGreaterThan(20 * Math.max(1, random));
  });

  it("PCT finds it whatever its depth, and uniform choice only when the race is short", () => {
    expect(hits(pctScheduler(1), 100)).toBeGreaterThan(30);
    expect(hits(randomScheduler, 100, { steps: 1 })).toBeGreaterThan(15);
  });

  it("plug in: a scheduler of the user's own decides every choice", () => {
    const lastFirst: Scheduler = { name: "last", begin: () => ({ choose: <A extends Action>(candidates: readonly A[]) => candidates.length - 1 }) };
    const { automaton, properties } = instantiate(orderingRace, { processes: 3, steps: 2 });
    const run = new Simulation({ automaton, properties, scheduler: lastFirst, plan: NO_FAULTS }).run(0);
    // The last candidate is the highest process's work, then process 1's, which then uses the resource.
    expect(run.execution.actions.map((a) => `${a.name}${a.p}`)).toEqual(["work2", "work2", "work1", "work1", "use1"]);
    expect(run.failure?.property).toBe("initialisedFirst");
  });

  it("are found by name, and a bad name or depth is a clear error", () => {
    expect(schedulerByName("random")).toBe(randomScheduler);
    expect(schedulerByName("swarm")).toBe(swarmScheduler);
    expect(schedulerByName("pct").name).toBe("pct:3");
    expect(schedulerByName("pct:5").name).toBe("pct:5");
    expect(() => schedulerByName("pct:0")).toThrowError("scheduler pct:0: the depth after pct: is an integer ≥ 1");
    expect(() => schedulerByName("fair")).toThrowError('no scheduler named "fair"; the schedulers are random, pct (or pct:<depth>, default depth 3) or swarm');
    expect(() => pctScheduler(1.5)).toThrowError("pct: the bug depth is an integer ≥ 1, got 1.5");
  });
});
