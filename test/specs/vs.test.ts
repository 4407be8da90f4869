import { describe, expect, it } from "vitest";
import { admitsTrace, type Action } from "../../ioa/index.ts";
import vsModel from "../../specs/examples/vs.ts";
import { clientMessages } from "../../specs/group-client.ts";
import { services } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";
import { vsService } from "../../specs/vs.ts";
import { cast, deliver, safe, view, violated, type Trace } from "../support/group-traces.ts";
import { serviceSuite, VIEW_SERVICE_MUTATIONS } from "../support/service-suite.ts";

describe("the VS service", () => {
  serviceSuite({
    service: services.vs,
    model: vsModel,
    params: { processes: 3, messages: 2, views: 2, crashes: 1 },
    seeds: 2000,
    steps: 25,
    mutations: VIEW_SERVICE_MUTATIONS,
    exact: { params: { processes: 2, messages: 2, views: 2, crashes: 1 }, machine: vsService({ processes: 2, msg: clientMessages(2), views: 2 }), traces: 100, steps: 12 },
  });

  it("does not promise virtual synchrony or self delivery: it admits traces that break them", () => {
    // p0 delivers its message, p1 does not, and both move to view 1 (FLS note N2).
    const partial = [cast(0, 1), deliver(0, 0, 1), view(0, 1, [0, 1]), view(1, 1, [0, 1])];
    expect(violated(services.vs, partial, 2)).toEqual([]);
    expect(admitsTrace(vsService({ processes: 2, msg: clientMessages(1), views: 1 }), partial as unknown as Action[]).ok).toBe(true);
    expect(lacked("virtualSynchrony", partial)).toBe(
      "p1 moves from view 0 to view 1 as another process did before, but they delivered different messages in view 0: p1 did not deliver message 1 of p0",
    );
    // p0 moves on before its own message comes back.
    const unselfish = [cast(0, 1), deliver(1, 0, 1), view(0, 1, [0])];
    expect(violated(services.vs, unselfish, 2)).toEqual([]);
    expect(lacked("selfDelivery", unselfish)).toMatch(/p0 installs view 1 without having delivered its own message 1 of p0 \(cast in view 0\)/);
  });

  it("explains a rejection: which rule, which processes, which events", () => {
    const trace = [cast(0, 1), cast(1, 1), deliver(0, 0, 1), deliver(1, 1, 1), safe(0, 0, 1)];
    const [verdict] = validateTrace(services.vs, trace, { processes: 2 });
    expect(verdict).toMatchObject({ property: "vs", verdict: "violated" });
    expect(verdict!.violation!.message).toBe(
      "p1 delivers message 1 of p1 as its 1st message in view 0, but message 1 of p0 was delivered 1st there before: the members of a view deliver prefixes of one order",
    );
    expect(verdict!.violation!.events).toEqual([2, 3]);
    const unstable = [cast(0, 1), deliver(0, 0, 1), safe(0, 0, 1)];
    expect(validateTrace(services.vs, unstable, { processes: 2 })[0]!.violation!.message).toBe(
      "p0 gets a safe indication for message 1 of p0 in view 0 before p1, a member of view 0, delivered it: safe means every member has it",
    );
  });
});

/** The violation of a property VS lacks, on a trace of two processes. */
function lacked(property: string, trace: Trace): string | undefined {
  const lack = services.vs.lacks.find((l) => l.property.name === property)!;
  return validateTrace({ ...services.vs, checker: undefined, promises: [lack.property] }, trace, { processes: 2 })[0]?.violation?.message;
}
