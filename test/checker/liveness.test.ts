import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import {
  automaton,
  checkItfSchema,
  eventuallyAlways,
  fingerprintString,
  fromItf,
  instantiate,
  leadsTo,
  replayExecution,
  t,
  toItf,
  withProperties,
  type Action,
  type Automaton,
  type EventuallyAlways,
  type Fairness,
  type Lasso,
  type Value,
} from "../../ioa/index.ts";
import fifoModel from "../../layers/models/fifo.ts";
import abpModel, { alternatingBit } from "../../specs/examples/alternating-bit.ts";
import twoPhaseModel, { everyRmDecides, twoPhase } from "../../specs/examples/two-phase.ts";
import { deafMember } from "../support/deaf-member.ts";

/** A lasso is a real execution of the model whose last state is its loop state again (or a dead end). */
function expectRealLasso<S, A extends Action>(model: Automaton<S, A>, lasso: Lasso<S, A> | undefined): Lasso<S, A> {
  expect(lasso).toBeDefined();
  const replayed = replayExecution(model, lasso!);
  expect(replayed.ok).toBe(true);
  const last = lasso!.states[lasso!.states.length - 1]!;
  expect(fingerprintString(last as Value)).toBe(fingerprintString(lasso!.states[lasso!.loop] as Value));
  return lasso!;
}

describe("alternating bit: every message is delivered", () => {
  const abp = () => alternatingBit(["m1", "m2"], { capacity: 2, drops: 1, duplicates: 1, reorders: 0 });
  const delivers = (fairness: Fairness) =>
    eventuallyAlways((s: ReturnType<ReturnType<typeof abp>["step"]>) => s.receiver.delivered.length === 2, "both messages delivered", { fairness });

  it("holds under weak fairness (losses are bounded, and a lossy channel never forces a loss)", async () => {
    const r = await check(withProperties(abp(), { delivers: delivers("weak") }));
    expect(r.verdict).toBe("holds");
    expect(r.liveness).toMatchObject([{ property: "delivers", verdict: "holds", fairness: "weak" }]);
    expect(r.edges).toBeGreaterThan(r.distinctStates);
  });

  it("fails without fairness: a lasso in which the receiver is starved", async () => {
    const model = abp();
    const r = await check(withProperties(model, { delivers: delivers("none") }));
    expect(r.verdict).toBe("violated");
    expect(r.violation).toMatchObject({ property: "delivers", kind: "eventually-always" });
    const lasso = expectRealLasso(model, r.liveness[0]!.counterexample);
    expect(lasso.actions.length).toBeGreaterThan(lasso.loop);
    expect(lasso.states[lasso.loop]!.receiver.delivered.length).toBeLessThan(2);
  });
});

describe("alternating bit over channels with fair loss (unbounded losses)", () => {
  it("delivers under strong fairness; weak fairness lets every packet be lost, shown as a lasso", async () => {
    const strong = await check(instantiate(abpModel, { fairLoss: true, fairness: "strong" }));
    expect(strong.liveness[0]).toMatchObject({ property: "delivers", verdict: "holds" });
    const lossy = instantiate(abpModel, { fairLoss: true });
    const weak = await check(lossy);
    expect(weak.violation).toMatchObject({ property: "delivers", kind: "eventually-always" });
    const lasso = expectRealLasso(lossy.automaton, weak.liveness[0]!.counterexample);
    expect(lasso.actions.slice(lasso.loop).some((a) => a.name === "dropData" || a.name === "dropAck")).toBe(true);
  });
});

describe("two-phase commit: a prepared RM leads to every RM deciding", () => {
  const decided = (s: ReturnType<ReturnType<typeof twoPhase>["step"]>) => s.rmState.every((x) => x === "committed" || x === "aborted");
  const property = everyRmDecides;

  it("the model judges it with --param liveness=true", async () => {
    const r = await check(instantiate(twoPhaseModel, { liveness: true }));
    expect(r.liveness).toMatchObject([{ property: "decides", verdict: "holds" }]);
  });

  it("holds under weak fairness over TLC's 288 states", async () => {
    const r = await check(withProperties(twoPhase(3), { decides: property("weak") }));
    expect(r.distinctStates).toBe(288);
    expect(r.liveness[0]!.verdict).toBe("holds");
  });

  it("fails without fairness, and the lasso's cycle never reaches a decision", async () => {
    const model = twoPhase(3);
    const r = await check(withProperties(model, { decides: property("none") }));
    const lasso = expectRealLasso(model, r.liveness[0]!.counterexample);
    expect(lasso.states.slice(lasso.loop).some(decided)).toBe(false);
    expect(lasso.states.slice(0, lasso.loop + 1).some((s) => s.rmState.includes("prepared"))).toBe(true);
  });
});

/** `spin` loops forever; `finish` is always enabled until it is taken. */
const spinner = automaton("spinner", { done: t.bool(), spins: t.int(0, 1) })
  .start({ done: false, spins: 0 })
  .internal("spin", {}, { next: (s) => ({ ...s, spins: 1 - s.spins }) })
  .internal("finish", {}, { pre: (s) => !s.done, next: (s) => ({ ...s, done: true }) });

