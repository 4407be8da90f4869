// fast-check arbitraries for canonical values, and a rebuild that changes only what must not matter
// (key insertion order, set and map insertion order).

import fc from "fast-check";
import { IMap, ISet, Random, type Value, type ValueRecord } from "../../ioa/index.ts";

const key = fc.string({ maxLength: 6 }).filter((k) => !k.startsWith("#") && k !== "__proto__");

export const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    fc.boolean(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.maxSafeInteger(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31), 2 ** 32 + 1),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
    fc.string({ maxLength: 8 }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4, noNullPrototype: true }),
    fc.array(tie("value"), { maxLength: 4 }).map((xs) => ISet.from(xs)),
    fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 4 }).map((es) => IMap.from(es)),
  ),
})).value;

function shuffled<T>(xs: readonly T[], random: Random): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** An equal value built afresh: keys, set elements and map entries inserted in a shuffled order. */
export function rebuild(v: Value, random: Random): Value {
  if (typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => rebuild(x, random));
  if (v instanceof ISet) return ISet.from(shuffled(v.toArray(), random).map((x) => rebuild(x, random)));
  if (v instanceof IMap) return IMap.from(shuffled([...v], random).map(([k, x]) => [rebuild(k, random), rebuild(x, random)] as [Value, Value]));
  const out: Record<string, Value> = {};
  for (const k of shuffled(Object.keys(v), random)) out[k] = rebuild((v as ValueRecord)[k]!, random);
  return out;
}
