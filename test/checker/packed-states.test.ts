import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { PackedStates } from "../../checker/packed-states.ts";
import { instantiate, ISet, t, typedFingerprintInto, valuesEqual, walk, type Value } from "../../ioa/index.ts";
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
});
