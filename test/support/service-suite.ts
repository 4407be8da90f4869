// The tests every service specification must pass, run against its model and its checker:
//  - every trace of thousands of random walks passes the checker and every promised property;
//  - mutated walk traces (a delivery dropped, duplicated or reordered, a view without its
//    installer) are rejected by the checker, and a catalogue property names the fault;
//  - the checker agrees with a brute-force search of the service automaton (the kernel's
//    admitsTrace) on walk traces and random mutations of them: it is exact.

import { expect, it } from "vitest";
import { admitsTrace, Random, Violation, type Action, type Automaton, type Model } from "../../ioa/index.ts";
import { ISet } from "../../ioa/index.ts";
import type { Service } from "../../specs/services.ts";
import { mutate, violated, walkTraces, type Mutation, type Trace } from "./group-traces.ts";

export interface SuiteOptions {
  readonly service: Service;
  readonly model: Model;
  readonly params: Record<string, number>;
  readonly seeds: number;
  readonly steps: number;
  /** For each mutation the service must reject, catalogue properties one of which must name it. */
  readonly mutations: Partial<Record<Mutation, readonly string[]>>;
  /** A small instance for the exactness check: its walk parameters and the bare service automaton. */
  readonly exact: { readonly params: Record<string, number>; readonly machine: Automaton<unknown, Action>; readonly traces: number; readonly steps: number };
}

/** What VS and TO must reject, and the properties that name it. */
export const VIEW_SERVICE_MUTATIONS: SuiteOptions["mutations"] = {
  drop: ["reliableTotalOrder", "reliableFifo"],
  duplicate: ["noDuplication"],
  reorder: ["fifoOrder", "deliveryIntegrity"],
  exclude: ["selfInclusion"],
};

export function serviceSuite(o: SuiteOptions): void {
  const n = o.params.processes!;
  const traces = walkTraces(o.model, o.params, o.seeds, o.steps);

  it(`admits only traces that pass its checker and every property it promises (${o.seeds} random walks)`, () => {
    const failures = traces.flatMap((trace, seed) => violated(o.service, trace, n).map((p) => `seed ${seed}: ${p}`));
    expect(failures).toEqual([]);
  });

  it(`rejects walk traces mutated by ${Object.keys(o.mutations).join(", ")}`, () => {
    const random = Random.seeded(1);
    for (const [kind, names] of Object.entries(o.mutations) as [Mutation, string[]][]) {
      const mutants = traces.slice(0, 400).map((t) => mutate(t, kind, random)).filter((t) => t !== undefined);
      expect(mutants.length, kind).toBeGreaterThan(50);
      for (const mutant of mutants) {
        const broken = violated(o.service, mutant, n);
        expect(broken, `${kind}: ${JSON.stringify(mutant)}`).toContain(o.service.name);
        expect(broken.some((p) => names.includes(p)), `${kind}: ${broken.join(", ")}`).toBe(true);
      }
    }
  });

  it("agrees with a brute-force search of its automaton on mutated traces (the checker is exact)", () => {
    const small = walkTraces(o.model, o.exact.params, o.exact.traces, o.exact.steps, 5000);
    const k = o.exact.params.processes!;
    const random = Random.seeded(7);
    let rejected = 0;
    for (const trace of small) {
      for (const mutant of [trace, ...Array.from({ length: 3 }, () => anyMutation(trace, random, k))]) {
        const bySearch = admitsTrace(o.exact.machine, mutant as unknown as Action[]).ok;
        expect(accepts(o.service, mutant, k), JSON.stringify(mutant)).toBe(bySearch);
        if (!bySearch) rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(o.exact.traces / 2);
  });
}

function accepts(service: Service, trace: Trace, n: number): boolean {
  const checker = service.checker!(n);
  let m = checker.start;
  for (const a of trace) {
    const next = checker.step(m, a);
    if (next instanceof Violation) return false;
    m = next;
  }
  return true;
}

/** Any small change: drop, duplicate or move an event, or change a view's members. */
function anyMutation(trace: Trace, random: Random, n: number): Trace {
  if (trace.length === 0) return trace;
  const out = [...trace];
  const i = random.below(trace.length);
  const a = trace[i]!;
  switch (random.below(a.name === "view" ? 4 : 3)) {
    case 0:
      out.splice(i, 1);
      break;
    case 1:
      out.splice(i, 0, a);
      break;
    case 2: {
      const j = random.below(trace.length);
      [out[i], out[j]] = [trace[j]!, a];
      break;
    }
    default: {
      if (a.name !== "view") break;
      const q = random.below(n);
      const members = a.view.members.has(q) ? a.view.members.delete(q) : a.view.members.add(q);
      out[i] = { ...a, view: { id: a.view.id, members: members.size > 0 ? members : ISet.of(a.p) } };
    }
  }
  return out;
}
