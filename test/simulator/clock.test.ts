// The simulator's timetable: timers fall due their delay after they were set; a process that
// restarts its timers (a view installed) sets those still enabled anew.

import { describe, expect, it } from "vitest";
import { automaton as automaton_, compose, instantiate, t, type Action, type ActionDetails, type Automaton } from "../../ioa/index.ts";
import { prioritize } from "../../layers/priority.ts";
import { IMMEDIATE_OUTPUTS } from "../../layers/stack.ts";
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

  it("keeps the due times of what urgent steps hide for a moment, and takes what vanished in plain sight as new", () => {
    const c = clock();
    const both = [timer(0), timer(1)];
    c.refresh(both);
    c.now = 60;
    c.hide();
    expect(ready(c)).toEqual([]);
    c.now = 100;
    c.hide();
    expect(ready(c)).toEqual([]);
    c.refresh(both);
    expect(ready(c)).toEqual([0, 1]);
    c.refresh([both[0]!]);
    c.refresh(both);
    expect(ready(c)).toEqual([0]);
    expect(c.nextDue()).toBe(200);
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
  it("marks the stacks' immediate outputs urgent, and nothing else; composed with another automaton, urgency is not promised", () => {
    const { automaton } = instantiate(vsync, {});
    const urgent = (a: Automaton<unknown, Action>) => [...a.actions.values()].filter((info) => info.urgent).map((info) => info.name).sort();
    expect(urgent(automaton)).toEqual([...IMMEDIATE_OUTPUTS].sort());
    const talker = prioritize(automaton_("talker", { said: t.bool() }).start({ said: false }).output("say", {}, { pre: (s) => !s.said, next: () => ({ said: true }) }), { urgent: ["say"] });
    const listener = automaton_("listener", { heard: t.bool() }).start({ heard: false }).input("say", {}, { next: () => ({ heard: true }) });
    expect(urgent(talker)).toEqual(["say"]);
    expect(urgent(compose("conversation", { talker, listener }))).toEqual([]);
  });

  it("marks the view installation as the action after which a process's timers start afresh, and nothing else", () => {
    const { automaton } = instantiate(vsync, {});
    expect([...automaton.actions.values()].filter((info) => info.restartsTimers).map((info) => info.name)).toEqual(["view"]);
  });
});
