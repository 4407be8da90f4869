import { describe, expect, it } from "vitest";
import fifoModel from "../../specs/examples/fifo-service.ts";
import { fifoService } from "../../specs/fifo.ts";
import { clientMessages } from "../../specs/group-client.ts";
import { services } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";
import { cast, deliver, violated } from "../support/group-traces.ts";
import { serviceSuite } from "../support/service-suite.ts";

describe("the FIFO channel service", () => {
  serviceSuite({
    service: services.fifo,
    model: fifoModel,
    params: { processes: 3, messages: 3 },
    seeds: 2000,
    steps: 20,
    mutations: { drop: ["reliableFifo"], duplicate: ["noDuplication"], reorder: ["fifoOrder", "deliveryIntegrity"] },
    exact: { params: { processes: 2, messages: 2 }, machine: fifoService({ processes: 2, msg: clientMessages(2) }), traces: 100, steps: 10 },
  });

  it("does not promise total order: two processes may interleave two senders differently", () => {
    const trace = [cast(0, 1), cast(1, 1), deliver(0, 0, 1), deliver(0, 1, 1), deliver(1, 1, 1), deliver(1, 0, 1)];
    expect(violated(services.fifo, trace, 2)).toEqual([]);
    const lack = services.fifo.lacks.find((l) => l.property.name === "strongTotalOrder")!;
    const [verdict] = validateTrace({ ...services.fifo, checker: undefined, promises: [lack.property] }, trace, { processes: 2 });
    expect(verdict!.violation!.message).toBe(
      "p1 delivers message 1 of p0 after message 1 of p1, but earlier deliveries put message 1 of p0 before message 1 of p1: no single order fits",
    );
  });

  it("names the sender's cast a delivery skips", () => {
    const [verdict] = validateTrace(services.fifo, [cast(0, "a"), cast(0, "b"), deliver(1, 0, "b")], { processes: 2 });
    expect(verdict!.violation).toEqual({
      message: 'p1 delivers message "b" of p0 as its 1st message from p0, but the 1st message p0 cast is message "a" of p0: channels are FIFO and lose nothing',
      events: [0, 2],
    });
  });
});
