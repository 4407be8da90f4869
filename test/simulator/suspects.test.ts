import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventuallyAlways, instantiate, leadsTo, type Action, type LivenessProperty } from "../../ioa/index.ts";
import fifoModel from "../../layers/models/fifo.ts";
import { Simulation, NO_FAULTS } from "../../simulator/index.ts";
import { livenessSuspects } from "../../simulator/suspects.ts";
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

/** The state since which an obligation is pending at the end, read forwards through every state: the definition. */
function pendingSinceForwards(p: LivenessProperty<number>, states: readonly number[]): number | undefined {
  let since: number | undefined;
  states.forEach((s, i) => {
    if (p.kind === "eventually-always") since = p.holds(s) ? undefined : (since ?? i);
    else if (p.response(s)) since = undefined;
    else if (since === undefined && p.trigger(s)) since = i;
  });
  return since;
}

describe("liveness suspects of a finished run", () => {
  // States are numbers; bit 0 is the trigger (or, for eventually-always, what must hold), bit 1 the response.
  const properties = {
    leads: leadsTo<number>((s) => (s & 1) === 1, (s) => (s & 2) === 2),
    settles: eventuallyAlways<number>((s) => (s & 1) === 1),
  };

  it("finds the state each obligation has been pending since, as reading every state from the start would", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), (states) => {
        const actions: Action[] = states.slice(1).map(() => ({ name: "tick" }));
        const times = actions.map((_, i) => i + 1);
        const found = livenessSuspects(properties, { states, actions }, times, true);
        for (const [name, p] of Object.entries(properties)) {
          expect(found.find((s) => s.property === name)?.since).toBe(pendingSinceForwards(p, states));
        }
      }),
    );
  });
});
