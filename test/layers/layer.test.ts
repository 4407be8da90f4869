import { describe, expect, it } from "vitest";
import { DefinitionError, enabledActions, ISet, replay, t } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { layer } from "../../layers/layer.ts";
import { local } from "../../layers/local.ts";
import { fromApplication } from "../../layers/message.ts";
import { mnak } from "../../layers/mnak.ts";

describe("a layer as an automaton of its own", () => {
  it("turns an event from above into events queued toward both sides (local loops a cast back)", () => {
    const a = local.automaton(2, 1);
    const cast: Event = { type: "Cast", above: fromApplication(), payload: "m" };
    const run = replay(a, [
      { name: "fromAbove", ev: cast },
      { name: "toAbove", ev: { type: "Cast", above: fromApplication(), payload: "m", peer: 1 } },
      { name: "toBelow", ev: { type: "Cast", above: fromApplication(), payload: "m" } },
    ]);
    expect(run.ok).toBe(true);
    expect(a.why(a.startStates()[0]!, { name: "toAbove", ev: cast })).toMatch(/not enabled/);
  });

  it("pops its header off what comes from below and delivers in order what mnak receives out of order", () => {
    const a = mnak().automaton(2, 0);
    const data = (seqno: number, payload: string): Event => ({ type: "Cast", peer: 1, payload, above: { origin: "application", mnak: { type: "Data", seqno } } as never });
    let s = a.startStates()[0]!;
    s = a.step(s, { name: "fromBelow", ev: data(1, "second") });
    expect(s.toAbove.filter((e) => e.type === "Cast")).toEqual([]);
    expect(s.toBelow).toEqual([{ type: "Send", peer: 1, unreliable: true, above: { origin: "mnak", mnak: { type: "Nak", lo: 0, hi: 1 } } }]);
    s = a.step(s, { name: "fromBelow", ev: data(0, "first") });
    expect(s.toAbove.filter((e) => e.type === "Cast").map((e) => (e as { payload: string }).payload)).toEqual(["first", "second"]);
    expect(s.toAbove.at(-1)).toEqual({ type: "Ack", casts: [0, 2] });
  });

  it("declares its header in the header stacks it reads and writes, for the wire codec", () => {
    const a = mnak().automaton(2, 0);
    expect(a.actions.get("fromBelow")!.params.description).toContain('above?: { origin: "application" | "mnak", mnak?: { type: "Data", seqno: int ≥ 0 } | { type: "Nak", lo: int ≥ 0, hi: int ≥ 0 } }');
  });
});

describe("layer definitions", () => {

  it("drop a message claiming to be the layer's own when it sends none, and refuse a header on a control event (at compile time, and at run time for untyped callers)", () => {
    const chatty = layer("chatty", { provides: [], requires: [] })
      .header(() => t.int())
      // @ts-expect-error: a control event carries no header
      .handlers(() => ({ dnControl: (s, _ev, io) => (io.dn({ type: "Stable", stability: [], numCasts: [] }, 7), s) }));
    const a = chatty.automaton(2, 0);
    const start = a.startStates()[0]!;
    expect(a.step(start, { name: "fromBelow", ev: { type: "Cast", peer: 1, above: { origin: "chatty", chatty: 3 } as never } })).toEqual(start);
    expect(() => a.step(start, { name: "fromAbove", ev: { type: "Block" } })).toThrow(new DefinitionError("layer chatty gave a header to a Stable event, which carries no message"));
  });

  it("have named timers, each offered when it has work, handled by its own `fire`", () => {
    const beat = layer("beat", { provides: [], requires: [] })
      .state(() => ({ beats: t.int(0) }), () => ({ beats: 0 }))
      .handlers((_ctx, State) => ({
        timers: {
          heartbeat: { delay: 10, background: true, when: () => true, fire: (s, io) => (io.dn({ type: "Cast", unreliable: true }), State.with(s, { beats: s.beats + 1 })) },
          giveUp: { delay: 50, when: (s) => s.beats >= 2, fire: (s, io) => (io.up({ type: "Exit" }), s) },
        },
      }));
    const a = beat.automaton(2, 0);
    let s = a.startStates()[0]!;
    expect(enabledActions(a, s)).toEqual([{ name: "timer", timer: "heartbeat" }]);
    s = a.step(a.step(s, { name: "timer", timer: "heartbeat" }), { name: "timer", timer: "heartbeat" });
    expect(s.layer.beats).toBe(2);
    expect(enabledActions(a, s).filter((x) => x.name === "timer")).toEqual([{ name: "timer", timer: "heartbeat" }, { name: "timer", timer: "giveUp" }]);
    expect(a.details({ name: "timer", timer: "giveUp" })).toMatchObject({ kind: "timer", delay: 50 });
    s = a.step(s, { name: "timer", timer: "giveUp" });
    expect(s.toAbove).toEqual([{ type: "Exit" }]);
  });

  it("pass on what they do not handle, messages and control events alike", () => {
    const a = layer("quiet", { provides: [], requires: [] }).automaton(2, 0);
    let s = a.startStates()[0]!;
    s = a.step(s, { name: "fromBelow", ev: { type: "Block" } });
    s = a.step(s, { name: "fromAbove", ev: { type: "Suspect", suspects: ISet.of(1) } });
    s = a.step(s, { name: "fromBelow", ev: { type: "Cast", peer: 1, above: { origin: "application" } as never, payload: "m" } });
    expect(s.toAbove).toEqual([{ type: "Block" }, { type: "Cast", peer: 1, above: { origin: "application" }, payload: "m" }]);
    expect(s.toBelow).toEqual([{ type: "Suspect", suspects: ISet.of(1) }]);
  });
});
