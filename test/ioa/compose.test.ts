import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { automaton, compose, DefinitionError, enabledActions, hide, instances, rename, replay, t, traceOf, walk, type Action } from "../../ioa/index.ts";
import { build, explore, systemArb } from "../support/random-automata.ts";
import lossyChannelModel from "../../specs/examples/lossy-channel.ts";
import { instantiate } from "../../ioa/index.ts";

type X = { x: number };

describe("composition laws on random automata", () => {
  it("is associative and commutative up to the order of components", () => {
    fc.assert(
      fc.property(systemArb, ([sa, sb, sc]) => {
        const [A, B, C] = [build("A", sa!), build("B", sb!), build("C", sc!)];
        const flat = compose("flat", { A, B, C });
        const nested = compose("nested", { A, BC: compose("BC", { B, C }) });
        const reversed = compose("reversed", { C, B, A });
        const view = (s: { A: X; B: X; C: X }) => [s.A.x, s.B.x, s.C.x];
        const expected = explore(flat, view);
        expect(explore(nested, (s) => view({ A: s.A, B: s.BC.B, C: s.BC.C }))).toEqual(expected);
        expect(explore(reversed, view)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("hiding changes which actions are external, never the executions", () => {
    fc.assert(
      fc.property(systemArb, fc.integer(), ([sa, sb, sc], seed) => {
        const system = compose("S", { A: build("A", sa!), B: build("B", sb!), C: build("C", sc!) });
        const outputs = [...system.actions.values()].filter((i) => i.role === "output").map((i) => i.name);
        const hidden = hide(system, outputs.slice(0, 1));
        const view = (s: { A: X; B: X; C: X }) => [s.A.x, s.B.x, s.C.x];
        const strip = (edges: Set<string>) => new Set([...edges].map((e) => e.replace(/:(output|internal|input)/, "")));
        expect(strip(explore(hidden, view))).toEqual(strip(explore(system, view)));
        const run = walk(system, { steps: 30, seed });
        expect(replay(hidden, run.actions).ok).toBe(true);
        expect(traceOf(hidden, run).map((a) => a.name)).toEqual(traceOf(system, run).map((a) => a.name).filter((n) => !outputs.slice(0, 1).includes(n)));
      }),
      { numRuns: 200 },
    );
  });
});

const Msg = t.string();
const producer = automaton("producer", { n: t.int(0, 2) })
  .start({ n: 0 })
  .output("send", { m: Msg }, { enabled: (s) => (s.n < 2 ? [{ m: `m${s.n}` }] : []), effect: (s) => void s.n++ });
const consumer = automaton("consumer", { got: t.array(Msg) })
  .start({ got: [] })
  .input("send", { m: Msg }, (s, { m }) => void s.got.push(m));

describe("compose", () => {
  it("synchronizes a shared action: the output happens with every input taking it", () => {
    const system = compose("pc", { producer, consumer });
    const s0 = system.startStates()[0]!;
    const [send] = enabledActions(system, s0);
    expect(send).toEqual({ name: "send", m: "m0" });
    const s1 = system.step(s0, send!);
    expect(s1).toEqual({ producer: { n: 1 }, consumer: { got: ["m0"] } });
    expect(system.roleOf(send!)).toBe("output");
  });

  it("rejects two components with the same output, naming the action and both", () => {
    expect(() => compose("bad", { p1: producer, p2: producer })).toThrowError(`compose bad: action "send" is an output of both "p1" and "p2"`);
  });

  it("rejects an internal action that another component shares", () => {
    const secret = automaton("secret", { x: t.int(0, 1) }).start({ x: 0 }).internal("send", { m: Msg }, { enabled: () => [] });
    expect(() => compose("bad", { secret, consumer })).toThrowError(`compose bad: action "send" is internal to "secret" and may not appear in "consumer"`);
  });

  it("rejects components that disagree on an action's parameters", () => {
    const other = automaton("other", { got: t.array(t.int()) }).start({ got: [] }).input("send", { m: t.int() }, (s, { m }) => void s.got.push(m));
    expect(() => compose("bad", { producer, other })).toThrowError(`compose bad: action "send" has parameters { m: string } in "producer" but { m: int } in "other"`);
  });

  it("routes owned actions to the instance of their owner", () => {
    const Pid = t.ids("P", 3);
    const proc = (p: number) =>
      automaton("proc", { up: t.bool(), sent: t.int(0, 1) })
        .start({ up: true, sent: 0 })
        .output("hello", { p: Pid }, { owner: "p", pre: (s) => s.up && s.sent === 0, effect: (s) => void (s.sent = 1) })
        .input("crash", { p: Pid }, { owner: "p", effect: (s) => void (s.up = false) })
        .instance(p);
    const group = compose("group", instances("proc", [0, 1, 2], proc));
    const s0 = group.startStates()[0]!;
    expect(enabledActions(group, s0)).toEqual([
      { name: "hello", p: 0 },
      { name: "hello", p: 1 },
      { name: "hello", p: 2 },
    ]);
    const s1 = group.step(s0, { name: "crash", p: 1 } as Action as never);
    expect(Object.values(s1).map((s) => (s as { up: boolean }).up)).toEqual([true, false, true]);
    expect(enabledActions(group, s1).map((a) => (a as { p: number }).p)).toEqual([0, 2]);
    expect(group.roleOf({ name: "crash", p: 1 } as never)).toBe("input");
    expect(group.details({ name: "hello", p: 2 } as never)).toEqual({ kind: "step", process: 2 });
  });

  it("takes an action's details from the component that controls it", () => {
    const system = instantiate(lossyChannelModel).automaton;
    expect(system.details({ name: "drop", m: "m1" } as never)).toEqual({ kind: "fault", fault: "drop", message: "m1" });
    expect(system.details({ name: "receive", m: "m1" } as never)).toEqual({ kind: "deliver", message: "m1" });
    expect(system.details({ name: "send", m: "m1" } as never)).toEqual({ kind: "step" });
  });

  it("passes a partition's components and a chart label through composition, renaming and hiding", () => {
    const net = automaton("net", { split: t.bool() })
      .start({ split: false })
      .internal("partition", {}, {
        kind: "fault",
        pre: (s) => !s.split,
        details: () => ({ fault: "partition", components: [[0, 1], [2]] }),
        next: () => ({ split: true }),
      })
      .output("view", { p: t.ids("P", 3) }, { owner: "p", details: ({ p }) => ({ label: `view at ${p}` }) });
    const system = hide(compose("system", { net: rename(net, { partition: "split" }) }), ["view"]);
    expect(system.details({ name: "split" } as never)).toEqual({ kind: "fault", fault: "partition", components: [[0, 1], [2]] });
    expect(system.details({ name: "view", p: 2 } as never)).toEqual({ kind: "step", process: 2, label: "view at 2" });
  });

  it("renames actions to connect definitions written apart", () => {
    const sink = automaton("sink", { got: t.array(Msg) }).start({ got: [] }).input("put", { m: Msg }, (s, { m }) => void s.got.push(m));
    const system = compose("renamed", { producer: rename(producer, { send: "put" }), sink });
    const run = walk(system, { steps: 10, seed: 3 });
    expect(run.states.at(-1)).toEqual({ producer: { n: 2 }, sink: { got: ["m0", "m1"] } });
    expect(run.actions.map((a) => a.name)).toEqual(["put", "put"]);
    expect(() => rename(producer, { nothing: "x" })).toThrowError(`rename: "nothing" is not an action of producer`);
  });

  it("hides outputs only", () => {
    expect(() => hide(consumer, ["send"])).toThrowError(DefinitionError);
    expect(() => hide(consumer, ["send"])).toThrowError('hide: "send" is not an output of consumer (it is an input)');
  });
});
