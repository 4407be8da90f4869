// Symmetry reduction with trace monitors (checker/monitored-nodes.ts): a monitor that declares the
// type of its states is renamed with the processes, so the fifo stack judged by its service can be
// checked under --symmetry. Checked against a brute-force count of the orbits of the unreduced
// search's nodes, and against the unreduced verdicts.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { monitoredNodes } from "../../checker/monitored-nodes.ts";
import { planProperties } from "../../checker/properties.ts";
import { idRenamer } from "../../checker/rename-ids.ts";
import { instantiate, range, replayExecution, t, traceMonitor, typedFingerprinter, Violation, withProperties, type Action, type Automaton, type Model, type Properties, type Value } from "../../ioa/index.ts";
import fifo from "../../layers/models/fifo.ts";
import fifoService from "../../specs/examples/fifo-service.ts";
import membership from "../../specs/examples/membership.ts";

const SMALL = { processes: 2, casts: 1, drops: 1, duplicates: 1, service: true } as const;

/** The orbits of the nodes (state, monitors' states) a plain search reaches: each node keyed by the least fingerprint over every renaming. */
function bruteForceOrbits(instance: { automaton: unknown; properties: unknown }): number {
  const a = instance.automaton as Automaton<unknown, Action>;
  const plan = planProperties(instance.properties as Properties<unknown, Action>);
  const nodes = monitoredNodes(a.stateType, plan.monitors);
  const fingerprint = typedFingerprinter(nodes.type);
  const [set, n] = [...a.stateType.idSets][0]!;
  const rename = idRenamer(nodes.type, set);
  const renamings = permutations(range(n));
  const lanes = new Int32Array(2);
  const key = (node: unknown) => (fingerprint(node, lanes, 0), `${lanes[0]}:${lanes[1]}`);
  const advance = (monitors: readonly Value[], action: Action) =>
    a.roleOf(action) === "internal" ? monitors : monitors.map((m, i) => plan.monitors[i]!.property.step(m, action) as Value);
  let level = a.startStates().map((s) => nodes.node(s, plan.monitors.map((m) => m.property.start)));
  const seen = new Map(level.map((node) => [key(node), node]));
  while (level.length > 0) {
    const next: unknown[] = [];
    for (const node of level) {
      const { state, monitors } = nodes.split(node);
      const enabled: Action[] = [];
      a.enabled(state, enabled);
      for (const action of enabled) {
        const after = nodes.node(a.step(state, action), advance(monitors, action));
        if (!seen.has(key(after))) seen.set(key(after), after), next.push(after);
      }
    }
    level = next;
  }
  return new Set([...seen.values()].map((node) => renamings.map((r) => key(rename(node, r))).sort()[0])).size;
}

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Along random executions, each typed monitor's state fits its declared type. */
function statesFitTypes(instance: { automaton: unknown; properties: unknown }): void {
  const a = instance.automaton as Automaton<unknown, Action>;
  const plan = planProperties(instance.properties as Properties<unknown, Action>);
  expect(plan.monitors.every((m) => m.property.type !== undefined)).toBe(true);
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 120 }), (choices) => {
      let s: unknown = a.startStates()[0];
      let monitors = plan.monitors.map((m) => m.property.start);
      for (const choice of choices) {
        const enabled: Action[] = [];
        a.enabled(s, enabled);
        if (enabled.length === 0) break;
        const action = enabled[choice % enabled.length]!;
        s = a.step(s, action);
        if (a.roleOf(action) !== "internal") monitors = monitors.map((m, i) => plan.monitors[i]!.property.step(m, action) as Value);
        monitors.forEach((m, i) => expect(plan.monitors[i]!.property.type!.check(m, plan.monitors[i]!.name)).toBeUndefined());
      }
    }),
    { numRuns: 60 },
  );
}

describe("typed monitors", () => {
  it("the law: along any execution, each typed monitor's state fits its declared type (the fifo stack judged by its service; the membership service)", () => {
    statesFitTypes(instantiate(fifo, { processes: 3, casts: 2, drops: 2, duplicates: 1, service: true }));
    statesFitTypes(instantiate(membership));
  });
});

