import { describe, expect, it } from "vitest";
import { always, automaton, checkItfSchema, fromItf, instantiate, replay, t, type Model } from "../../ioa/index.ts";
import alternatingBit from "../../specs/examples/alternating-bit.ts";
import orderingRace from "../../specs/examples/ordering-race.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { simulate } from "../../simulator/batch.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";
import { PropertyChecker } from "../../simulator/properties.ts";
import { pctScheduler } from "../../simulator/schedulers/pct.ts";
import { runToItf } from "../../simulator/trace.ts";
import ping from "../support/ping-network.ts";
import { check } from "../../checker/check.ts";

const seededBugs = [
  { name: "two-phase committing on one prepared RM", model: twoPhase, params: { rms: 3, commitOnAnyPrepared: true }, property: "consistent" },
  { name: "alternating-bit receiver that ignores the bit", model: alternatingBit, params: { receiverIgnoresBit: true }, property: "prefix" },
  { name: "ordering race (under PCT)", model: orderingRace, params: { processes: 5, steps: 6 }, property: "initialisedFirst", scheduler: pctScheduler(3) },
] as const;

describe("seeded bugs are found and shrunk", () => {
  for (const bug of seededBugs) {
    it(`${bug.name}: to a shortest counterexample, as long as the checker's`, async () => {
      const { automaton, properties } = instantiate(bug.model as Model, bug.params);
      const result = simulate({ automaton, properties, runs: 100, seed: 7, ...("scheduler" in bug && { scheduler: bug.scheduler }) });
      expect(result.verdict).toBe("violated");
      const shrunk = result.shrunk!;
      expect(shrunk.run.failure?.property).toBe(bug.property);
      const checked = await check({ automaton, properties }, { only: [bug.property] });
      expect(shrunk.shrunkLength).toBe(checked.violation!.counterexample!.actions.length);
      expect(shrunk.shrunkLength).toBeLessThanOrEqual(shrunk.originalLength);
    });
  }
});

describe("a shrunk run", () => {
  it("is written as ITF that validates, reads back, replays in the kernel, and still breaks the property", () => {
    const { automaton, properties } = instantiate(twoPhase, { rms: 4, commitOnAnyPrepared: true });
    const result = simulate({ automaton, properties, runs: 50, seed: 3 });
    const json = JSON.parse(JSON.stringify(runToItf(result.simulation, result.shrunk!.run, { model: "two-phase", originalLength: result.shrunk!.originalLength })));
    checkItfSchema(json);
    expect(json["#meta"].troupe).toMatchObject({ model: "two-phase", property: "consistent", simulator: { scheduler: "random", originalLength: result.shrunk!.originalLength } });
    expect(json.states[1]!["#meta"]).toMatchObject({ index: 1, time: expect.any(Number), cause: "scheduler" });
    const execution = fromItf(automaton, json);
    const replayed = replay(automaton, execution.actions);
    expect(replayed.ok).toBe(true);
    const checker = new PropertyChecker(automaton, properties);
    const states = replayed.execution.states;
    const failures = [checker.begin(states[0]!), ...execution.actions.map((a, i) => checker.step(states[i]!, a, states[i + 1]!, i + 1))];
    expect(failures.at(-1)!.property).toBe("consistent");
    expect(failures.slice(0, -1).every((f) => f === undefined)).toBe(true);
  });

  it("for a property judged at quiescence, still ends quiescent and still fails there", () => {
    const { automaton, properties } = instantiate(ping, { processes: 4, casts: 2, drops: 2, retransmit: 0 });
    const result = simulate({ automaton, properties, runs: 50, seed: 11, plan: parseFaultItems(["drop=0.3,duplicate=0.2"]) });
    const shrunk = result.shrunk!;
    expect(shrunk.run.failure).toMatchObject({ property: "allDelivered", kind: "quiescent" });
    expect(shrunk.run.ended).toBe("violation");
    expect(shrunk.shrunkLength).toBeLessThanOrEqual(shrunk.originalLength);
    const again = result.simulation.replay(shrunk.run.execution.states[0]!, shrunk.run.choices, shrunk.run.seed);
    expect(again.failure).toEqual(shrunk.run.failure);
    // Most of the shrunk run settles it; of its own choices, the only fault left is the drop that loses a message for good.
    expect(shrunk.chosen).toBeLessThan(shrunk.shrunkLength / 2);
    expect(shrunk.run.choices.filter((c) => result.simulation.kindOf(c.action) === "fault").map((c) => c.action.name)).toEqual(["drop"]);
  });

  it("turns a message fault the failure does not need back into the delivery it replaced", () => {
    // The bug needs the message handled (delivered or lost) and a tick: the drop that was drawn
    // becomes the delivery it replaced, the simpler run.
    const system = automaton("handled", { copies: t.int(0, 1), handled: t.bool(), ticked: t.bool() })
      .start({ copies: 1, handled: false, ticked: false })
      .internal("deliver", {}, { kind: "deliver", details: () => ({ message: "m" }), pre: (s) => s.copies > 0, next: (s) => ({ ...s, copies: 0, handled: true }) })
      .internal("drop", {}, { kind: "fault", details: () => ({ fault: "drop", message: "m" }), pre: (s) => s.copies > 0, next: (s) => ({ ...s, copies: 0, handled: true }) })
      .internal("tick", {}, { pre: (s) => !s.ticked, next: (s) => ({ ...s, ticked: true }) });
    const properties = { calm: always((s: { handled: boolean; ticked: boolean }) => !(s.handled && s.ticked)) };
    const result = simulate({ automaton: system, properties, runs: 20, seed: 1, plan: parseFaultItems(["none", "drop=1"]) });
    expect(result.failing!.choices.map((c) => c.action.name).sort()).toEqual(["drop", "tick"]);
    expect(result.shrunk!.run.choices.map((c) => c.action.name).sort()).toEqual(["deliver", "tick"]);
  });
});
