import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkValue,
  compareValues,
  decodeValue,
  DecodeError,
  encodeValue,
  fingerprint,
  IMap,
  ISet,
  Random,
  valuesEqual,
  ValueError,
  type Value,
} from "../../ioa/index.ts";
import { hashValue, isHashable, NOT_A_VALUE } from "../../ioa/hash.ts";
import { rebuild, valueArb } from "../support/arbitraries.ts";

const sign = (n: number) => Math.sign(n) || 0;

describe("canonical values", () => {
  it("equal values have equal fingerprints and encodings whatever the insertion order", () => {
    fc.assert(
      fc.property(valueArb, fc.integer(), (v, seed) => {
        const w = rebuild(v, Random.seeded(seed));
        expect(valuesEqual(v, w)).toBe(true);
        expect(fingerprint(w)).toBe(fingerprint(v));
        expect(encodeValue(w)).toEqual(encodeValue(v));
        expect(compareValues(v, w)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it("a value's fingerprint is its own, whatever shares its parts and whatever was hashed before", () => {
    fc.assert(
      fc.property(valueArb, valueArb, fc.integer(), (a, b, seed) => {
        const part = { a, b };
        const other = { b, a: [a] };
        // Flights of one packet to several processes, then another packet, then the first again.
        const sharing = [{ to: 1, part }, { to: 2, part }, { to: 1, part: other }, { to: 3, part }];
        const fresh = sharing.map((v) => rebuild(v, Random.seeded(seed)));
        sharing.forEach((v, i) => expect(fingerprint(v)).toBe(fingerprint(fresh[i]!)));
        expect(fingerprint(sharing[2]!)).not.toBe(fingerprint(sharing[0]!));
      }),
      { numRuns: 300 },
    );
  });

  it("a map of many structured keys finds its own keys, fresh copies of them, and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (n) => {
        const keys = Array.from({ length: n }, (_, i) => ({ from: i % 3, packet: { seqno: i, payload: `m${i}` } }));
        const m = IMap.from(keys.map((k, i) => [k, i] as [Value, number]));
        keys.forEach((k, i) => {
          expect(m.get(k)).toBe(i);
          expect(m.get(JSON.parse(JSON.stringify(k)) as Value)).toBe(i);
        });
        expect(m.has({ from: 0, packet: { seqno: n, payload: `m${n}` } })).toBe(false);
        expect(m.delete(keys[n - 1]!).size).toBe(n - 1);
      }),
      { numRuns: 50 },
    );
  });

  it("different values have different fingerprints and encodings", () => {
    fc.assert(
      fc.property(valueArb, valueArb, (a, b) => {
        fc.pre(!valuesEqual(a, b));
        expect(fingerprint(a)).not.toBe(fingerprint(b));
        expect(Buffer.from(encodeValue(a)).equals(Buffer.from(encodeValue(b)))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("decoding gives back an equal value", () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(valuesEqual(decodeValue(encodeValue(v)), v)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("compareValues is a total order consistent with equality", () => {
    fc.assert(
      fc.property(valueArb, valueArb, valueArb, (a, b, c) => {
        expect(sign(compareValues(a, b)) + sign(compareValues(b, a))).toBe(0);
        expect(compareValues(a, b) === 0).toBe(valuesEqual(a, b));
        if (compareValues(a, b) <= 0 && compareValues(b, c) <= 0) expect(compareValues(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("numbers and bigints, 0 and -0, and integer sizes are told apart or merged correctly", () => {
    expect(valuesEqual(1, 1n)).toBe(false);
    expect(fingerprint(1)).not.toBe(fingerprint(1n));
    expect(fingerprint(-0)).toBe(fingerprint(0));
    expect(fingerprint(2 ** 32)).not.toBe(fingerprint(0));
    expect(fingerprint("1")).not.toBe(fingerprint(1));
    expect(fingerprint([])).not.toBe(fingerprint({}));
    expect(fingerprint(ISet.empty())).not.toBe(fingerprint(IMap.empty()));
  });
});

describe("ISet and IMap", () => {
  it("compare elements structurally and keep a canonical order", () => {
    const s = ISet.of<Value>({ a: 1, b: [2] }, { b: [2], a: 1 }, 3, "x");
    expect(s.size).toBe(3);
    expect(s.has({ b: [2], a: 1 })).toBe(true);
    expect(s.toArray().slice(0, 2)).toEqual([3, "x"]);
    expect(ISet.of(3, 1, 2).toArray()).toEqual([1, 2, 3]);
  });

  it("IMap reads entries by position in key order, and remembers one derived value per map", () => {
    const m = IMap.from<Value, number>([[{ k: 2 }, 2], ["a", 1], [0, 3]]);
    const entries = [...m];
    expect(entries.map((_, i) => [m.keyAt(i), m.valueAt(i)])).toEqual(entries);
    expect(m.keyAt(3)).toBeUndefined();
    let calls = 0;
    const total = (x: IMap<Value, number>) => (calls++, x.values().reduce((a, b) => a + b, 0));
    expect([m.derived(total), m.derived(total), calls]).toEqual([6, 6, 1]);
    expect(m.set("a", 5).derived(total)).toBe(10);
    expect(m.derived((x) => x.size)).toBe(3);
    expect([m.derived(total), calls]).toEqual([6, 3]);
  });

  it("behave like a set under any sequence of additions and deletions", () => {
    const op = fc.tuple(fc.boolean(), fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom({ k: 1 }, { k: 2 }, [1], "a")));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        let s = ISet.empty<Value>();
        let model: Value[] = [];
        for (const [add, x] of ops) {
          s = add ? s.add(x) : s.delete(x);
          model = add ? (model.some((y) => valuesEqual(y, x)) ? model : [...model, x]) : model.filter((y) => !valuesEqual(y, x));
          expect(s.size).toBe(model.length);
          for (const y of model) expect(s.has(y)).toBe(true);
        }
        const items = s.toArray();
        for (let i = 1; i < items.length; i++) expect(compareValues(items[i - 1]!, items[i]!)).toBeLessThan(0);
        expect(valuesEqual(s, ISet.from(model))).toBe(true);
      }),
    );
  });

  it("maps behave like a map under any sequence of settings and deletions, with structured keys", () => {
    const op = fc.tuple(fc.boolean(), fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom({ k: 1 }, { k: 2 }, [1], "a")), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        let m = IMap.empty<Value, number>();
        let model: [Value, number][] = [];
        for (const [set, k, v] of ops) {
          m = set ? m.set(k, v) : m.delete(k);
          model = model.filter(([y]) => !valuesEqual(y, k));
          if (set) model.push([k, v]);
          expect(m.size).toBe(model.length);
          // Fresh copies of the keys, found by their fingerprints (not by identity).
          for (const [y, w] of model) expect(m.get(JSON.parse(JSON.stringify(y)) as Value)).toBe(w);
        }
        expect(valuesEqual(m, IMap.from(model))).toBe(true);
        // Built step by step (one array, widened for lanes when a structured key comes) or at once, the same keys in order and the same fingerprint.
        const keys = m.keys();
        for (let i = 1; i < keys.length; i++) expect(compareValues(keys[i - 1]!, keys[i]!)).toBeLessThan(0);
        expect(fingerprint(m)).toBe(fingerprint(IMap.from(model)));
        expect([...m]).toEqual(keys.map((k, i) => [k, m.valueAt(i)]));
      }),
    );
  });

  it("are immutable: operations return new collections and leave the original alone", () => {
    const s = ISet.of(1, 2);
    expect(s.add(3)).not.toBe(s);
    expect(s.add(2)).toBe(s);
    expect(s.size).toBe(2);
    const m = IMap.of<string, number>(["a", 1]);
    const m2 = m.set("b", 2).set("a", 5).delete("zzz");
    expect(m.get("a")).toBe(1);
    expect(m2.get("a")).toBe(5);
    expect(m2.keys()).toEqual(["a", "b"]);
    expect(m2.update("b", (x) => (x ?? 0) + 1).get("b")).toBe(3);
  });

  it("support the usual set algebra", () => {
    const a = ISet.of(1, 2, 3);
    const b = ISet.of(2, 3, 4);
    expect(a.union(b).toArray()).toEqual([1, 2, 3, 4]);
    expect(a.intersection(b).toArray()).toEqual([2, 3]);
    expect(a.difference(b).toArray()).toEqual([1]);
    expect(ISet.of(2).isSubsetOf(a)).toBe(true);
    expect(a.map((x) => x % 2).toArray()).toEqual([0, 1]);
  });
});

describe("what cannot be a value is rejected with its path", () => {
  class Point {
    x = 1;
  }
  const cycle: Record<string, unknown> = { a: { b: 1 } };
  (cycle.a as Record<string, unknown>).self = cycle;
  const cases: [string, unknown, string][] = [
    ["a function", { f: () => 1 }, "state.f is a function"],
    ["a class instance", { p: new Point() }, "state.p is an instance of Point"],
    ["NaN", { xs: [1, NaN] }, "state.xs[1] is NaN"],
    ["a float", { x: 0.5 }, "state.x is 0.5, not an integer"],
    ["an unsafe integer", { x: 2 ** 60 }, "beyond the safe integer range; use a bigint"],
    ["undefined inside data", { a: { b: undefined } }, "state.a.b is undefined"],
    ["null", { a: null }, "state.a is null"],
    ["a cycle", cycle, "state.a.self refers back to state"],
    ["a native Set", { s: new Set([1]) }, "state.s is a JavaScript Set; use ISet"],
    ["a native Map", { m: new Map() }, "state.m is a JavaScript Map; use IMap"],
    ["a sparse array", { xs: [1, , 3] }, "state.xs[1] is a hole"],
    ["a reserved key", { "#x": 1 }, `state["#x"] has a name starting with '#'`],
  ];
  for (const [what, value, message] of cases) {
    it(what, () => {
      expect(() => checkValue(value, "state")).toThrowError(ValueError);
      expect(() => checkValue(value, "state")).toThrowError(message);
    });
  }

  it("fingerprinting, sets and encoding reject non-values with a path too", () => {
    expect(() => fingerprint({ a: [1, () => 2] } as never)).toThrowError("value.a[1] is a function");
    expect(() => ISet.of({ x: NaN } as never)).toThrowError("set element.x is NaN");
    expect(() => encodeValue({ a: undefined } as never)).toThrowError("value.a is undefined");
  });

  it("a map checks the values it stores without hashing them, rejecting exactly what hashing would (property)", () => {
    const hashes = (v: unknown) => {
      try {
        hashValue(v);
        return true;
      } catch (e) {
        if (e === NOT_A_VALUE) return false;
        throw e;
      }
    };
    const oddities = fc.constantFrom<unknown>(undefined, null, NaN, 1.5, 2 ** 60, () => 1, Symbol("s"), new Set([1]), new Map(), new Date(0), { "#k": 1 }, [1, , 3]);
    const things = fc.oneof(valueArb, oddities, fc.anything(), fc.tuple(valueArb, oddities), fc.record({ ok: valueArb, odd: oddities }));
    fc.assert(
      fc.property(things, (v) => {
        expect(isHashable(v)).toBe(hashes(v));
        if (!isHashable(v) && typeof v === "object" && v !== null) expect(() => IMap.empty<string, Value>().set("k", v as Value)).toThrowError(ValueError);
      }),
    );
    expect(() => IMap.empty<string, Value>().set("k", { a: [1, () => 2] } as never)).toThrowError("map value.a[1] is a function");
  });

  it("malformed encodings are rejected with the byte offset", () => {
    const good = encodeValue({ queue: ["a", "b"], n: 7 });
    expect(() => decodeValue(good.slice(0, good.length - 2))).toThrowError(DecodeError);
    expect(() => decodeValue(Uint8Array.of(0x42))).toThrowError("byte 0: unknown tag 0x42");
    expect(() => decodeValue(Uint8Array.of(0x05, 0xff, 0xff, 0x03))).toThrowError(/count .* exceeds/);
    expect(() => decodeValue(Uint8Array.of(0x04, 0x02, 0xc3, 0x28))).toThrowError("invalid UTF-8");
    expect(() => decodeValue(Uint8Array.of(0x01, 0x01))).toThrowError("1 trailing bytes");
  });
});
