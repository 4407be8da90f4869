import { describe, expect, it } from "vitest";
import { admitsTrace, automaton, compose, hide, replay, replayExecution, t, traceOf, walk } from "../../ioa/index.ts";
import abp from "../../specs/examples/alternating-bit.ts";
import { instantiate } from "../../ioa/index.ts";

describe("replay", () => {
  const system = instantiate(abp, { messages: 2 }).automaton;

  it("replays random walks of the alternating-bit composition", () => {
    for (let seed = 0; seed < 200; seed++) {
      const run = walk(system, { steps: 60, seed });
      const result = replayExecution(system, run);
      expect(result.ok, `seed ${seed}`).toBe(true);
    }
  });

  it("rejects a corrupted execution at the failing step, saying why", () => {
    const run = walk(system, { steps: 40, seed: 7 });
    const i = run.actions.findIndex((a) => a.name === "deliver");
    expect(i).toBeGreaterThan(0);
    const corrupted = [...run.actions];
    corrupted[i] = { ...run.actions[i]!, m: "forged" } as never;
    const result = replay(system, corrupted);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.step).toBe(i);
    expect(result.reason).toBe('receiver: it is not enabled (enabled deliver actions: deliver(m: "m1"))');
    expect(result.execution.states).toHaveLength(i + 1);
  });

  it("names an action that is not in the signature", () => {
    const result = replay(system, [{ name: "teleport" } as never]);
    expect(result.ok ? "" : `${result.step}: ${result.reason}`).toBe("0: teleport is not an action of alternating-bit");
  });

  it("catches a recorded state that differs from the one reached", () => {
    const run = walk(system, { steps: 10, seed: 1 });
    const states = [...run.states];
    states[3] = { ...states[3]!, sender: { next: 9, bit: 0 } };
    const result = replayExecution(system, { states, actions: run.actions });
    expect(result.ok ? "" : `${result.step}: ${result.reason}`).toMatch(/^2: the recorded state after it differs from the one reached: state\.sender\.next: 9 → \d/);
  });

  it("reports an effect that makes an invalid state", () => {
    const broken = automaton("broken", { n: t.int(0, 1) }).start({ n: 0 }).output("bump", {}, { next: (s) => ({ n: s.n + 5 }) });
    const result = replay(broken, [{ name: "bump" }]);
    expect(result.ok ? "" : result.reason).toBe("its effect makes an invalid state: state.n should be an integer in 0..1, but is 5");
  });
});

describe("traces", () => {
  const Msg = t.string();
  const relay = automaton("relay", { held: t.array(Msg), out: t.array(Msg) })
    .start({ held: [], out: [] })
    .input("put", { m: Msg }, (s, { m }) => void s.held.push(m))
    .internal("move", {}, { pre: (s) => s.held.length > 0, effect: (s) => void s.out.push(s.held.shift()!) })
    .output("get", { m: Msg }, { enabled: (s) => s.out.slice(0, 1).map((m) => ({ m })), effect: (s) => void s.out.shift() });

  it("are the external actions of an execution", () => {
    const run = replay(relay, [{ name: "put", m: "x" }, { name: "move" }, { name: "get", m: "x" }]);
    expect(run.ok && traceOf(relay, run.execution).map((a) => a.name)).toEqual(["put", "get"]);
  });

  it("are admitted when internal actions can fill the gaps", () => {
    expect(admitsTrace(relay, [{ name: "put", m: "x" }, { name: "put", m: "y" }, { name: "get", m: "x" }, { name: "get", m: "y" }]).ok).toBe(true);
  });

  it("are refused at the first external action no reachable state allows", () => {
    const result = admitsTrace(relay, [{ name: "put", m: "x" }, { name: "get", m: "y" }]);
    expect(result.ok ? "" : `${result.step}: ${result.reason}`).toBe('1: it is not enabled (enabled get actions: none)');
    const hidden = hide(compose("c", { relay }), ["get"]);
    const internal = admitsTrace(hidden, [{ name: "get", m: "x" }]);
    expect(internal.ok ? "" : internal.reason).toBe("it is an internal action, not part of a trace");
  });
});
