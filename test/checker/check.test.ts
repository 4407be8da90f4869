import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import {
  always,
  atQuiescence,
  compose,
  everyTransition,
  instantiate,
  range,
  replayExecution,
  sometimes,
  t,
  traceMonitor,
  typedFingerprintInto,
  Violation,
  withProperties,
  type Action,
  type Automaton,
  type Invariant,
  type Value,
} from "../../ioa/index.ts";
import alternatingBit from "../../specs/examples/alternating-bit.ts";
import fifoChannel, { client } from "../../specs/examples/fifo-channel.ts";
import { lossyChannel } from "../../specs/examples/lossy-channel.ts";
import lossyChannelModel from "../../specs/examples/lossy-channel.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { naiveSearch } from "../support/naive-search.ts";
import { build, systemArb } from "../support/random-automata.ts";

describe("two-phase state counts agree with TLC, Spin and Murphi", () => {
  for (const [rms, distinct, generated, depth] of [
    [3, 288, 1146, 10],
    [4, 1568, 8258, 13],
    [5, 8832, 58146, 16],
    [6, 50816, 402306, 19],
  ] as const) {
    it(`${rms} RMs: ${distinct} distinct states, ${generated} generated`, async () => {
      const r = await check(instantiate(twoPhase, { rms }));
      expect(r.verdict).toBe("holds");
      expect(r.distinctStates).toBe(distinct);
      expect(r.generatedStates).toBe(generated);
      // TLC counts states along the path, so its depth is one more (11, 14, 17, 20).
      expect(r.maxDepth).toBe(depth);
    });
  }

  it("depth-first search finds the same states", async () => {
    const r = await check(instantiate(twoPhase, { rms: 4 }), { dfs: true });
    expect([r.distinctStates, r.generatedStates]).toEqual([1568, 8258]);
  });
});

describe("counterexamples", () => {
  it("the TM committing on one prepared RM breaks consistency in 5 steps, and the counterexample replays", async () => {
    const m = instantiate(twoPhase, { rms: 3, commitOnAnyPrepared: true });
    const r = await check(m);
    expect(r.verdict).toBe("violated");
    const v = r.violation!;
    expect(v.property).toBe("consistent");
    expect(v.message).toMatch(/^RMs \d committed but \d aborted$/);
    const cex = v.counterexample!;
    expect(cex.actions).toHaveLength(5);
    expect(replayExecution(m.automaton, cex).ok).toBe(true);
    const consistent = m.properties.consistent as Invariant<unknown>;
    expect(cex.states.slice(0, -1).every((s) => consistent.holds(s))).toBe(true);
    expect(consistent.holds(cex.states.at(-1))).toBe(false);
  });

  it("the alternating-bit protocol holds, and a receiver that ignores the bit is caught", async () => {
    const good = await check(instantiate(alternatingBit));
    expect(good.verdict).toBe("holds");
    expect(good.goals[0]!.witness).toBeDefined();
    const m = instantiate(alternatingBit, { receiverIgnoresBit: true });
    const bad = await check(m);
    expect(bad.violation?.property).toBe("prefix");
    // Send, send again (a retransmission), and the receiver accepts both copies.
    expect(bad.violation!.counterexample!.actions.map((a) => a.name).sort()).toEqual(["receiveData", "receiveData", "sendData", "sendData"]);
    expect(replayExecution(m.automaton, bad.violation!.counterexample!).ok).toBe(true);
  });

  it("depth-first counterexamples are real executions too", async () => {
    const m = instantiate(twoPhase, { rms: 4, commitOnAnyPrepared: true });
    const r = await check(m, { dfs: true });
    expect(r.verdict).toBe("violated");
    expect(replayExecution(m.automaton, r.violation!.counterexample!).ok).toBe(true);
  });
});

describe("the checker against a naive search on random automata", () => {
  it("finds every reachable state, and a shortest violation whenever one exists", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, fc.integer({ min: 0, max: 26 }), async ([sa, sb, sc], bad) => {
        const system = compose("S", { A: build("A", sa!), B: build("B", sb!), C: build("C", sc!) });
        const code = (s: { A: { x: number }; B: { x: number }; C: { x: number } }) => s.A.x * 9 + s.B.x * 3 + s.C.x;
        const naive = naiveSearch(system);
        const counted = await check(withProperties(system, {}));
        expect(counted.distinctStates).toBe(naive.states.length);
        expect(counted.generatedStates).toBe(naive.generated);
        const r = await check(withProperties(system, { avoid: always((s) => code(s) !== bad) }));
        const reachable = naive.states.some((s) => code(s) === bad);
        expect(r.verdict).toBe(reachable ? "violated" : "holds");
        if (!reachable) return;
        const cex = r.violation!.counterexample!;
        expect(replayExecution(system, cex).ok).toBe(true);
        expect(code(cex.states.at(-1)!)).toBe(bad);
        expect(cex.actions.length).toBe(bfsDistance(system, (s) => code(s) === bad));
      }),
      { numRuns: 150 },
    );
  });
});

