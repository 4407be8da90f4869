import { describe, expect, it } from "vitest";
import { atQuiescence, automaton, t, withProperties } from "../../ioa/index.ts";
import { check } from "../../checker/check.ts";
import { parseFaultItems, Simulation } from "../../simulator/index.ts";

// A worker with `jobs` jobs to do and a heartbeat that never stops. With `forgetful`, it drops the
// last job instead of doing it.
function worker(jobs: number, forgetful = false) {
  const system = automaton("worker", { left: t.int(0), done: t.int(0), beats: t.int(0, 1) })
    .start({ left: jobs, done: 0, beats: 0 })
    .internal("work", {}, {
      pre: (s) => s.left > 0,
      next: (s) => ({ left: s.left - 1, done: s.done + (forgetful && s.left === 1 ? 0 : 1), beats: s.beats }),
    })
    .internal("beat", {}, { kind: "timer", background: true, details: () => ({ delay: 10 }), next: (s) => ({ ...s, beats: 1 - s.beats }) });
  return withProperties(system, {
    allDone: atQuiescence((s) => s.done === jobs, "once only the heartbeat goes on, every job is done"),
  });
}

describe("background actions", () => {
  const options = { maxStates: 1000 };

  it("do not keep the checker from judging quiescence, and a state where only they are enabled is no deadlock", async () => {
    const good = await check(worker(2), { ...options, deadlock: true });
    expect(good.verdict).toBe("holds");
    const bad = await check(worker(2, true), options);
    expect(bad.verdict).toBe("violated");
    expect(bad.violation?.property).toBe("allDone");
  });

  it("do not keep a simulated run from ending quiescent, and quiescence properties are judged there", () => {
    const runs = (forgetful: boolean) => {
      const built = worker(3, forgetful);
      return new Simulation({ ...built, plan: parseFaultItems(["none"]), steps: 10_000 });
    };
    const clean = runs(false).run(1);
    expect(clean.ended).toBe("quiescent");
    expect(clean.choices.length).toBeLessThan(100);
    const broken = runs(true).run(1);
    expect(broken.ended).toBe("violation");
    expect(broken.failure?.property).toBe("allDone");
  });
});
