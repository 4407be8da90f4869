import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InternedParts } from "../../checker/interned-parts.ts";
import { decodeTyped, encodeTyped } from "../../ioa/typed-codec.ts";
import { instantiate, t, ValueError, valuesEqual, walk, type Value } from "../../ioa/index.ts";
import fifo from "../../layers/models/fifo.ts";

const { automaton } = instantiate(fifo, { processes: 3, casts: 1, drops: 1, duplicates: 1 });
type S = ReturnType<typeof automaton.step>;
const type = automaton.stateType;

/** An equal state sharing no object with `s`. */
const copyOf = (s: S): S => decodeTyped(type, encodeTyped(type, s));

function keyer() {
  const interned = InternedParts.of(type)!;
  const ids = new Int32Array(interned.parts);
  return (s: S, parent?: { state: S; ids: Int32Array }) => {
    const out = new Int32Array(2);
    const kept = interned.intern(s, out, ids, parent?.state, parent?.ids, 0);
    return { key: [...out], kept, ids: ids.slice() };
  };
}

describe("interned parts", () => {
  it("cut a group's state into its processes' stacks and applications and the network", () => {
    expect(InternedParts.of(type)!.parts).toBe(3 + 3 + 1);
    expect(InternedParts.of(t.record({ n: t.int(), xs: t.array(t.string()) }))).toBeUndefined();
    expect(InternedParts.of(t.int())).toBeUndefined();
  });

  it("law: the key of a state depends on its value only, and the state kept is equal to it, made of the objects first met with each part's value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 60 }), (seed, steps) => {
        const key = keyer();
        const run = walk(automaton, { steps, seed, validate: false });
        const first = run.states.map((s) => key(s));
        run.states.forEach((s, i) => {
          const again = key(copyOf(s));
          expect(again.key).toEqual(first[i]!.key);
          expect(valuesEqual(again.kept as unknown as Value, s as unknown as Value)).toBe(true);
          // Each part of the copy was replaced by the object interned for its value.
          expect(again.kept.stacks.every((x, p) => x === first[i]!.kept.stacks[p])).toBe(true);
          expect(again.kept.network).toBe(first[i]!.kept.network);
        });
        for (let i = 0; i < run.states.length; i++) {
          for (let j = 0; j < i; j++) {
            const same = valuesEqual(run.states[i] as unknown as Value, run.states[j] as unknown as Value);
            expect(first[i]!.key === first[j]!.key || valuesEqual(first[i]!.key, first[j]!.key)).toBe(same);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("law: keyed from the state it came from, a successor gets the key it gets from scratch", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const key = keyer();
        const run = walk(automaton, { steps: 40, seed, validate: false });
        let parent = key(run.states[0]!);
        for (let i = 1; i < run.states.length; i++) {
          // The step taken from the state kept for the parent, as the search takes it.
          const next = automaton.step(parent.kept, run.actions[i - 1]!);
          const incremental = key(next, { state: parent.kept, ids: parent.ids });
          expect(incremental.key).toEqual(key(copyOf(next)).key);
          parent = incremental;
        }
      }),
      { numRuns: 30 },
    );
  });

  it("refuses a state with a field its type does not have, or a table of the wrong size, naming where", () => {
    const key = keyer();
    const s = automaton.startStates()[0]!;
    expect(() => key({ ...s, extra: 1 } as S)).toThrow(ValueError);
    expect(() => key({ ...s, extra: 1 } as S)).toThrow(/extra/);
    expect(() => key({ ...s, stacks: s.stacks.slice(0, 2) } as S)).toThrow(/stacks/);
  });
});
