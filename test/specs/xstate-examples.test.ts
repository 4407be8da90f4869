// The XState example models: the door and its planted bug, and XState members over the fifo service.

import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { automaton, compose, formatAction, instantiate, instances, range, replayExecution, t, withProperties, type Action, type Invariant, type Model, type ParamDefaults } from "../../ioa/index.ts";
import { fromMachine } from "../../ioa/xstate/index.ts";
import door from "../../specs/examples/door.ts";
import doorJamsLate from "../../specs/examples/door-jams-late.ts";
import fifoXstate from "../../specs/examples/fifo-xstate.ts";
import { memberMachine } from "../../specs/examples/xstate/member-machine.ts";
import { groupTypes } from "../../specs/group.ts";
import { naiveSearch } from "../support/naive-search.ts";

/** Checks `model`: it must hold over exactly `states` distinct states, the count an independent naive search finds too. */
async function holdsOver<S, A extends Action>(model: Model<ParamDefaults, S, A>, states: number) {
  const m = instantiate(model);
  const r = await check(m);
  expect(r.verdict).toBe("holds");
  expect(r.distinctStates).toBe(states); // as the README says
  expect(naiveSearch(m.automaton).states).toHaveLength(states);
  return r;
}

describe("door", () => {
  it("opens only unlocked and jams in time, over every reachable state; jamming is reachable", async () => {
    const r = await holdsOver(door, 14);
    expect(r.goals[0]!.witness!.states.at(-1)!.door.value).toBe("jammed");
  });

  it("with the off-by-one jam guard, a fourth wrong code is found", async () => {
    const m = instantiate(doorJamsLate);
    const r = await check(m);
    expect(r.violation?.property).toBe("jamsInTime");
    const cex = r.violation!.counterexample!;
    expect(cex.actions.map((a) => formatAction(a))).toEqual(["LOCK(code: 1)", "UNLOCK(code: 2)", "UNLOCK(code: 2)", "UNLOCK(code: 2)", "UNLOCK(code: 2)"]);
    expect(cex.states.at(-1)!.door).toEqual({ value: "jammed", context: { code: 1, attempts: 4 } });
    expect(replayExecution(m.automaton, cex).ok).toBe(true);
  });
});

describe("fifo-xstate", () => {
  it("members hear everyone in order and finish, over every reachable state", async () => {
    await holdsOver(fifoXstate, 121);
  });

  it("over a service that delivers in any order, a member is caught confused", async () => {
    const G = groupTypes(2, t.int(1, 2));
    const anyOrder = automaton("any-order", { pending: t.array(t.record({ p: G.P, from: G.P, msg: G.Msg })) })
      .start({ pending: [] })
      .input("cast", G.cast, (s, { p, msg }) => void s.pending.push(...range(2).map((to) => ({ p: to, from: p, msg }))))
      .output("deliver", G.deliver, {
        enabled: (s) => s.pending,
        effect: (s, d) => void s.pending.splice(s.pending.findIndex((x) => x.p === d.p && x.from === d.from && x.msg === d.msg), 1),
      });
    const member = (self: number) =>
      fromMachine(`member ${self}`, memberMachine, { events: { cast: G.cast, deliver: G.deliver }, outputs: ["cast"], owner: "p", input: { self, processes: 2, messages: 2 } }).instance(self);
    const system = compose("any-order", { members: compose("members", instances("member", range(2), member)), service: anyOrder });
    const inOrder = instantiate(fifoXstate).properties.inOrder as Invariant<unknown>;
    const r = await check(withProperties(system, { inOrder }));
    expect(r.violation?.property).toBe("inOrder");
    expect(r.violation!.counterexample!.actions.at(-1)).toMatchObject({ name: "deliver", msg: 2 });
  });
});
