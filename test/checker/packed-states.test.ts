import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { PackedStates } from "../../checker/packed-states.ts";
import { FingerprintSet } from "../../checker/fingerprint-set.ts";
import { NOT_A_VALUE } from "../../ioa/hash.ts";
import { automaton as define, instantiate, ISet, t, typedFingerprintInto, ValueError, valuesEqual, walk, type Value } from "../../ioa/index.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import fifo from "../../layers/models/fifo.ts";

const fingerprintOf = (type: Parameters<typeof typedFingerprintInto>[0], v: unknown) => {
  const out = new Int32Array(2);
  typedFingerprintInto(type, v as never, out, 0);
  return [...out];
};

describe("packed states", () => {
  it("law: a state of two-phase packed and unpacked is the state, with the same fingerprint", () => {
    const { automaton } = instantiate(twoPhase, { rms: 5 });
    const packed = PackedStates.of(automaton.stateType)!;
    // Two bits per RM, one for the TM, five for the prepared RMs, seven for the messages.
    expect(packed.words).toBe(1);
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const run = walk(automaton, { steps: 30, seed });
        const words = new Int32Array(packed.words * run.states.length);
        run.states.forEach((s, i) => packed.pack(s, words, i * packed.words));
        run.states.forEach((s, i) => {
          const back = packed.unpack(words, i * packed.words);
          expect(valuesEqual(back as Value, s as Value)).toBe(true);
          expect(fingerprintOf(automaton.stateType, back)).toEqual(fingerprintOf(automaton.stateType, s));
        });
      }),
      { numRuns: 50 },
    );
  });

  it("packs optional fields, bounded ints, tuples, literals and unions, and reads them back as they were", () => {
    const P = t.ids("P", 3);
    const type = t.record({
      n: t.int(-3, 40),
      maybe: t.optional(t.enum("x", "y")),
      pair: t.tuple(t.bool(), P),
      kind: t.literal("k"),
      msg: t.variant("type", { Ack: { from: P }, Nak: {} }),
      acks: t.set(t.variant("type", { Ack: { from: P }, Nak: {} })),
    });
    const packed = PackedStates.of(type)!;
    const values = [
      { n: -3, pair: [false, 0], kind: "k", msg: { type: "Nak" }, acks: ISet.empty() },
      { n: 40, maybe: "y", pair: [true, 2], kind: "k", msg: { type: "Ack", from: 1 }, acks: ISet.of({ type: "Ack", from: 2 }, { type: "Nak" }) },
    ];
    const words = new Int32Array(packed.words * values.length);
    values.forEach((v, i) => packed.pack(v as never, words, i * packed.words));
    values.forEach((v, i) => expect(packed.unpack(words, i * packed.words)).toEqual(v));
  });

  it("a type holding strings, lists or maps does not pack", () => {
    expect(PackedStates.of(t.record({ s: t.string() }))).toBeUndefined();
    expect(PackedStates.of(t.record({ xs: t.array(t.bool()) }))).toBeUndefined();
    expect(PackedStates.of(instantiate(fifo).automaton.stateType)).toBeUndefined();
  });

  it("a search that packs every state finds the counts and the counterexample of one that packs none", async () => {
    for (const packStatesFrom of [0, Infinity]) {
      const r = await check(instantiate(twoPhase, { rms: 5 }), { packStatesFrom });
      expect([r.distinctStates, r.generatedStates, r.maxDepth]).toEqual([8832, 58146, 16]);
      const bug = await check(instantiate(twoPhase, { rms: 4, commitOnAnyPrepared: true }), { packStatesFrom });
      expect(bug.violation?.counterexample?.actions.length).toBe(5);
    }
  });

  it("law: a state packed from the state before it (its unchanged fields copied) packs as from scratch", () => {
    const { automaton } = instantiate(twoPhase, { rms: 9 });
    const packed = PackedStates.of(automaton.stateType)!;
    expect(packed.words).toBe(2);
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const run = walk(automaton, { steps: 40, seed });
        const words = new Int32Array(packed.words * run.states.length);
        const scratch = new Int32Array(packed.words);
        run.states.forEach((s, i) => {
          packed.pack(s, words, i * packed.words, i > 0 ? run.states[i - 1] : undefined, words, (i - 1) * packed.words);
          packed.pack(s, scratch, 0);
          expect([...words.subarray(i * packed.words, (i + 1) * packed.words)]).toEqual([...scratch]);
        });
      }),
      { numRuns: 50 },
    );
  });

  it("refuses a value that is not of its type rather than pack it as another", () => {
    const P = t.ids("P", 3);
    const type = t.record({ e: t.enum("x", "y"), p: P, n: t.int(0, 9), b: t.bool(), ps: t.set(P), pair: t.tuple(P, P) });
    const packed = PackedStates.of(type)!;
    const good = { e: "x", p: 2, n: 9, b: true, ps: ISet.of(0, 2), pair: [1, 0] };
    const words = new Int32Array(packed.words);
    expect(() => packed.pack(good as never, words, 0)).not.toThrow();
    const bad = [{ e: "z" }, { p: 3 }, { p: 1.5 }, { n: 10 }, { n: "1" }, { b: 1 }, { ps: ISet.of(5) }, { ps: [0] }, { pair: [1] }, { extra: 1 }];
    for (const change of bad) expect(() => packed.pack({ ...good, ...change } as never, words, 0), JSON.stringify(change)).toThrow(NOT_A_VALUE);
  });

  it("a search keyed by packings names the path of a state that does not fit its type", async () => {
    const State = t.record({ phase: t.enum("a", "b"), n: t.int(0, 3) });
    const m = define("ill-typed", State)
      .start({ phase: "a", n: 0 })
      .internal("up", {}, { pre: (s) => s.n < 3, next: (s) => ({ phase: s.n === 2 ? ("c" as "a") : "b", n: s.n + 1 }) });
    const error = await check({ name: "ill-typed", automaton: m, properties: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect((error as ValueError).path).toBe("state.phase");
  });

  it("law: the visited set answers as a plain set of pairs, its cache of recent pairs included", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -600, max: 600 })), { maxLength: 3000 }), (pairs) => {
        const set = new FingerprintSet(16);
        const model = new Set<string>();
        for (const [a, b] of pairs) {
          const key = a === 0 && b === 0 ? "0,1" : `${a},${b}`;
          expect(set.add(a, b)).toBe(!model.has(key));
          model.add(key);
        }
        expect(set.size).toBe(model.size);
        for (const [a, b] of pairs) expect(set.has(a, b)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