/** `go` is enabled only every other step, while `flip` toggles forever. */
const blinker = automaton("blinker", { gone: t.bool(), on: t.bool() })
  .start({ gone: false, on: false })
  .internal("flip", {}, { next: (s) => ({ ...s, on: !s.on }) })
  .internal("go", {}, { pre: (s) => s.on && !s.gone, next: (s) => ({ ...s, gone: true }) });

describe("fairness", () => {
  it("does not report a cycle that no weakly fair scheduling allows", async () => {
    const r = await check(withProperties(spinner, { finishes: eventuallyAlways((s) => s.done, "finishes") }));
    expect(r.liveness[0]!.verdict).toBe("holds");
    const unfair = await check(withProperties(spinner, { finishes: eventuallyAlways((s) => s.done, "finishes", { fairness: "none" }) }));
    expect(unfair.liveness[0]!.verdict).toBe("violated");
    expect(unfair.liveness[0]!.counterexample!.actions.every((a) => a.name === "spin")).toBe(true);
  });

  it("strong fairness takes an action enabled infinitely often; weak fairness need not", async () => {
    const gone = (fairness: Fairness) => withProperties(blinker, { goes: eventuallyAlways((s) => s.gone, "goes", { fairness }) });
    expect((await check(gone("strong"))).liveness[0]!.verdict).toBe("holds");
    const weak = await check(gone("weak"));
    expect(weak.liveness[0]!.verdict).toBe("violated");
    const lasso = expectRealLasso(blinker, weak.liveness[0]!.counterexample);
    expect(lasso.actions.slice(lasso.loop).map((a) => a.name)).toEqual(["flip", "flip"]);
  });

  it("a maximal finite execution counts: a dead end where the response never came is a counterexample", async () => {
    const stuck = automaton("stuck", { asked: t.bool() })
      .start({ asked: false })
      .internal("ask", {}, { pre: (s) => !s.asked, next: () => ({ asked: true }) });
    const r = await check(withProperties(stuck, { answered: leadsTo((s) => s.asked, () => false, "an answer follows the question") }));
    const lasso = r.liveness[0]!.counterexample!;
    expect(lasso.loop).toBe(lasso.actions.length);
    expect(r.liveness[0]!.reason).toMatch(/stops after step 1 with nothing enabled/);
  });
});

describe("verdicts that are not 'holds'", () => {
  it("a property whose trigger never occurs is vacuous, not holding", async () => {
    const r = await check(withProperties(spinner, { never: leadsTo((s) => s.spins > 1, (s) => s.done, "never triggered") }));
    expect(r.liveness[0]).toMatchObject({ verdict: "vacuous", reason: "its trigger holds in no reachable state" });
  });

  it("a search that is not exhaustive does not judge liveness", async () => {
    const r = await check(withProperties(twoPhase(3), { settles: eventuallyAlways((s) => s.tmState === "done", "") }), { maxStates: 10 });
    expect(r.liveness[0]).toMatchObject({ verdict: "not judged", reason: "the search was not exhaustive (max-states)" });
  });
});

describe("the lasso as ITF", () => {
  it("writes the loop index, validates against the schema and reads back", async () => {
    const r = await check(withProperties(blinker, { goes: eventuallyAlways((s) => s.gone, "goes") }));
    const lasso = r.liveness[0]!.counterexample!;
    const itf = toItf(blinker, lasso);
    expect(itf.loop).toBe(lasso.loop);
    checkItfSchema(JSON.parse(JSON.stringify(itf)));
    expect(fromItf(blinker, itf)).toEqual(lasso);
  });
});

describe("the fifo stack: every cast is eventually delivered", () => {
  it("holds for the model's default parameters, with its safety state count unchanged", async () => {
    const r = await check(instantiate(fifoModel));
    expect(r.distinctStates).toBe(40_338);
    expect(r.verdict).toBe("holds");
    expect(r.liveness).toMatchObject([{ property: "eventuallyDelivered", verdict: "holds", fairness: "strong" }]);
  });

  it("needs strong fairness: under weak fairness one process's patient timer may win forever", async () => {
    const instance = instantiate(fifoModel);
    const strong = instance.properties.eventuallyDelivered as EventuallyAlways<ReturnType<typeof instance.automaton.step>>;
    const weak = eventuallyAlways(strong.holds, "weakly fair", { fairness: "weak" });
    const r = await check(withProperties(instance.automaton, { weak }));
    const lasso = expectRealLasso(instance.automaton, r.liveness[0]!.counterexample);
    expect(lasso.actions.slice(lasso.loop).some((a) => a.name === "timer")).toBe(true);
  });

  it("a member that loses every packet is caught as a lasso, where 'all delivered at quiescence' holds vacuously", async () => {
    const instance = instantiate(fifoModel, { processes: 2, casts: 1, drops: 0, duplicates: 0 });
    const deaf = deafMember(instance.automaton, 1);
    const r = await check(withProperties(deaf, instance.properties));
    expect(r.violation).toMatchObject({ property: "eventuallyDelivered", kind: "eventually-always" });
    expect(r.violation!.message).toMatch(/process 1 delivered 0 of the 1 casts of process 0/);
    const lasso = expectRealLasso(deaf, r.liveness[0]!.counterexample);
    expect(lasso.actions.slice(lasso.loop).some((a) => a.name === "timer")).toBe(true);
    const safety = await check(withProperties(deaf, instance.properties), { liveness: false });
    expect(safety.verdict).toBe("holds");
  });
});
