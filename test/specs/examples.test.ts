import { describe, expect, it } from "vitest";
import { formatAction, instantiate, walk, type Invariant, type Goal, type QuiescentProperty } from "../../ioa/index.ts";
import alternatingBit from "../../specs/examples/alternating-bit.ts";
import fifoChannel from "../../specs/examples/fifo-channel.ts";
import lossyChannel from "../../specs/examples/lossy-channel.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { naiveSearch } from "../support/naive-search.ts";

describe("two-phase", () => {
  // Distinct states / states generated, as TLC, Spin and Murphi report them.
  for (const [rms, distinct, generated] of [
    [3, 288, 1146],
    [4, 1568, 8258],
  ] as const) {
    it(`has ${distinct} reachable states with ${rms} RMs, all consistent`, () => {
      const m = instantiate(twoPhase, { rms });
      const result = naiveSearch(m.automaton);
      expect(result.states).toHaveLength(distinct);
      expect(result.generated).toBe(generated);
      const consistent = m.properties.consistent as Invariant<(typeof result.states)[number]>;
      expect(result.states.every((s) => consistent.holds(s))).toBe(true);
    });
  }

  it("reaches an inconsistent state when the TM commits on one prepared RM", () => {
    const m = instantiate(twoPhase, { rms: 3, commitOnAnyPrepared: true });
    const consistent = m.properties.consistent as Invariant<unknown>;
    const bad = naiveSearch(m.automaton, (s) => !consistent.holds(s)).states.find((s) => !consistent.holds(s));
    expect(bad).toBeDefined();
    expect(consistent.explain!(bad)).toMatch(/^RMs .* committed but .* aborted$/);
  });
});

describe("alternating-bit", () => {
  it("delivers a prefix of what was sent in every reachable state", () => {
    const m = instantiate(alternatingBit);
    const { states } = naiveSearch(m.automaton);
    expect(states.length).toBeGreaterThan(1000);
    expect(states.every((s) => (m.properties.prefix as Invariant<unknown>).holds(s))).toBe(true);
    expect(states.some((s) => (m.properties.allDelivered as Goal<unknown>).holds(s))).toBe(true);
  });

  it("delivers a message twice when the receiver ignores the bit", () => {
    const m = instantiate(alternatingBit, { receiverIgnoresBit: true });
    const prefix = m.properties.prefix as Invariant<unknown>;
    const { states } = naiveSearch(m.automaton, (s) => !prefix.holds(s));
    expect(states.some((s) => !prefix.holds(s))).toBe(true);
  });
});

describe("channels", () => {
  it("fifo-channel delivers in order and, at quiescence, everything", () => {
    const m = instantiate(fifoChannel, { messages: 3 });
    const { states, quiescent } = naiveSearch(m.automaton);
    expect(states.every((s) => (m.properties.fifo as Invariant<unknown>).holds(s))).toBe(true);
    expect(quiescent.length).toBeGreaterThan(0);
    expect(quiescent.every((s) => (m.properties.allReceived as QuiescentProperty<unknown>).holds(s))).toBe(true);
  });

  it("lossy-channel can duplicate and reorder, but never invents a message", () => {
    const m = instantiate(lossyChannel);
    const { states } = naiveSearch(m.automaton);
    expect(states.every((s) => (m.properties.integrity as Invariant<unknown>).holds(s))).toBe(true);
    expect(states.some((s) => (m.properties.duplicated as Goal<unknown>).holds(s))).toBe(true);
    expect(states.some((s) => (m.properties.reordered as Goal<unknown>).holds(s))).toBe(true);
    const none = instantiate(lossyChannel, { duplicates: 0, reorders: 0 });
    const calm = naiveSearch(none.automaton).states;
    expect(calm.some((s) => (none.properties.duplicated as Goal<unknown>).holds(s))).toBe(false);
  });
});

describe("walks", () => {
  it("are reproducible from their seed", () => {
    const m = instantiate(alternatingBit);
    const a = walk(m.automaton, { steps: 50, seed: 42 });
    const b = walk(m.automaton, { steps: 50, seed: 42 });
    const c = walk(m.automaton, { steps: 50, seed: 43 });
    expect(b.actions.map((x) => formatAction(x))).toEqual(a.actions.map((x) => formatAction(x)));
    expect(c.actions.map((x) => formatAction(x))).not.toEqual(a.actions.map((x) => formatAction(x)));
  });

  it("stop when nothing is enabled", () => {
    const run = walk(instantiate(fifoChannel, { messages: 2 }).automaton, { steps: 100, seed: 1 });
    expect(run.ended).toBe("quiescent");
    expect(run.actions).toHaveLength(4);
  });
});
