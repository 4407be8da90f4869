import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  automaton,
  enabledActions,
  everyTransition,
  formatAction,
  instantiate,
  ISet,
  replay,
  t,
  traceMonitor,
  valuesEqual,
  Violation,
  withProperties,
  type Action,
  type Value,
} from "../../ioa/index.ts";
import { prioritize } from "../../layers/priority.ts";
import alternatingBit from "../../specs/examples/alternating-bit.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";
import { MODEL_ERROR } from "../../simulator/properties.ts";
import { Simulation, type Run } from "../../simulator/run.ts";
import ping from "../support/ping-network.ts";

function simulation(model: Parameters<typeof instantiate>[0], params: Record<string, number | boolean> = {}, faults: string[] = [], steps = 300) {
  const { automaton, properties } = instantiate(model, params);
  return new Simulation({ automaton, properties, plan: parseFaultItems(faults), steps });
}

const lines = <S, A extends Action>(run: Run<S, A>) => run.choices.map((c) => `${c.time} ${formatAction(c.action)} ${c.cause}`);

describe("a run", () => {
  const sims = [simulation(ping, { retransmit: 10, processes: 4, casts: 2, drops: 2 }, ["crash=0.02,recover=0.05,partition=0.02"]), simulation(alternatingBit)];

  it("is the same for the same seed, and differs for another", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sims), fc.integer(), (sim, seed) => {
        const [a, b, c] = [sim.run(seed), sim.run(seed), sim.run(seed + 1)];
        expect(lines(b)).toEqual(lines(a));
        expect(valuesEqual(b.execution.states.at(-1) as Value, a.execution.states.at(-1) as Value)).toBe(true);
        expect(lines(c)).not.toEqual(lines(a));
      }),
      { numRuns: 15 },
    );
  });

  it("replays from its recorded choices, taking every one of them, and the kernel replays its actions", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sims), fc.integer(), (sim, seed) => {
        const run = sim.run(seed);
        const again = sim.replay(run.execution.states[0]!, run.choices, seed);
        expect(lines(again)).toEqual(lines(run));
        expect(again.ended).toBe(run.ended);
        expect(again.failure).toEqual(run.failure);
        expect(replay(sim.automaton, run.execution.actions).ok).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps virtual time: never backwards, deliveries no sooner than the latency after the send, timers no sooner than their delay", () => {
    const latency = 7;
    const delay = 25;
    const sim = simulation(ping, { retransmit: delay, processes: 3, casts: 2, drops: 2 }, [`latency=constant(${latency})`, "reorder=1"]);
    for (let seed = 0; seed < 40; seed++) {
      const run = sim.run(seed);
      const times = run.choices.map((c) => c.time);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      run.execution.actions.forEach((a, j) => {
        const since = enabledSince(sim, run, j);
        if (a.name === "deliver") expect(times[j]! - since).toBeGreaterThanOrEqual(latency);
        if (a.name === "retransmit") expect(times[j]! - since).toBeGreaterThanOrEqual(delay);
      });
    }
  });

  it("counts a delivery's latency from its send: a busy process's urgent outputs hide it for a moment, they do not restart it", () => {
    // Process 0 sends one message; process 1 chatters without end, each thought followed by an
    // urgent output that preempts everything. Were the latency restarted by each output, the
    // message would wait for a silence of 5 ms that never comes.
    const latency = 5;
    const chatter = automaton("chatter", { sent: t.bool(), inFlight: t.bool(), arrived: t.bool(), saying: t.bool() })
      .start({ sent: false, inFlight: false, arrived: false, saying: false })
      .output("send", {}, { pre: (s) => !s.sent, next: (s) => ({ ...s, sent: true, inFlight: true }) })
      .output("arrive", {}, { kind: "deliver", pre: (s) => s.inFlight, next: (s) => ({ ...s, inFlight: false, arrived: true }) })
      .output("think", {}, { pre: (s) => s.sent && !s.saying, next: (s) => ({ ...s, saying: true }) })
      .output("say", {}, { pre: (s) => s.saying, next: (s) => ({ ...s, saying: false }) });
    const sim = new Simulation({ automaton: prioritize(chatter, { urgent: ["say"] }), plan: parseFaultItems(["none", `latency=constant(${latency})`]), steps: 200 });
    for (let seed = 0; seed < 20; seed++) {
      const run = sim.run(seed);
      const at = (name: string) => run.choices.find((c) => c.action.name === name)?.time;
      expect(at("arrive"), `seed ${seed}`).toBeDefined();
      expect(at("arrive")! - at("send")!).toBeGreaterThanOrEqual(latency);
      expect(at("arrive")! - at("send")!).toBeLessThan(latency + 40);
    }
  });

  it("delivers each channel in order unless reordering is allowed", () => {
    const outOfOrder = (faults: string[]) => {
      const sim = simulation(ping, { processes: 2, casts: 4, drops: 0, duplicates: 0, crashes: 0, partitions: 0 }, ["none", ...faults]);
      let count = 0;
      for (let seed = 0; seed < 40; seed++) {
        const seqs = sim.run(seed).execution.actions.flatMap((a) => (a.name === "deliver" && a.p === 1 ? [a.seq as number] : []));
        if (seqs.some((s, i) => i > 0 && s < seqs[i - 1]!)) count++;
      }
      return count;
    };
    expect(outOfOrder([])).toBe(0);
    expect(outOfOrder(["reorder=1", "latency=uniform(1,30)"])).toBeGreaterThan(5);
  });

  it("ends quiescent when nothing but faults is enabled, and judges the quiescent properties there", () => {
    const calm = simulation(ping, { processes: 3, casts: 2 }, ["none"]);
    for (let seed = 0; seed < 20; seed++) {
      const run = calm.run(seed);
      expect(run.ended).toBe("quiescent");
      expect(enabledActions(calm.automaton, run.execution.states.at(-1)!).every((a) => calm.kindOf(a) === "fault")).toBe(true);
    }
    const lossy = simulation(ping, { processes: 3, casts: 1, drops: 1 }, ["none", "drop=1"]);
    const run = lossy.run(1);
    expect(run.ended).toBe("violation");
    expect(run.failure).toMatchObject({ property: "allDelivered", kind: "quiescent", step: run.execution.actions.length });
  });

  it("settles a replay in the order things became possible: the action enabled longest first", () => {
    // A bag of messages, delivered in any order; its enabled list is in value order, not arrival order.
    const bag = automaton("bag", { sent: t.int(0, 3), bag: t.set(t.int(0, 9)), got: t.array(t.int(0, 9)) })
      .start({ sent: 0, bag: ISet.empty(), got: [] })
      .internal("send", {}, { pre: (s) => s.sent < 3, next: (s) => ({ ...s, sent: s.sent + 1, bag: s.bag.add(9 - 3 * s.sent) }) })
      .internal("deliver", { m: t.int(0, 9) }, { kind: "deliver", enabled: (s) => s.bag.toArray().map((m) => ({ m })), next: (s, { m }) => ({ ...s, bag: s.bag.delete(m), got: [...s.got, m] }) });
    const sim = new Simulation({ automaton: bag, plan: parseFaultItems(["none"]) });
    const settled = sim.replay(bag.startStates()[0]!, [], 0, { settle: true });
    expect(settled.ended).toBe("quiescent");
    expect(settled.execution.states.at(-1)!.got).toEqual([9, 6, 3]);
    expect(settled.choices.every((c) => c.cause === "settle")).toBe(true);
  });

  it("checks trace monitors on external actions and transition properties on every step", () => {
    const counter = automaton("counter", { n: t.int(0, 9) })
      .start({ n: 0 })
      .output("tick", {}, { pre: (s) => s.n < 9, next: (s) => ({ n: s.n + 1 }) })
      .internal("skip", {}, { pre: (s) => s.n === 4, next: (s) => ({ n: s.n + 2 }) });
    const monitored = withProperties(counter, {
      fewTicks: traceMonitor<Action>({ start: 0, step: (m, a) => (a.name !== "tick" ? new Violation("an internal action reached the monitor") : (m as number) >= 6 ? new Violation("a seventh tick") : (m as number) + 1) }),
    });
    const byMonitor = new Simulation({ ...monitored, plan: parseFaultItems(["none"]) }).run(3);
    expect(byMonitor.failure).toMatchObject({ property: "fewTicks", kind: "trace", message: "tick: a seventh tick" });
    const byTransition = new Simulation(
      withProperties(counter, {
        smallSteps: everyTransition((before, _a, after) => (after.n - before.n > 1 ? new Violation(`jumped from ${before.n} to ${after.n}`) : undefined)),
      }),
    );
    const jumps = [...Array(20).keys()].map((seed) => byTransition.run(seed)).filter((r) => r.failure);
    expect(jumps.length).toBeGreaterThan(0);
    expect(jumps[0]!.failure).toMatchObject({ property: "smallSteps", kind: "transition", message: "skip: jumped from 4 to 6" });
  });

  it("reports an exception thrown by the model as a failure naming the action", () => {
    const broken = automaton("broken", { n: t.int(0, 5) })
      .start({ n: 0 })
      .internal("inc", {}, {
        pre: (s) => s.n < 5,
        next: (s) => {
          if (s.n === 3) throw new Error("three is unlucky");
          return { n: s.n + 1 };
        },
      });
    const run = new Simulation({ automaton: broken }).run(0);
    expect(run.failure).toEqual({ property: MODEL_ERROR, kind: "error", step: 4, message: "inc threw: three is unlucky" });
    expect(run.execution.actions).toHaveLength(3);
  });
});

/** The virtual time at which action j's action became enabled and stayed so, found with the kernel alone. */
function enabledSince<S, A extends Action>(sim: Simulation<S, A>, run: Run<S, A>, j: number): number {
  const a = run.execution.actions[j]!;
  let i = j;
  while (i > 0 && enabledActions(sim.automaton, run.execution.states[i - 1]!).some((b) => valuesEqual(b, a)) && !valuesEqual(run.execution.actions[i - 1]!, a)) i--;
  return i === 0 ? 0 : run.choices[i - 1]!.time;
}
