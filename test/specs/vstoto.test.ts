import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { instantiate, walk, traceOf } from "../../ioa/index.ts";
import vstoto from "../../specs/examples/vstoto.ts";
import { isGroupAction } from "../../specs/group.ts";
import { services } from "../../specs/services.ts";
import { violated } from "../support/group-traces.ts";
import { productSearch } from "../support/product-search.ts";

describe("VStoTO over VS", () => {
  // Distinct states and (state, monitor states) pairs, checked against the TO checker and every
  // catalogue property TO promises; the README quotes these figures.
  for (const [params, states, product] of [
    [{ processes: 2, senders: 2, messages: 1, scenario: "partition" }, 11_917, 15_147],
    [{ processes: 2, senders: 1, messages: 2, scenario: "partition" }, 6_140, 6_140],
    [{ processes: 3, senders: 1, messages: 1, scenario: "partition" }, 27_163, 27_163],
  ] as const) {
    it(`implements TO: every trace of ${JSON.stringify(params)} is a TO trace (exhaustive)`, async () => {
      const result = productSearch(instantiate(vstoto, params));
      expect(result.violation).toBeUndefined();
      expect(result.states).toBe(states);
      expect(result.productStates).toBe(product);
      if (params.processes === 2 && params.senders === 2) expect((await check(instantiate(vstoto, params))).distinctStates).toBe(product);
    });
  }

  it("is caught when it confirms labels before they are safe: a process left behind delivers a value the others never order first", () => {
    const broken = instantiate(vstoto, { processes: 3, senders: 2, messages: 1, scenario: "partition", confirmsUnsafe: true });
    const { violation } = productSearch(broken, { order: "dfs" });
    expect(violation?.property).toBe("to");
    expect(violation?.message).toMatch(/^p\d delivers message 1 of p\d as its 1st message in view 0, but message 1 of p\d was delivered 1st there before/);
    const correct = instantiate(vstoto, { processes: 3, senders: 2, messages: 1, scenario: "partition" });
    expect(productSearch(correct, { order: "dfs", limit: 10_000 }).violation).toBeUndefined();
  });

  it("has random walks, with partitions and merges, whose traces pass TO validation", () => {
    const instance = instantiate(vstoto, { processes: 3, senders: 3, messages: 1, scenario: "partition-merge" });
    for (let seed = 0; seed < 300; seed++) {
      const run = walk(instance.automaton, { steps: 80, seed, validate: false });
      const trace = traceOf(instance.automaton, run).filter(isGroupAction);
      expect(violated(services.to, trace, 3), `seed ${seed}`).toEqual([]);
    }
  });
});
