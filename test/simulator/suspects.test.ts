import { describe, expect, it } from "vitest";
import { instantiate } from "../../ioa/index.ts";
import fifoModel from "../../layers/models/fifo.ts";
import { Simulation, NO_FAULTS } from "../../simulator/index.ts";
import { deafMember } from "../support/deaf-member.ts";

describe("liveness suspects in the simulator", () => {
  const instance = instantiate(fifoModel, { processes: 2, casts: 1, drops: 0, duplicates: 0 });

  it("reports a member that never delivers as a suspect, not a failure", () => {
    const sim = new Simulation({ automaton: deafMember(instance.automaton, 1), properties: instance.properties, plan: NO_FAULTS, steps: 2000, suspectAfter: 300 });
    const run = sim.run(1);
    expect(run.failure).toBeUndefined();
    expect(run.ended).toBe("steps");
    expect(run.suspects).toMatchObject([{ property: "eventuallyDelivered" }]);
    expect(run.suspects![0]!.pendingFor).toBeGreaterThanOrEqual(300);
    expect(run.suspects![0]!.message).toMatch(/process 1 delivered 0 of the 1 casts of process 0 \(a suspect, not a proof\)/);
  });

  it("reports nothing for the working stack", () => {
    const sim = new Simulation({ automaton: instance.automaton, properties: instance.properties, plan: NO_FAULTS, steps: 2000, suspectAfter: 300 });
    for (const seed of [1, 2, 3]) expect(sim.run(seed).suspects).toBeUndefined();
  });
});
