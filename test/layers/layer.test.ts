import { describe, expect, it } from "vitest";
import { DefinitionError, ISet, replay, t } from "../../ioa/index.ts";
import type { Event } from "../../layers/event.ts";
import { layer } from "../../layers/layer.ts";
import { local } from "../../layers/local.ts";
import { APPLICATION, applicationLevel, levelType } from "../../layers/message.ts";
import { mnak } from "../../layers/mnak.ts";
import { layerContext } from "../support/layer-context.ts";

const context = layerContext;

describe("a layer as an automaton of its own", () => {
  it("turns an event from above into events queued toward both sides (local loops a cast back)", () => {
    const a = local.automaton(context(1));
    const cast: Event = { type: "Cast", above: APPLICATION, payload: "m" };
    const run = replay(a, [
      { name: "fromAbove", ev: cast },
      { name: "toAbove", ev: { type: "Cast", above: APPLICATION, payload: "m", peer: 1 } },
      { name: "toBelow", ev: { type: "Cast", above: { above: {} } as never, payload: "m" } },
    ]);
    expect(run.ok).toBe(true);
    expect(a.why(a.startStates()[0]!, { name: "toAbove", ev: cast })).toMatch(/not enabled/);
  });

  it("pops its header off what comes from below and delivers in order what mnak receives out of order", () => {
    const ctx = context(0);
    const a = mnak().automaton(ctx);
    const data = (seqno: number, payload: string): Event => ({ type: "Cast", peer: 1, payload, above: { header: { type: "Data", seqno }, above: {} } as never });
    let s = a.startStates()[0]!;
    s = a.step(s, { name: "fromBelow", ev: data(1, "second") });
    expect(s.toAbove.filter((e) => e.type === "Cast")).toEqual([]);
    expect(s.toBelow).toEqual([{ type: "Send", peer: 1, unreliable: true, above: { header: { type: "Nak", lo: 0, hi: 1 } } }]);
    s = a.step(s, { name: "fromBelow", ev: data(0, "first") });
    expect(s.toAbove.filter((e) => e.type === "Cast").map((e) => (e as { payload: string }).payload)).toEqual(["first", "second"]);
    expect(s.toAbove.at(-1)).toEqual({ type: "Ack", casts: [0, 2] });
  });

  it("declares the level its header makes, for the wire codec", () => {
    expect(levelType(t.int(), applicationLevel).description).toBe("{ header?: int, above?: {} }");
    const a = mnak().automaton(context(0));
    expect(a.actions.get("fromBelow")!.params.description).toContain('above?: { header?: { type: "Data", seqno: int ≥ 0 } | { type: "Nak", lo: int ≥ 0, hi: int ≥ 0 }, above?: {} }');
  });
});

describe("layer definitions", () => {
  const ctx = context(0);

  it("drop a message claiming to be the layer's own when it sends none, and refuse a header on a control event", () => {
    const chatty = layer("chatty", { provides: [], requires: [] })
      .header(() => t.int())
      .handlers(() => ({ dn: (s, _ev, io) => (io.dn({ type: "Stable", stability: [], numCasts: [] }, 7), s) }));
    const a = chatty.automaton(ctx);
    const start = a.startStates()[0]!;
    expect(a.step(start, { name: "fromBelow", ev: { type: "Cast", peer: 1, above: { header: 3 } as never } })).toEqual(start);
    expect(() => a.step(start, { name: "fromAbove", ev: { type: "Block" } })).toThrow(new DefinitionError("layer chatty gave a header to a Stable event, which carries no message"));
  });

  it("refuse a timer no handler receives", () => {
    const idle = layer("idle", { provides: [], requires: [] }).handlers(() => ({ timer: { delay: 5, when: () => true } }));
    expect(() => idle.build(ctx)).toThrow("layer idle has a timer but no `up` handler to receive it");
  });

  it("pass on what they do not handle, and timer events meant for others", () => {
    const a = layer("quiet", { provides: [], requires: [] }).automaton(ctx);
    let s = a.startStates()[0]!;
    s = a.step(s, { name: "fromBelow", ev: { type: "Timer", layer: "mnak" } });
    s = a.step(s, { name: "fromAbove", ev: { type: "Suspect", suspects: ISet.of(1) } });
    expect(s.toAbove).toEqual([{ type: "Timer", layer: "mnak" }]);
    expect(s.toBelow).toEqual([{ type: "Suspect", suspects: ISet.of(1) }]);
  });
});
