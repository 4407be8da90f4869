import { describe, expect, it } from "vitest";
import { formatAction, instantiate, walk, type Invariant, type QuiescentProperty } from "../../../ioa/index.ts";
import fifo from "../../../layers/models/fifo.ts";
import { check as exhaust } from "../../../checker/check.ts";
import { isGroupAction } from "../../../specs/group.ts";
import { services } from "../../../specs/services.ts";
import { validateTrace } from "../../../specs/validation.ts";
import { search } from "../../support/search.ts";

type Params = Record<string, number | boolean | string>;

function inOrder(params: Params) {
  const instance = instantiate(fifo, params);
  type S = Parameters<typeof instance.automaton.step>[0];
  const ordered = instance.properties.inOrder as Invariant<S>;
  const allDelivered = instance.properties.allDelivered as QuiescentProperty<S>;
  return { instance, holds: (s: S) => ordered.holds(s), allDelivered };
}

function check(params: Params) {
  const { instance, holds, allDelivered } = inOrder(params);
  return search(instance.automaton, { always: { inOrder: holds }, atQuiescence: { allDelivered: (s) => allDelivered.holds(s) } });
}

describe("the fifo model, exhaustively", () => {
  it.each([
    [{ processes: 2, casts: 2, drops: 1, duplicates: 1 }, 40_338],
    [{ processes: 2, casts: 1, drops: 1, duplicates: 1 }, 746],
    [{ processes: 2, casts: 1, drops: 1, duplicates: 0, patientTimers: false }, 8_627],
    [{ processes: 2, casts: 0, sends: 2, drops: 1, duplicates: 1 }, 23_874],
    [{ processes: 2, casts: 1, drops: 0, duplicates: 0, partitions: 1, crashes: 1, recoveries: 1 }, 1_276],
    [{ processes: 2, casts: 1, maxLength: 1, drops: 1, duplicates: 0 }, 1_790],
    [{ processes: 2, casts: 0, sends: 1, maxLength: 1, drops: 0, duplicates: 0 }, 482],
  ] as const)("delivers in order, and at quiescence everything, with %o", (params, states) => {
    const result = check(params);
    expect(result.violation).toBeUndefined();
    expect(result.truncated).toBe(false);
    expect(result.quiescent).toBeGreaterThan(0);
    expect(result.states).toBe(states);
  });
});

describe("the fifo model under symmetry reduction", () => {
  it("2 processes x 2 casts, 1 drop, 1 duplicate: 20,200 orbits of the 40,338 states, properties holding", async () => {
    const r = await exhaust(instantiate(fifo, { processes: 2, casts: 2, drops: 1, duplicates: 1 }), { symmetry: true, only: ["inOrder", "allDelivered"] });
    expect(r.verdict).toBe("holds");
    expect(r.distinctStates).toBe(20_200);
  });
});

describe("planted bugs", () => {
  it.each([
    ["forgets-to-retransmit", { processes: 2, casts: 1, drops: 1, duplicates: 0 }, "allDelivered"],
    ["stable-too-early", { processes: 2, casts: 1, drops: 1, duplicates: 0 }, "allDelivered"],
    ["delivers-out-of-order", { processes: 2, casts: 2, drops: 0, duplicates: 0 }, "inOrder"],
    ["delivers-duplicates", { processes: 2, casts: 1, drops: 0, duplicates: 1 }, "inOrder"],
  ] as const)("%s is found", (bug, params, broken) => {
    const { instance, allDelivered } = inOrder({ ...params, bug });
    const result = check({ ...params, bug });
    expect(result.violation?.check).toBe(broken);
    const path = result.violation!.path.map((a) => formatAction(a)).join("\n");
    if (broken === "allDelivered") {
      // The message was lost for good: the caster's drop is on the path, and the caster no longer holds it.
      expect(path).toMatch(/^drop\(/m);
      expect(allDelivered.explain!(result.violation!.state as never)).toMatch(/^process \d delivered 0 of the 1 casts of process \d$/);
    } else expect(path).toMatch(/deliver\(p: \d, from: \d, msg: "m\d"\)$/);
    expect(instance.params.bug).toBe(bug);
  });

  it("an unknown bug is refused, with the list of bugs", () => {
    expect(() => instantiate(fifo, { bug: "typo" })).toThrow('model fifo: no bug named "typo"; the bugs are none, forgets-to-retransmit, delivers-out-of-order, delivers-duplicates, stable-too-early');
  });
});

describe("random walks of 4 processes with many faults", () => {
  const params = { processes: 4, casts: 2, sends: 1, drops: 6, duplicates: 6, partitions: 2, crashes: 2, recoveries: 2, maxLength: 1 };
  const { instance, holds, allDelivered } = inOrder(params);

  it("never deliver out of order over 2,000 seeds of short walks", () => {
    for (let seed = 0; seed < 2000; seed++) {
      const run = walk(instance.automaton, { steps: 80, seed, validate: false });
      const bad = run.states.findIndex((s) => !holds(s));
      if (bad >= 0) expect.fail(`seed ${seed}: out of order after ${formatAction(run.actions[bad - 1]!)}`);
    }
  });

  it("end with everything delivered when they run until nothing is left to do", () => {
    for (let seed = 0; seed < 100; seed++) {
      const run = walk(instance.automaton, { steps: 20_000, seed, validate: seed < 5 });
      expect(run.ended).toBe("quiescent");
      const end = run.states[run.states.length - 1]!;
      if (!holds(end) || !allDelivered.holds(end)) expect.fail(`seed ${seed}: ${allDelivered.explain!(end)}`);
    }
  });
});

describe("against the fifo service of specs/ (layered checking)", () => {
  it("every trace of the stack is a trace of the service, and has the FIFO properties, exhaustively", async () => {
    const result = await exhaust(instantiate(fifo, { processes: 2, casts: 1, drops: 1, duplicates: 1, service: true }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(746);
  });

  it.each([
    ["delivers-out-of-order", { casts: 2, duplicates: 0 }, /p1 delivers message "m2" of p0 as its 1st message from p0, but the 1st message p0 cast is message "m1" of p0/],
    ["delivers-duplicates", { casts: 1, duplicates: 1 }, /p1 delivers message "m1" of p0 as its 2nd message from p0, but p0 has cast only 1 message$/],
  ] as const)("the service's checker catches the mutant %s", async (bug, params, message) => {
    const result = await exhaust(instantiate(fifo, { processes: 2, drops: 0, ...params, bug, service: true }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe("fifo");
    expect(result.violation?.message).toMatch(message);
  });

  it("walks of 4 processes with crashes, partitions, drops and duplicates validate as fifo traces", () => {
    const { instance } = inOrder({ processes: 4, casts: 3, drops: 6, duplicates: 6, partitions: 2, crashes: 1, recoveries: 1 });
    for (let seed = 0; seed < 200; seed++) {
      const run = walk(instance.automaton, { steps: 400, seed, validate: false });
      const trace = run.actions.filter(isGroupAction);
      const broken = validateTrace(services.fifo, trace, { processes: 4 }).filter((v) => v.verdict === "violated");
      if (broken.length > 0) expect.fail(`seed ${seed}: ${broken.map((v) => `${v.property}: ${v.violation!.message}`).join("; ")}`);
    }
  });
});
