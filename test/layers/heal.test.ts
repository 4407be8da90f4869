// The vsync stack's views merging, scripted in virtual time: partitions that heal, a joiner, a
// member excluded while stopped, a member that leaves, a view change on request.

import { describe, expect, it } from "vitest";
import { ISet, range } from "../../ioa/index.ts";
import type { ViewValue } from "../../layers/event.ts";
import { mergesInto } from "../../layers/heal.ts";
import { joinerView, startView } from "../../layers/stack.ts";
import { vsync } from "../../layers/stacks/vsync.ts";
import { VirtualGroup } from "../support/virtual-group.ts";

const members = (v: ViewValue) => v.members.toArray().join(",");
const allIn = (g: VirtualGroup, ps: readonly number[], set: string) => ps.every((p) => members(g.view(p)) === set) && new Set(ps.map((p) => g.view(p).id)).size === 1;

/** Virtual synchrony over what the group recorded: processes that moved together from a view to the same next view delivered the same casts in it. */
function movesAgree(g: VirtualGroup, ps: readonly number[]): void {
  const moves = new Map<string, { p: number; got: string }>();
  for (const p of ps) {
    const views = [g.stacks[p]!.startStates()[0]!.view, ...g.recorded[p]!.views];
    for (let i = 1; i < views.length; i++) {
      const move = `${views[i - 1]!.id}->${views[i]!.id}`;
      const got = [...(g.recorded[p]!.delivered.get(views[i - 1]!.id) ?? [])].sort().join(" ");
      const first = moves.get(move);
      if (first) expect(got, `p${p} and p${first.p} move ${move}`).toBe(first.got);
      else moves.set(move, { p, got });
    }
  }
}

/** View ids a process installs only grow. */
const increasing = (g: VirtualGroup, p: number) => g.recorded[p]!.views.every((v, i, all) => i === 0 || v.id > all[i - 1]!.id);

describe("merging views", () => {
  it("the sides of a partition that heals merge into one view; members moving together delivered the same casts", () => {
    const g = new VirtualGroup(vsync(), 4, () => startView(ISet.from(range(4))));
    range(4).forEach((p) => g.cast(p, `a${p}`));
    g.run(500);
    g.partition([0, 1], [2, 3]);
    range(4).forEach((p) => g.cast(p, `b${p}`));
    g.run(3000);
    expect(allIn(g, [0, 1], "0,1") && allIn(g, [2, 3], "2,3")).toBe(true);
    range(4).forEach((p) => g.cast(p, `c${p}`));
    g.run(100);
    g.partition();
    g.run(4000);
    expect(allIn(g, range(4), "0,1,2,3")).toBe(true);
    const merged = g.view(0).id;
    range(4).forEach((p) => g.cast(p, `d${p}`));
    g.run(500);
    for (const p of range(4)) expect(g.recorded[p]!.delivered.get(merged)?.sort()).toEqual(["0:d0", "1:d1", "2:d2", "3:d3"]);
    movesAgree(g, range(4));
    range(4).forEach((p) => expect(increasing(g, p)).toBe(true));
  });

  it("a process that starts alone joins the running group by merging", () => {
    const g = new VirtualGroup(vsync(), 4, (p) => (p < 3 ? startView(ISet.of(0, 1, 2)) : joinerView(p)));
    expect(g.recorded[3]!.views).toEqual([{ id: 3, members: ISet.of(3) }]);
    range(3).forEach((p) => g.cast(p, `a${p}`));
    g.run(3000);
    expect(allIn(g, range(4), "0,1,2,3")).toBe(true);
    range(4).forEach((p) => g.cast(p, `b${p}`));
    g.run(500);
    expect(g.recorded[3]!.delivered.get(g.view(3).id)?.sort()).toEqual(["0:b0", "1:b1", "2:b2", "3:b3"]);
    movesAgree(g, range(4));
  });

  it("a member stopped while the others exclude it is told it was excluded when it comes back, goes on alone, and rejoins", () => {
    const g = new VirtualGroup(vsync(), 3, () => startView(ISet.from(range(3))));
    g.stop(2);
    g.run(8000);
    expect(allIn(g, [0, 1], "0,1")).toBe(true);
    g.resume(2);
    g.run(6000);
    expect(g.recorded[2]!.excluded.map(members)).toEqual(["0,1"]);
    expect(g.recorded[2]!.views.map(members)).toEqual(["2", "0,1,2"]);
    expect(allIn(g, range(3), "0,1,2")).toBe(true);
    movesAgree(g, range(3));
  });

  it("a member that leaves is out (Exit) once the others installed a view without it, and they delivered the same of its casts", () => {
    const g = new VirtualGroup(vsync(), 3, () => startView(ISet.from(range(3))));
    range(3).forEach((p) => g.cast(p, `a${p}`));
    g.leave(0);
    g.cast(0, "after leaving");
    g.run(3000);
    expect(g.recorded[0]!.exited).toBe(true);
    expect(allIn(g, [1, 2], "1,2")).toBe(true);
    expect(g.recorded[1]!.delivered.get(0)?.sort()).toEqual(["0:a0", "1:a1", "2:a2"]);
    movesAgree(g, [1, 2]);
    // Out for good: it does not come back by merging.
    g.run(5000);
    expect(allIn(g, [1, 2], "1,2")).toBe(true);
    expect(g.recorded[0]!.views).toEqual([]);
  });

  it("a leaver that misses the Install hears of the view without it from the heal gossip: it is out (Exit), not excluded", () => {
    // A slow failure detector: the leaver does not find itself alone by suspecting the others first.
    const g = new VirtualGroup(vsync({ suspect: { suspect: 8000 } }), 3, () => startView(ISet.from(range(3))));
    g.run(500);
    g.leave(0);
    g.run(1); // the others have the Leave; the Install will not reach the leaver
    g.partition([0], [1, 2]);
    g.run(300);
    expect(allIn(g, [1, 2], "1,2")).toBe(true);
    expect(g.recorded[0]!.exited).toBe(false);
    g.partition();
    g.run(1500);
    expect(g.recorded[0]!.exited).toBe(true);
    expect(g.recorded[0]!.excluded).toEqual([]);
  });

  it("a view change on request (Prompt) installs the same members in a new view, from any member", () => {
    const g = new VirtualGroup(vsync(), 3, () => startView(ISet.from(range(3))));
    g.prompt(2);
    g.run(1000);
    expect(range(3).map((p) => g.recorded[p]!.views)).toEqual(range(3).map(() => [{ id: 3, members: ISet.of(0, 1, 2) }]));
  });
});

describe("which view merges into which", () => {
  it("the smaller by size, then by id: for two different views exactly one merges into the other", () => {
    const a = { id: 5, members: ISet.of(0, 1) };
    const b = { id: 7, members: ISet.of(2) };
    const c = { id: 9, members: ISet.of(3, 4) };
    expect([mergesInto(b, a), mergesInto(a, b)]).toEqual([true, false]);
    expect([mergesInto(a, c), mergesInto(c, a)]).toEqual([true, false]);
  });
});