function bfsDistance<S>(automaton: Automaton<S, Action>, target: (s: S) => boolean): number {
  const seen = new Set<string>();
  let level = [...automaton.startStates()];
  for (let d = 0; level.length > 0; d++) {
    if (level.some(target)) return d;
    const next: S[] = [];
    for (const s of level) {
      const out: Action[] = [];
      automaton.enabled(s, out);
      for (const a of out) {
        const n = automaton.step(s, a);
        const key = JSON.stringify(n);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(n);
        }
      }
    }
    level = next;
  }
  return -1;
}

describe("symmetry reduction", () => {
  /** The exact number of orbits: each reachable state mapped to its least image over all permutations. */
  function orbits(rms: number): number {
    const m = instantiate(twoPhase, { rms });
    const type = m.automaton.stateType;
    const perms = permutations(range(rms));
    const out = new Int32Array(2);
    const canonical = new Set<string>();
    for (const s of naiveSearch(m.automaton).states) {
      const images = perms.map((p) => {
        typedFingerprintInto(type, type.mapIds(s, (_, id) => p[id]!), out, 0);
        return `${(out[0]! >>> 0).toString(16).padStart(8, "0")}${(out[1]! >>> 0).toString(16).padStart(8, "0")}`;
      });
      canonical.add(images.sort()[0]!);
    }
    return canonical.size;
  }

  function permutations(xs: number[]): number[][] {
    if (xs.length <= 1) return [xs];
    return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  }

  // Five RMs also agree (314 orbits) but take a brute-force quarter of a minute: see bench/checker.ts.
  for (const rms of [3, 4]) {
    it(`stores exactly one state per orbit for two-phase with ${rms} RMs`, async () => {
      const r = await check(instantiate(twoPhase, { rms }), { symmetry: true });
      expect(r.verdict).toBe("holds");
      expect(r.distinctStates).toBe(orbits(rms));
    });
  }

  it("still finds the bug, with a counterexample that replays on the unreduced model", async () => {
    const m = instantiate(twoPhase, { rms: 5, commitOnAnyPrepared: true });
    const r = await check(m, { symmetry: true });
    expect(r.violation?.property).toBe("consistent");
    expect(r.violation!.counterexample!.actions).toHaveLength(5);
    expect(replayExecution(m.automaton, r.violation!.counterexample!).ok).toBe(true);
  });

  it("needs ids to permute, and refuses untyped monitors", async () => {
    await expect(check(instantiate(fifoChannel), { symmetry: true })).rejects.toThrowError("the model's state has no interchangeable ids");
    const monitored = { automaton: instantiate(twoPhase).automaton, properties: { m: traceMonitor({ start: 0, step: (n: Value) => n }) } };
    await expect(check(monitored, { symmetry: true })).rejects.toThrowError(
      "--symmetry cannot rename the states of the trace monitor m: it is untyped (a monitor declares the type of its states as Monitor.type, its process ids with the model's t.ids); check without --symmetry, or without that property (--property)",
    );
  });
});

