import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTyped, DefinitionError, encodeTyped, ISet, formatAction, t, valuesEqual, walk } from "../../ioa/index.ts";
import { castMessage, messages, sendMessage } from "../../layers/application.ts";
import { bottom } from "../../layers/bottom.ts";
import { frag } from "../../layers/frag.ts";
import { group } from "../../layers/group.ts";
import { layer, type AnyLayer } from "../../layers/layer.ts";
import { local } from "../../layers/local.ts";
import { mnak } from "../../layers/mnak.ts";
import { NO_FAULTS } from "../../layers/network.ts";
import { pt2pt } from "../../layers/pt2pt.ts";
import { SERVICE_PROPERTIES, type ServiceProperty } from "../../layers/property.ts";
import { stable } from "../../layers/stable.ts";
import { stack, type StackAction, type StackState } from "../../layers/stack.ts";
import { fifo } from "../../layers/stacks/fifo.ts";
import { top } from "../../layers/top.ts";

/**
 * A layer that pushes a header naming itself on every message going down, and sends a message of
 * its own for every message it passes: it counts the headers it gets back and keeps any that is
 * not its own.
 */
function tagger(name: string) {
  return layer(name, { provides: [], requires: [] })
    .header(() => t.record({ layer: t.string(), own: t.int(0) }))
    .state(
      () => ({ sent: t.int(0), seen: t.int(0), ownSeen: t.int(0), foreign: t.array(t.string()) }),
      () => ({ sent: 0, seen: 0, ownSeen: 0, foreign: [] }),
    )
    .handlers((_ctx, State) => ({
      dn(s, ev, io) {
        if (ev.type !== "Cast" && ev.type !== "Send") {
          io.dn(ev);
          return s;
        }
        io.dn(ev, { layer: name, own: 0 });
        if (ev.unreliable) return s;
        // Numbered, so that the network never takes two of them for one packet.
        io.dn({ type: "Cast", unreliable: true }, { layer: name, own: s.sent + 1 });
        return State.with(s, { sent: s.sent + 1 });
      },
      up(s, ev, header, io) {
        io.up(ev);
        if (ev.type !== "Cast" && ev.type !== "Send") return s;
        if (header?.layer !== name || header.own !== 0) return State.with(s, { foreign: [...s.foreign, JSON.stringify(header ?? null)] });
        return State.with(s, { seen: s.seen + 1 });
      },
      own(s, _ev, header) {
        if (header?.layer !== name || header.own === 0) return State.with(s, { foreign: [...s.foreign, JSON.stringify(header ?? null)] });
        return State.with(s, { ownSeen: s.ownSeen + 1 });
      },
    }));
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe("a stack", () => {
  it("hands every layer its own header, in any order of layers, and the application its payload", () => {
    const names = ["a", "b", "c", "d", "e"];
    fc.assert(
      fc.property(fc.shuffledSubarray(names, { minLength: 1 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.nat(), (order, casts, sends, seed) => {
        const definition = stack("tagged", [top([]), ...order.map(tagger), bottom]);
        const run = walk(group(definition, { n: 2, workload: { casts, sends }, budget: NO_FAULTS }), { steps: 10_000, seed });
        expect(run.ended).toBe("quiescent");
        const end = run.states[run.states.length - 1]!;
        for (const p of [0, 1]) {
          const q = 1 - p;
          // No ordering layer: the messages arrive in any order, but each arrives whole.
          expect(sorted(end.application[p]!.delivered[q]!)).toEqual(messages(casts, castMessage));
          expect(sorted(end.application[p]!.received[q]!)).toEqual(messages(sends, sendMessage));
          for (const name of order) {
            const seen = end.stacks[p]!.layers[name] as { seen: number; ownSeen: number; foreign: string[] };
            expect(seen.foreign).toEqual([]);
            expect(seen.ownSeen).toBe(casts + sends);
            // Each layer also carries the own messages of the layers above it.
            expect(seen.seen).toBe((casts + sends) * (1 + order.indexOf(name)));
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  const catalogue: readonly AnyLayer[] = [local, frag({ maxLength: 1 }), stable(), pt2pt(), mnak(), bottom];

  /** Every (layer, property) such that the layer needs the property and no layer below it provides it. */
  function unmet(layers: readonly AnyLayer[]): string[] {
    return layers.flatMap((l, i) => l.requires.filter((need) => !layers.slice(i + 1).some((b) => b.provides.includes(need))).map((need) => `layer ${l.name} needs ${need}`));
  }

  it("is refused, naming the layer and the property, exactly when a layer needs what no layer below provides", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...catalogue], { minLength: 1 }), (layers) => {
        const missing = unmet(layers);
        if (missing.length === 0) {
          expect(() => stack("s", layers)).not.toThrow();
          return;
        }
        let message = "";
        try {
          stack("s", layers);
        } catch (e) {
          expect(e).toBeInstanceOf(DefinitionError);
          message = (e as Error).message;
        }
        expect(missing.some((m) => message.includes(m))).toBe(true);
        expect(message).toMatch(/which no layer below it provides \(below it: [a-z0-9, ]+|none\)/);
      }),
    );
    expect(() => stack("broken", [frag({ maxLength: 4 }), mnak(), bottom])).toThrow(
      `stack broken: layer frag needs reliableFifoSend (${SERVICE_PROPERTIES.reliableFifoSend}), which no layer below it provides (below it: mnak, bottom)`,
    );
    expect(() => stack("s", [stable()])).toThrow("layer stable needs castCounts");
    expect(() => stack("s", [bottom, bottom])).toThrow("stack s: layer bottom appears twice");
    expect(() => stack("s", [])).toThrow("stack s: no layers");
  });

  it("delivers every cast and send in order, in any order of its layers that meets their requirements, despite a drop and a duplicate", () => {
    const middle = catalogue.slice(0, -1);
    fc.assert(
      fc.property(fc.shuffledSubarray([...middle], { minLength: middle.length, maxLength: middle.length }), fc.nat(), (order, seed) => {
        const layers = [top(["reliableFifoCast", "reliableFifoSend", "selfDelivery", "fragmentation"] satisfies ServiceProperty[]), ...order, bottom];
        fc.pre(unmet(layers).length === 0);
        const run = walk(group(stack("any", layers), { n: 2, workload: { casts: 2, sends: 1 }, budget: { ...NO_FAULTS, drops: 1, duplicates: 1 } }), { steps: 20_000, seed });
        expect(run.ended).toBe("quiescent");
        const end = run.states[run.states.length - 1]!;
        for (const p of [0, 1]) {
          for (const q of [0, 1]) expect(end.application[p]!.delivered[q]).toEqual(messages(2, castMessage));
          expect(end.application[p]!.received[1 - p]).toEqual(messages(1, sendMessage));
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe("a stack's packets", () => {
  it("round-trip through the wire codec derived from the stack's types, in a few bytes", () => {
    const definition = fifo({ maxLength: 1 });
    const { Packet } = definition.types(3);
    const run = walk(group(definition, { n: 3, workload: { casts: 2, sends: 1 }, budget: { ...NO_FAULTS, drops: 2, duplicates: 1 } }), { steps: 600, seed: 3 });
    const packets = run.actions.flatMap((a) => (a.name === "transmit" ? [a.packet] : []));
    expect(packets.length).toBeGreaterThan(20);
    for (const packet of packets) {
      const bytes = encodeTyped(Packet, packet);
      expect(decodeTyped(Packet, bytes)).toEqual(packet);
      expect(bytes.length).toBeLessThan(24);
    }
  });
});

describe("a stack's run", () => {
  const definition = stack("fifo-ish", [top(["reliableFifoCast", "selfDelivery"]), local, stable(), mnak(), bottom]);
  const p0 = definition.build(3, 0);
  const start = p0.startStates()[0]!;
  const outputs = (s: StackState) => {
    const out: StackAction[] = [];
    for (let at = s; at.pending.length > 0; at = p0.step(at, out[out.length - 1]!)) {
      const next: StackAction[] = [];
      p0.enabled(at, next);
      expect(next).toHaveLength(1);
      out.push(next[0]!);
    }
    return out;
  };

  it("runs a cast to completion: delivered to itself, then transmitted, and nothing else is enabled meanwhile", () => {
    const s = p0.step(start, { name: "cast", p: 0, msg: "hello" });
    expect(outputs(s).map((a) => a.name)).toEqual(["deliver", "transmit"]);
    expect(outputs(s)[0]).toEqual({ name: "deliver", p: 0, from: 0, msg: "hello" });
    expect(p0.why(s, { name: "timer", p: 0, layer: "mnak", timer: "retransmit" })).toMatch(/^the stack is still emitting deliver\(p: 0, from: 0, msg: "hello"\)$/);
  });

  it("offers a timer only while its layer has work, and explains why not", () => {
    expect(p0.why(start, { name: "timer", p: 0, layer: "mnak", timer: "retransmit" })).toBe("layer mnak has no work for its timer retransmit");
    const acts = outputs(p0.step(start, { name: "cast", p: 0, msg: "m" }));
    let s = p0.step(start, { name: "cast", p: 0, msg: "m" });
    for (const a of acts) s = p0.step(s, a);
    const timers: StackAction[] = [];
    p0.enabled(s, timers);
    expect(timers.map((a) => formatAction(a))).toEqual(['timer(p: 0, layer: "mnak", timer: "retransmit")']);
    expect(p0.details(timers[0]!)).toEqual({ kind: "timer", process: 0, delay: 1000 });
  });

  it("ignores inputs while crashed, and owns only its own process's actions", () => {
    const crashed = p0.step(start, { name: "crash", p: 0 });
    expect(p0.step(crashed, { name: "cast", p: 0, msg: "m" })).toBe(crashed);
    expect(p0.why(crashed, { name: "timer", p: 0, layer: "mnak", timer: "retransmit" })).toBe("process 0 has crashed");
    expect(p0.roleOf({ name: "cast", p: 1, msg: "m" })).toBeUndefined();
    expect(p0.why(start, { name: "cast", p: 1, msg: "m" })).toMatch(/owns only p = 0/);
  });

  it("refuses events that leave the stack the wrong way", () => {
    const leaky = layer("leaky", { provides: [], requires: [] }).handlers(() => ({ dn: (s, _ev, io) => (io.up({ type: "Suspect", suspects: ISet.of(1) }), s) }));
    const s = stack("leaky", [leaky, bottom]).build(2, 0);
    expect(() => s.step(s.startStates()[0]!, { name: "cast", p: 0, msg: "m" })).toThrow("a Suspect event left the top layer; the application takes only deliveries (Cast and Send with a sender and a payload), View, Block, Exit and Excluded");
    const sink = layer("sink", { provides: [], requires: [] }).handlers(() => ({ dn: (s, ev, io) => (io.dn(ev), s) }));
    const noBottom = stack("nobottom", [sink]).build(2, 0);
    expect(() => noBottom.step(noBottom.startStates()[0]!, { name: "cast", p: 0, msg: "m" })).toThrow("a Cast event left the bottom layer; the network takes only Transmit events");
  });

  it("gives the very state it gave when it takes the same input object in the same state object (in each of several states), and nothing another stack gave", () => {
    const cast = { name: "cast", p: 0, msg: "m" } as const;
    const once = p0.step(start, cast);
    expect(p0.step(start, cast)).toBe(once);
    // A stack taking the same action in another state, or another stack (a planted bug in the
    // same layers) taking it in this very state, runs it.
    const after = p0.step(start, { name: "cast", p: 0, msg: "n" });
    const other = p0.step(after, cast);
    expect(valuesEqual(other as never, once as never)).toBe(false);
    expect(p0.step(after, cast)).toBe(other);
    expect(p0.step(start, cast)).toBe(once);
    const silent = mnak().mutant(() => ({ dn: (s) => s }));
    const buggy = stack("fifo-ish", [top(["reliableFifoCast", "selfDelivery"]), local, stable(), silent, bottom]).build(3, 0);
    expect(buggy.step(start, cast).pending.map((o) => o.kind)).toEqual(["deliver"]);
    expect(once.pending.map((o) => o.kind)).toEqual(["deliver", "transmit"]);
    // Each stack remembers on the action under a field of its own: the other's run evicts nothing.
    expect(buggy.step(start, cast)).toBe(buggy.step(start, cast));
    expect(p0.step(start, cast)).toBe(once);
    // What the stack remembers on the action is no part of its value, and an action that cannot take it (frozen) is run each time.
    expect(cast).toEqual({ name: "cast", p: 0, msg: "m" });
    expect(JSON.stringify(cast)).toBe('{"name":"cast","p":0,"msg":"m"}');
    const frozen = Object.freeze({ name: "cast", p: 0, msg: "m" } as const);
    expect(p0.step(start, frozen)).not.toBe(p0.step(start, frozen));
    expect(valuesEqual(p0.step(start, frozen) as never, once as never)).toBe(true);
  });

  it("takes an input once (takeOnce, as the runtime does) to the state step gives, remembering nothing on the action", () => {
    const cast = { name: "cast", p: 0, msg: "m" } as const;
    const taken = p0.takeOnce(start, cast);
    expect(valuesEqual(taken as never, p0.step(start, { ...cast }) as never)).toBe(true);
    expect(p0.takeOnce(start, cast)).not.toBe(taken);
    expect(Object.getOwnPropertySymbols(cast)).toEqual([]);
    // Outputs, crash and recover go the same way as with step.
    expect(valuesEqual(p0.takeOnce(taken, { name: "deliver", p: 0, from: 0, msg: "m" } as never) as never, p0.step(taken, { name: "deliver", p: 0, from: 0, msg: "m" } as never) as never)).toBe(true);
    expect(p0.takeOnce(start, { name: "crash", p: 0 }).crashed).toBe(true);
  });

  it("starts every run afresh, even after a run that threw", () => {
    const sink = layer("sink", { provides: [], requires: [] }).handlers(() => ({
      dn: (s, ev, io) => (ev.type === "Cast" && ev.payload === "bad" ? (io.dn(ev), io.up({ type: "LostMessage", peer: 1 })) : io.dn(ev), s),
    }));
    const s = stack("sink", [sink, bottom]).build(2, 0);
    const start = s.startStates()[0]!;
    expect(() => s.step(start, { name: "cast", p: 0, msg: "bad" })).toThrow("a LostMessage event left the top layer");
    expect(s.drain(s.step(start, { name: "cast", p: 0, msg: "good" })).outputs.map((o) => o.kind)).toEqual(["transmit"]);
  });
});

describe("draining a stack", () => {
  it("gives the outputs and the state that taking them one by one gives", () => {
    const definition = fifo({ maxLength: 2 });
    const automaton = group(definition, { n: 3, workload: { casts: 2, sends: 1 }, budget: { ...NO_FAULTS, drops: 3, duplicates: 2, crashes: 1, recoveries: 1 } });
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const run = walk(automaton, { steps: 300, seed });
        for (const state of run.states) {
          state.stacks.forEach((s: StackState, p: number) => {
            const p0 = definition.build(3, p);
            const { outputs, state: drained } = p0.drain(s);
            let stepped = s;
            const taken: StackAction[] = [];
            for (let k = 0; k < outputs.length; k++) {
              const next: StackAction[] = [];
              p0.enabled(stepped, next);
              taken.push(next[0]!);
              stepped = p0.step(stepped, next[0]!);
            }
            expect(taken.map((a) => a.name)).toEqual(outputs.map((o) => o.kind));
            expect(valuesEqual(drained as never, stepped as never)).toBe(true);
            expect(drained.pending).toHaveLength(0);
          });
        }
      }),
      { numRuns: 20 },
    );
  });
});
