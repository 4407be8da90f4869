import { describe, expect, it } from "vitest";
import membershipModel from "../../specs/examples/membership.ts";
import { membershipService } from "../../specs/membership.ts";
import { services } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";
import { crash, recover, view } from "../support/group-traces.ts";
import { serviceSuite } from "../support/service-suite.ts";

describe("the membership service", () => {
  serviceSuite({
    service: services.membership,
    model: membershipModel,
    params: { processes: 3, views: 3, crashes: 2 },
    seeds: 2000,
    steps: 15,
    mutations: { exclude: ["selfInclusion"] },
    exact: { params: { processes: 2, views: 2, crashes: 1 }, machine: membershipService({ processes: 2, views: 2 }), traces: 100, steps: 8 },
  });

  it("names what is wrong with a view", () => {
    const message = (trace: Parameters<typeof validateTrace>[1]) => validateTrace(services.membership, trace, { processes: 3 })[0]!.violation?.message;
    expect(message([view(0, 2, [0, 1]), view(1, 2, [0, 1, 2])])).toBe("p1 installs view 2 as {p0, p1, p2}, but view 2 was installed as {p0, p1} before: one id, one membership");
    expect(message([view(0, 2, [0, 1]), view(0, 1, [0])])).toBe("p0 installs view 1 after view 2: a process's view ids must increase (local monotonicity)");
    expect(message([crash(1), view(1, 1, [1])])).toBe("p1 installs view 1 {p1} while crashed");
    expect(message([view(0, 2, [0]), crash(0), recover(0), view(0, 1, [0])])).toBe("p0 installs view 1 after view 2: a process's view ids must increase (local monotonicity)");
  });
});
