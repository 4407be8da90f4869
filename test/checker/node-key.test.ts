import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeKeys } from "../../checker/node-key.ts";
import { IMap, t, valuesEqual, type Value } from "../../ioa/index.ts";

const monitorState: fc.Arbitrary<Value> = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  fc.record({ seen: fc.integer({ min: 0, max: 3 }), last: fc.string({ maxLength: 2 }) }),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer()), { maxLength: 3 }).map((entries) => IMap.from(entries) as unknown as Value),
);
const monitors = fc.array(monitorState, { minLength: 1, maxLength: 4 });

/** A deep copy: equal to `v`, sharing no object with it (so no fingerprint remembered for `v` is used). */
function copy(v: Value): Value {
  if (v instanceof IMap) return IMap.from([...v].map(([k, x]) => [copy(k), copy(x)])) as unknown as Value;
  return structuredClone(v);
}

describe("node keys", () => {
  it("law: the key of a state with monitors depends on their values only, whatever was keyed before (each monitor's fingerprint is remembered by object)", () => {
    fc.assert(
      fc.property(monitors, fc.array(monitors, { maxLength: 6 }), fc.integer({ min: 0, max: 5 }), (ms, between, s) => {
        const keys = new NodeKeys(t.int(0, 5));
        const key = (m: readonly Value[]) => {
          const out = new Int32Array(2);
          keys.key(s, m, out);
          return [...out];
        };
        const first = key(ms);
        for (const other of between) {
          const k = key(other);
          if (!valuesEqual(other as Value, ms as Value)) expect(k).not.toEqual(first);
        }
        expect(key(ms)).toEqual(first);
        expect(key(ms.map(copy))).toEqual(first);
      }),
    );
  });

  it("tells apart monitors whose states are swapped", () => {
    const keys = new NodeKeys(t.int(0, 1));
    const [a, b] = [new Int32Array(2), new Int32Array(2)];
    keys.key(0, [1, 2], a);
    keys.key(0, [2, 1], b);
    expect([...a]).not.toEqual([...b]);
  });
});
