import { describe, expect, it } from "vitest";
import { admitsTrace, type Action } from "../../ioa/index.ts";
import toModel from "../../specs/examples/to.ts";
import { clientMessages } from "../../specs/group-client.ts";
import { services } from "../../specs/services.ts";
import { toService } from "../../specs/to.ts";
import { validateTrace } from "../../specs/validation.ts";
import { cast, deliver, view, violated, walkTraces } from "../support/group-traces.ts";
import { serviceSuite, VIEW_SERVICE_MUTATIONS } from "../support/service-suite.ts";

const params = { processes: 3, messages: 2, views: 2, crashes: 1 };

describe("the TO service", () => {
  serviceSuite({
    service: services.to,
    model: toModel,
    params,
    seeds: 2000,
    steps: 25,
    mutations: VIEW_SERVICE_MUTATIONS,
    exact: { params: { processes: 2, messages: 2, views: 2, crashes: 1 }, machine: toService({ processes: 2, msg: clientMessages(2), views: 2 }), traces: 100, steps: 12 },
  });

  it("has traces that are VS traces (its checker adds agreement at view changes to VS's)", () => {
    const failures = walkTraces(toModel, params, 500, 25, 10_000).flatMap((t, i) => violated(services.vs, t, 3).map((p) => `seed ${10_000 + i}: ${p}`));
    expect(failures).toEqual([]);
  });

  it("rejects a VS trace where members moving together delivered different messages, naming both moves", () => {
    const partial = [cast(0, 1), deliver(0, 0, 1), view(0, 1, [0, 1]), view(1, 1, [0, 1])];
    expect(violated(services.vs, partial, 2)).toEqual([]);
    expect(admitsTrace(toService({ processes: 2, msg: clientMessages(1), views: 1 }), partial as unknown as Action[]).ok).toBe(false);
    const [verdict] = validateTrace(services.to, partial, { processes: 2 });
    expect(verdict!.violation).toEqual({
      message: "p1 moves from view 0 to view 1 having delivered 0 messages in view 0, but another process made the same move having delivered 1: members moving together deliver the same messages",
      events: [2, 3],
    });
  });

  it("does not promise self delivery: it admits a trace that breaks it", () => {
    const unselfish = [cast(0, 1), view(0, 1, [0]), view(1, 2, [1])];
    expect(violated(services.to, unselfish, 2)).toEqual([]);
    const lack = services.to.lacks.find((l) => l.property.name === "selfDelivery")!;
    expect(validateTrace({ ...services.to, checker: undefined, promises: [lack.property] }, unselfish, { processes: 2 })[0]!.verdict).toBe("violated");
  });
});
