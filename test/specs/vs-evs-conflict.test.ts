// The vs service (Fekete, Lynch and Shvartsman's VS-machine) and extended virtual synchrony ask
// opposite things of a partition that cuts casts both ways: vs has every member of a view deliver a
// prefix of one sequence of that view's casts; EVS has every member deliver its own casts before
// its next regular configuration (E6). When p0 and p1 each cast in view 0 and the partition leaves
// each with only its own cast, E6 makes each deliver a different first cast of view 0, which no one
// sequence has as prefixes. So no stack's traces meet both specs in such a run: the README's table of
// which service each stack meets rests on this, and the runtime tests of a partition judge the
// total stacks' traces as vs, not evs.

import { describe, expect, it } from "vitest";
import { services } from "../../specs/services.ts";
import { cast, deliver, transitional, view, violated, type Trace } from "../support/group-traces.ts";

/** The run: each of p0 and p1 casts in view 0; the partition gives each a view of its own. Each delivers its own cast, or not. */
function partitioned(p0DeliversOwn: boolean, p1DeliversOwn: boolean): Trace {
  return [
    cast(0, "a"),
    cast(1, "b"),
    transitional(0, 2, [0]),
    ...(p0DeliversOwn ? [deliver(0, 0, "a")] : []),
    view(0, 2, [0]),
    transitional(1, 3, [1]),
    ...(p1DeliversOwn ? [deliver(1, 1, "b")] : []),
    view(1, 3, [1]),
  ];
}

const CHOICES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe("vs and evs across a partition that cuts casts both ways", () => {
  it.each(CHOICES)("p0 delivers its own cast: %s, p1: %s — the trace breaks vs or evs", (p0, p1) => {
    const vs = violated(services.vs, partitioned(p0, p1), 2, true);
    const evs = violated(services.evs, partitioned(p0, p1), 2, true);
    expect(vs.length + evs.length).toBeGreaterThan(0);
    // Each spec breaks for its own reason: evs when a process leaves its own cast undelivered, vs when both deliver theirs.
    expect(evs.includes("evsSelfDelivery")).toBe(!(p0 && p1));
    expect(vs.length > 0).toBe(p0 && p1);
  });

  it("lets either spec alone be met: the choice of deliveries decides which", () => {
    expect(violated(services.vs, partitioned(false, false), 2, true)).toEqual([]);
    expect(violated(services.evs, partitioned(true, true), 2, true)).toEqual([]);
  });
});
