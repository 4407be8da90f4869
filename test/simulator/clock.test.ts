// The simulator's timetable: timers fall due their delay after they were set; a process that
// restarts its timers (a view installed) sets those still enabled anew.

import { describe, expect, it } from "vitest";
import { instantiate, type Action, type ActionDetails } from "../../ioa/index.ts";
import vsync from "../../layers/models/vsync.ts";
import { Clock } from "../../simulator/clock.ts";

const timer = (p: number): Action => ({ name: "timer", p });
const facts = (a: Action) => ({ key: `timer ${a.p}`, details: { kind: "timer", process: a.p, delay: 100 } as ActionDetails });

describe("the simulator's clock", () => {
  const clock = () => new Clock<Action>(facts, (d) => ({ delay: d.delay ?? 0, overtakes: true }));
  const ready = (c: Clock<Action>) => {
    const out: Action[] = [];
    c.ready(out, () => false);
    return out.map((a) => a.p);
  };

  it("keeps a timer's due time while it stays enabled", () => {
    const c = clock();
    const both = [timer(0), timer(1)];
    c.refresh(both);
    c.now = 60;
    c.refresh(both);
    expect(c.nextDue()).toBe(100);
    c.now = 100;
    expect(ready(c)).toEqual([0, 1]);
  });

  it("sets a restarted process's timers anew, and leaves the others' alone", () => {
    const c = clock();
    const both = [timer(0), timer(1)];
    c.refresh(both);
    c.now = 60;
    c.restartTimers(0);
    c.refresh(both);
    c.now = 100;
    expect(ready(c)).toEqual([1]);
    expect(c.nextDue()).toBe(160);
  });
});

describe("a group of stacks", () => {
  it("marks the view installation as the action after which a process's timers start afresh, and nothing else", () => {
    const { automaton } = instantiate(vsync, {});
    expect([...automaton.actions.values()].filter((info) => info.restartsTimers).map((info) => info.name)).toEqual(["view"]);
  });
});