describe("symmetry reduction with typed trace monitors", () => {
  it("the fifo stack judged by its service: one node per orbit of (state, monitors' states), the unreduced verdicts", async () => {
    const instance = instantiate(fifo, SMALL);
    const plain = await check(instance, { liveness: false });
    const reduced = await check(instance, { symmetry: true, liveness: false });
    expect(plain.verdict).toBe("holds");
    expect(reduced.verdict).toBe("holds");
    expect(reduced.vacuous).toEqual(plain.vacuous);
    expect(reduced.distinctStates).toBe(bruteForceOrbits(instance));
    expect(reduced.distinctStates).toBeLessThan(plain.distinctStates);
  });

  it.each([
    ["the fifo service's own model", fifoService],
    ["the membership service (3 processes)", membership],
  ])("%s: one node per orbit", async (_, model) => {
    const instance = instantiate(model as Model);
    const reduced = await check(instance, { symmetry: true });
    expect(reduced.verdict).toBe("holds");
    expect(reduced.distinctStates).toBe(bruteForceOrbits(instance));
    expect(reduced.distinctStates).toBeLessThan((await check(instance)).distinctStates);
  });

  it("finds a planted bug the service's checker catches, with a counterexample that replays on the model", async () => {
    const instance = instantiate(fifo, { ...SMALL, casts: 2, bug: "delivers-out-of-order" });
    const plain = await check(instance, { liveness: false });
    const reduced = await check(instance, { symmetry: true, liveness: false });
    expect(reduced.violation?.property).toBe(plain.violation?.property);
    expect(reduced.violation!.counterexample!.actions).toHaveLength(plain.violation!.counterexample!.actions.length);
    expect(replayExecution(instance.automaton, reduced.violation!.counterexample!).ok).toBe(true);
  });

  it.each(["strong", "none"] as const)("judges liveness with the monitors as without symmetry (%s fairness); a lasso replays", async (fairness) => {
    const instance = instantiate(fifo, SMALL);
    const plain = await check(instance, { fairness, only: ["fifo", "eventuallyDelivered"] });
    const reduced = await check(instance, { fairness, only: ["fifo", "eventuallyDelivered"], symmetry: true });
    expect(reduced.liveness.map((l) => l.verdict)).toEqual(plain.liveness.map((l) => l.verdict));
    const lasso = reduced.liveness[0]!.counterexample;
    if (lasso) expect(replayExecution(instance.automaton, lasso).ok).toBe(true);
  });

  it("refuses a monitor whose type declares ids the state does not", async () => {
    const { automaton } = instantiate(fifo, SMALL);
    const Q = t.ids("Q", 2);
    const m = traceMonitor({ start: 0, step: (n: Value) => n, type: t.union(Q, t.literal(0)) as never });
    await expect(check(withProperties(automaton, { m }), { symmetry: true })).rejects.toThrowError("--symmetry: the trace monitor m declares ids Q (2 of them), which the model's state does not declare");
  });

  it("the audit refuses a typed monitor that tells the processes apart", async () => {
    const { automaton } = instantiate(fifo, SMALL);
    // Counts process 0's casts only, and says so in a type that names no process.
    const zeroCasts = traceMonitor({
      start: 0,
      type: t.int(0) as never,
      step: (n: Value, a: Action) => (a.name === "cast" && a.p === 0 ? (n as number) + 1 : n),
    });
    const fine = traceMonitor({ start: 0, type: t.int(0) as never, step: (n: Value, a: Action) => (a.name === "cast" ? (n as number) + 1 : n) });
    await expect(check(withProperties(automaton, { fine }), { symmetry: true })).resolves.toMatchObject({ verdict: "holds" });
    await expect(check(withProperties(automaton, { zeroCasts }), { symmetry: true })).rejects.toThrowError(/the model tells its ids apart, so symmetry reduction would be unsound: .*cast\(p: [01], msg: "m1"\) leads to a state whose renaming by swapping P 0 and 1 no action of the renamed state reaches/);
  });

  it("a monitor's rejection is compared by the monitor, not by its message (which names processes)", async () => {
    const { automaton } = instantiate(fifo, SMALL);
    const noCasts = traceMonitor({ start: 0, type: t.int(0) as never, step: (n: Value, a: Action) => (a.name === "cast" ? new Violation(`p${a.p} cast`) : n) });
    const r = await check(withProperties(automaton, { noCasts }), { symmetry: true });
    expect(r.violation?.property).toBe("noCasts");
  });
});
