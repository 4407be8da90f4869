import { describe, expect, it } from "vitest";
import { instantiate, type Action } from "../../ioa/index.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";
import { Simulation, type Run } from "../../simulator/run.ts";
import { swarmScheduler } from "../../simulator/schedulers/swarm.ts";
import type { Scheduler } from "../../simulator/scheduler.ts";
import fifo from "../../layers/models/fifo.ts";
import ping, { type PingOptions } from "../support/ping-network.ts";

const base: PingOptions = { processes: 3, casts: 2, drops: 2, duplicates: 2, crashes: 1, partitions: 1, retransmit: 0 };

function simulation(options: Partial<PingOptions>, faults: string[], scheduler?: Scheduler) {
  const { automaton, properties } = instantiate(ping, { ...base, ...options });
  return new Simulation({ automaton, properties, plan: parseFaultItems(faults), steps: 400, ...(scheduler && { scheduler }) });
}

const faultsOf = <S, A extends Action>(sim: Simulation<S, A>, run: Run<S, A>) =>
  run.choices.flatMap((c, i) => (sim.kindOf(c.action) === "fault" ? [{ ...c, step: i + 1, fault: sim.detailsOf(c.action).fault! }] : []));

describe("fault plans in runs", () => {
  it("inject no fault at all under `none`", () => {
    const sim = simulation({}, ["none"]);
    for (let seed = 0; seed < 30; seed++) expect(faultsOf(sim, sim.run(seed))).toEqual([]);
  });

  it("turn a chosen delivery into a fault of its message at the fault's rate, and can give it back", () => {
    const sim = simulation({ drops: 1, duplicates: 0 }, ["none", "drop=1"]);
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      const first = run.choices.findIndex((c) => sim.kindOf(c.action) !== "step");
      const choice = run.choices[first]!;
      expect(choice.action.name).toBe("drop");
      expect(choice.cause).toBe("rate");
      expect(choice.instead).toMatchObject({ name: "deliver", p: choice.action.to, from: choice.action.from, seq: choice.action.seq });
    }
  });

  it("inject other faults per step at their rate, and none once faults stop", () => {
    const sim = simulation({ crashes: 3, retransmit: 5, casts: 3 }, ["none", "crash=0.2,recover=0.2", "stop=20"]);
    let crashes = 0;
    for (let seed = 0; seed < 30; seed++) {
      for (const f of faultsOf(sim, sim.run(seed))) {
        expect(["crash", "recover"]).toContain(f.fault);
        expect(f.time).toBeLessThan(20);
        crashes += f.fault === "crash" ? 1 : 0;
      }
    }
    expect(crashes).toBeGreaterThan(10);
  });

  it("take a timed fault at the first step at or after its time, and report one the model cannot make", () => {
    const sim = simulation({ retransmit: 5 }, ["none", "crash@6=2", "recover@30=2", "crash@40=1"]);
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      const [crash, recover, ...rest] = faultsOf(sim, run);
      expect(crash).toMatchObject({ fault: "crash", cause: "plan", action: { name: "crash", p: 2 } });
      expect(crash!.time).toBeGreaterThanOrEqual(6);
      expect(run.choices[crash!.step - 2]?.time ?? 0).toBeLessThan(6);
      expect(recover).toMatchObject({ fault: "recover", cause: "plan", action: { p: 2 } });
      expect(rest).toEqual([]);
      // The crash budget (1) is spent on process 2: the crash of process 1 at 40 cannot happen.
      expect(run.missed).toEqual([expect.stringMatching(/^crash@40=1: no enabled crash action of process 1 at \d+$/)]);
    }
  });

  it("hold a timed fault back while a stack's urgent outputs leave, and take it at the first step after them", () => {
    // The stacks' outputs hide every other action, faults included, while they wait: an event due
    // then is taken once they are out, not reported missed (as it was in every run at time 7).
    const { automaton, properties } = instantiate(fifo, { processes: 3, crashes: 1 });
    const sim = new Simulation({ automaton, properties, plan: parseFaultItems(["none", "crash@7=1"]), steps: 300 });
    const urgent = new Set([...automaton.actions.values()].filter((info) => info.urgent).map((info) => info.name));
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      expect(run.missed).toEqual([]);
      const [crash, ...rest] = faultsOf(sim, run);
      expect(crash).toMatchObject({ fault: "crash", cause: "plan", action: { name: "crash", p: 1 } });
      expect(rest).toEqual([]);
      expect(crash!.time).toBeGreaterThanOrEqual(7);
      const before = run.choices.slice(0, crash!.step - 1).filter((c) => c.time >= 7);
      expect(before.every((c) => urgent.has(c.action.name))).toBe(true);
    }
  });

  it("split the processes for an interval with the model's own partition action, hold deliveries across it, then heal", () => {
    const sim = simulation({ retransmit: 5, drops: 0, duplicates: 0, crashes: 0 }, ["none", "partition@3..60=[[0,2],[1]]"]);
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      const faults = faultsOf(sim, run);
      expect(faults.map((f) => `${f.fault} ${f.cause}`)).toEqual(["partition plan", "heal plan"]);
      expect(faults[0]!.action).toMatchObject({ components: [[0, 2], [1]] });
      expect(faults[0]!.time).toBeGreaterThanOrEqual(3);
      expect(faults[1]!.time).toBeGreaterThanOrEqual(60);
      const crossing = run.choices.filter((c) => c.action.name === "deliver" && c.time >= 3 && c.time < 60 && (c.action.p === 1) !== (c.action.from === 1));
      expect(crossing).toEqual([]);
      expect(run.ended).toBe("quiescent");
    }
  });

  it("hold deliveries across a split the model has no action for, and still deliver them after it ends", () => {
    const sim = simulation({ drops: 0, duplicates: 0, crashes: 0 }, ["none", "partition@0..80=[[0],[1,2]]"]);
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      expect(faultsOf(sim, run)).toEqual([]);
      for (const c of run.choices) if (c.action.name === "deliver" && (c.action.p === 0) !== (c.action.from === 0)) expect(c.time).toBeGreaterThanOrEqual(80);
      expect(run.ended).toBe("quiescent");
      expect(run.failure).toBeUndefined();
    }
  });

  it("repair a partition left in force when the run settles, before judging quiescence", () => {
    const sim = simulation({ retransmit: 5, drops: 0, duplicates: 0, crashes: 0 }, ["none", "partition=0.5"]);
    const unrepaired = simulation({ retransmit: 5, drops: 0, duplicates: 0, crashes: 0 }, ["none", "partition=0.5", "repair=none"]);
    let failures = 0;
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      expect(run.failure).toBeUndefined();
      expect(faultsOf(sim, run).map((f) => f.fault)).toEqual(["partition", "heal"]);
      failures += unrepaired.run(seed).failure ? 1 : 0;
    }
    expect(failures).toBeGreaterThan(0);
  });

  it("leave a random subset of fault types out of each run under swarm testing, the same for the same seed", () => {
    const sim = simulation({ crashes: 2, drops: 2, duplicates: 2, retransmit: 5 }, ["drop=0.5,duplicate=0.5,crash=0.2,recover=0.2"], swarmScheduler);
    const mixes = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const types = (run: Run<unknown, Action>) => [...new Set(faultsOf(sim, run as never).map((f) => f.fault))].sort().join("+");
      const mix = types(sim.run(seed) as never);
      expect(types(sim.run(seed) as never)).toBe(mix);
      mixes.add(mix);
    }
    expect(mixes.size).toBeGreaterThanOrEqual(5);
  });
});