describe("properties of every kind", () => {
  it("trace monitors follow external actions and report the action that breaks them", async () => {
    // The monitor expects the client to receive exactly what it sent, in order: true of a FIFO
    // channel, false of a lossy one.
    const inOrder = traceMonitor<Action>({
      start: { sent: [] as string[], got: 0 },
      step: (m, a) => {
        const { sent, got } = m as { sent: string[]; got: number };
        if (a.name === "send") return { sent: [...sent, a.m as string], got };
        if (a.name === "receive") return sent[got] === a.m ? { sent, got: got + 1 } : new Violation(`received ${String(a.m)} where ${sent[got] ?? "nothing"} was due`);
        return m;
      },
    });
    const reliable = instantiate(fifoChannel, { messages: 3 });
    expect((await check({ automaton: reliable.automaton, properties: { inOrder } })).verdict).toBe("holds");
    const lossy = instantiate(lossyChannelModel, { messages: 2, drops: 0, duplicates: 0, reorders: 1 });
    const r = await check({ automaton: lossy.automaton, properties: { inOrder } });
    expect(r.violation?.kind).toBe("trace");
    expect(r.violation!.message).toBe("received m2 where m1 was due");
    expect(r.violation!.counterexample!.actions.map((a) => a.name)).toEqual(["send", "send", "receive"]);
  });

  it("quiescence properties are judged where nothing is enabled", async () => {
    const system = compose("lossy", { client: client(2), channel: lossyChannel("channel", t.string(), { capacity: 2, drops: 1, duplicates: 0, reorders: 0 }) });
    const allReceived = atQuiescence<typeof system extends Automaton<infer S, Action> ? S : never>(
      (s) => s.client.received.length === 2,
      "every message is received",
      (s) => `only ${s.client.received.length} of 2 received`,
    );
    const r = await check({ automaton: system, properties: { allReceived } });
    expect(r.violation).toMatchObject({ property: "allReceived", kind: "quiescent", message: "only 1 of 2 received" });
    expect(r.violation!.counterexample!.actions.map((a) => a.name).sort()).toEqual(["drop", "receive", "send", "send"]);
  });

  it("transition properties judge every transition", async () => {
    const m = instantiate(twoPhase, { rms: 3 });
    const noLateAbort = everyTransition((before: { tmState: string }, a: Action, after: { tmState: string }) =>
      a.name === "RMChooseToAbort" && before.tmState === "done" && after.tmState === "done" ? new Violation("an RM chose to abort after the TM decided") : undefined,
    );
    const r = await check({ automaton: m.automaton, properties: { noLateAbort } });
    expect(r.violation).toMatchObject({ property: "noLateAbort", kind: "transition" });
    expect(r.violation!.counterexample!.actions.map((a) => a.name)).toEqual(["TMAbort", "RMChooseToAbort"]);
  });

  it("goals are reported with a witness, and as a failure when a complete search never reaches them", async () => {
    const m = instantiate(twoPhase, { rms: 3 });
    const allCommitted = sometimes((s: { rmState: string[] }) => s.rmState.every((x) => x === "committed"));
    const never = sometimes((s: { rmState: string[] }) => s.rmState.includes("committed") && s.rmState.includes("aborted"), "an inconsistent state");
    const r = await check({ automaton: m.automaton, properties: { allCommitted, never } });
    expect(r.goals[0]!.witness!.actions).toHaveLength(3 * 3 + 1);
    expect(r.violation).toMatchObject({ property: "never", kind: "sometimes", message: "never reached in 288 distinct states (an inconsistent state)" });
  });

  it("deadlocks are reported when asked", async () => {
    const m = instantiate(fifoChannel, { messages: 1 });
    const r = await check(m, { deadlock: true });
    expect(r.violation).toMatchObject({ property: "deadlock", kind: "deadlock" });
    expect(r.violation!.counterexample!.actions.map((a) => a.name)).toEqual(["send", "receive"]);
    expect((await check(m)).verdict).toBe("holds");
  });

  it("only the properties asked for are checked, and an unknown one is an error", async () => {
    const m = instantiate(twoPhase, { commitOnAnyPrepared: true });
    expect((await check(m, { only: [] })).verdict).toBe("holds");
    await expect(check(m, { only: ["consistnt"] })).rejects.toThrowError('no property "consistnt"; the model\'s properties are consistent');
  });
});

describe("bounds", () => {
  it("stop the search cleanly and say why", async () => {
    const m = instantiate(twoPhase, { rms: 5 });
    expect(await check(m, { maxStates: 1000 })).toMatchObject({ verdict: "holds", stopped: "max-states", distinctStates: 1000 });
    const deep = await check(m, { maxDepth: 3 });
    expect(deep).toMatchObject({ stopped: "max-depth", maxDepth: 3 });
    expect((await check(m, { maxDepth: 3, dfs: true })).stopped).toBe("max-depth");
    const aborter = new AbortController();
    aborter.abort();
    expect((await check(instantiate(twoPhase, { rms: 7 }), { signal: aborter.signal })).stopped).toBe("interrupted");
  });

  it("a memory bound stops the search cleanly with an incomplete verdict and the states it covered", async () => {
    const r = await check(instantiate(twoPhase, { rms: 7 }), { memoryLimit: 1 });
    expect(r).toMatchObject({ verdict: "incomplete", stopped: "memory", violation: undefined });
    expect(r.distinctStates).toBeGreaterThan(0);
    expect(r.distinctStates).toBeLessThan(296_448);
    // A violation found before the bound is still a violation.
    expect((await check(instantiate(twoPhase, { rms: 3, commitOnAnyPrepared: true }), { memoryLimit: 1 })).verdict).toBe("violated");
  });

  it("a bounded search does not call an unreached goal a failure", async () => {
    const m = instantiate(twoPhase, { rms: 4 });
    const allCommitted = sometimes((s: { rmState: string[] }) => s.rmState.every((x) => x === "committed"));
    const r = await check({ automaton: m.automaton, properties: { allCommitted } }, { maxDepth: 2 });
    expect(r.verdict).toBe("holds");
    expect(r.goals[0]!.witness).toBeUndefined();
  });
});

describe("the checker and the example models agree with the naive search", () => {
  for (const [name, model] of [
    ["fifo-channel", fifoChannel],
    ["lossy-channel", lossyChannelModel],
    ["alternating-bit", alternatingBit],
  ] as const) {
    it(name, async () => {
      const m = instantiate(model as never);
      const r = await check({ automaton: m.automaton, properties: {} });
      const naive = naiveSearch(m.automaton);
      expect(r.distinctStates).toBe(naive.states.length);
      expect(r.generatedStates).toBe(naive.generated);
    });
  }
});
