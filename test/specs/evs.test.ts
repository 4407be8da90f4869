import { describe, expect, it } from "vitest";
import { Random } from "../../ioa/index.ts";
import toModel from "../../specs/examples/to.ts";
import vsModel from "../../specs/examples/vs.ts";
import type { ProcessId } from "../../specs/group.ts";
import { services } from "../../specs/services.ts";
import { cast, deliver, mutate, transitional, view, violated, walkTraces, type Mutation, type Trace } from "../support/group-traces.ts";

/**
 * A trace with views as one with extended virtual synchrony's configurations: each view is a
 * regular configuration, and before a process moves from one view to the next it installs the
 * transitional configuration of everyone making the same move (none after a recovery).
 */
function withTransitionalConfigurations(trace: Trace): Trace {
  const from = new Map<ProcessId, number>();
  const moves = trace.map((a) => {
    if (a.name === "recover") from.set(a.p, -1);
    if (a.name !== "view") return undefined;
    const move = { p: a.p, from: from.get(a.p) ?? 0, to: a.view.id };
    from.set(a.p, a.view.id);
    return move;
  });
  const movers = (m: { from: number; to: number }) => moves.filter((x) => x && x.from === m.from && x.to === m.to).map((x) => x!.p);
  return trace.flatMap((a, i) => {
    const move = moves[i];
    return move && move.from >= 0 ? [transitional(a.p, move.to, movers(move)), a] : [a];
  });
}

/** Walk traces of a service that has the guarantees EVS adds (virtual synchrony, self delivery), as EVS traces. */
function evsTraces(): Trace[] {
  const params = { processes: 3, messages: 2, views: 2, crashes: 1 };
  const walks = [...walkTraces(vsModel, params, 1500, 30), ...walkTraces(toModel, params, 1500, 30)];
  const suitable = walks.filter((t) => violated({ ...services.vs, checker: undefined, promises: services.vs.lacks.map((l) => l.property).filter((p) => p.name !== "transitionalSet") }, t, 3).length === 0);
  return suitable.map(withTransitionalConfigurations);
}

describe("extended virtual synchrony", () => {
  const traces = evsTraces();

  it("holds on VS and TO walk traces that have virtual synchrony and self delivery, seen as configurations", () => {
    expect(traces.length).toBeGreaterThan(1000);
    expect(traces.filter((t) => t.some((a) => a.name === "view" && a.view.kind === "transitional")).length).toBeGreaterThan(300);
    expect(traces.filter((t) => t.some((a) => a.name === "safe")).length).toBeGreaterThan(300);
    const failures = traces.flatMap((t, i) => violated(services.evs, t, 3).map((p) => `trace ${i}: ${p}`));
    expect(failures).toEqual([]);
  });

  it("rejects them with a delivery duplicated or reordered, or a configuration without its installer", () => {
    const random = Random.seeded(3);
    const expected: Partial<Record<Mutation, string[]>> = {
      duplicate: ["noDuplication"],
      reorder: ["evsCausalOrder", "deliveryIntegrity"],
      exclude: ["selfInclusion"],
    };
    for (const [kind, names] of Object.entries(expected) as [Mutation, string[]][]) {
      const mutants = traces.slice(0, 400).map((t) => mutate(t, kind, random)).filter((t) => t !== undefined);
      expect(mutants.length).toBeGreaterThan(50);
      for (const mutant of mutants) {
        const broken = violated(services.evs, mutant, 3);
        expect(broken.some((p) => names.includes(p)), `${kind}: ${broken.join(", ")}`).toBe(true);
      }
    }
  });

  it("does not promise sending view delivery: a message may be delivered in the transitional configuration after its regular one", () => {
    const trace: Trace = [
      cast(0, 1),
      deliver(0, 0, 1),
      transitional(0, 1, [0]),
      transitional(1, 2, [1]),
      deliver(1, 0, 1),
      view(0, 1, [0]),
      view(1, 2, [1]),
    ];
    expect(violated(services.evs, trace, 2, true)).toEqual([]);
    const lack = services.evs.lacks.find((l) => l.property.name === "sendingViewDelivery")!;
    expect(violated({ ...services.evs, promises: [lack.property] }, trace, 2)).toEqual(["sendingViewDelivery"]);
  });
});
