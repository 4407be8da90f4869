import { describe, expect, it } from "vitest";
import { automaton, t } from "../../ioa/index.ts";
import { RememberedSteps, rememberingSteps } from "../../ioa/remembered-steps.ts";

const counter = automaton("counter", t.record({ n: t.int(0, 9) }))
  .start({ n: 0 })
  .input("add", { k: t.int(0, 3) }, { next: (s, { k }) => ({ n: Math.min(9, s.n + k) }) });

describe("remembered steps", () => {
  it("give back the very state a step gave, for each state the action was taken in", () => {
    const counted = rememberingSteps(counter);
    const add = { name: "add", k: 2 } as const;
    const [zero] = counted.startStates();
    const two = counted.step(zero!, add);
    const four = counted.step(two, add);
    expect(four).toEqual({ n: 4 });
    expect(counted.step(zero!, add)).toBe(two);
    expect(counted.step(two, add)).toBe(four);
    // An equal state that is another object is stepped anew (steps are remembered by object).
    expect(counted.step({ n: 0 }, add)).not.toBe(two);
    expect(counted.step({ n: 0 }, add)).toEqual(two);
  });

  it("are kept apart for two automata taking the same action, and leave the action's value alone", () => {
    const [a, b] = [new RememberedSteps<object>(), new RememberedSteps<object>()];
    const action = { name: "arrive", p: 0 };
    const from = {};
    a.set(action, from, { by: "a" });
    b.set(action, from, { by: "b" });
    expect(a.get(action, from)).toEqual({ by: "a" });
    expect(b.get(action, from)).toEqual({ by: "b" });
    expect(action).toEqual({ name: "arrive", p: 0 });
    expect(JSON.stringify(action)).toBe('{"name":"arrive","p":0}');
    const frozen = Object.freeze({ name: "arrive", p: 0 });
    a.set(frozen, from, { by: "a" });
    expect(a.get(frozen, from)).toBeUndefined();
  });
});
