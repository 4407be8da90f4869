import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertType, ISet, IMap, t, TraceFormatError, typedFingerprintInto, valuesEqual, ValueError, type Type, type Value } from "../../ioa/index.ts";
import { NOT_A_VALUE } from "../../ioa/hash.ts";
import { renamedFingerprinter } from "../../ioa/typed-fingerprint.ts";

const RM = t.ids("RM", 3);
const Msg = t.variant("type", { Prepared: { rm: RM }, Commit: {}, Abort: {} });
const State = t.record({
  rmState: t.table(RM, t.enum("working", "prepared", "committed", "aborted")),
  tmState: t.enum("init", "done"),
  tmPrepared: t.set(RM),
  msgs: t.set(Msg),
  note: t.optional(t.string()),
  pair: t.tuple(t.int(0, 9), t.bool()),
  big: t.bigint(),
  counts: t.map(t.string(), t.int()),
});

const stateArb = fc.record(
  {
    rmState: fc.array(fc.constantFrom("working", "prepared", "committed", "aborted"), { minLength: 3, maxLength: 3 }),
    tmState: fc.constantFrom("init", "done"),
    tmPrepared: fc.array(fc.integer({ min: 0, max: 2 })).map((xs) => ISet.from(xs)),
    msgs: fc
      .array(fc.oneof(fc.integer({ min: 0, max: 2 }).map((rm) => ({ type: "Prepared" as const, rm })), fc.constantFrom({ type: "Commit" as const }, { type: "Abort" as const })))
      .map((xs) => ISet.from(xs)),
    note: fc.string({ maxLength: 4 }),
    pair: fc.tuple(fc.integer({ min: 0, max: 9 }), fc.boolean()),
    big: fc.bigInt(),
    counts: fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.integer())).map((es) => IMap.from(es)),
  },
  { requiredKeys: ["rmState", "tmState", "tmPrepared", "msgs", "pair", "big", "counts"] },
);

function typedFp(type: Type<unknown>, v: unknown): string {
  const out = new Int32Array(2);
  typedFingerprintInto(type, v, out, 0);
  return `${out[0]}:${out[1]}`;
}

describe("value types", () => {
  it("accept their values and write ITF that reads back equal", () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        assertType(State, s, "state");
        const json = JSON.parse(JSON.stringify(State.toItf(s)));
        expect(valuesEqual(State.fromItf(json, "$") as Value, s as Value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("write integers as #bigint, tuples as #tup, sets as #set and maps as #map", () => {
    const s = { rmState: ["working", "working", "working"], tmState: "init", tmPrepared: ISet.of(2, 0), msgs: ISet.empty(), pair: [3, true], big: 5n, counts: IMap.of(["a", 1]) };
    expect(State.toItf(s as never)).toEqual({
      rmState: ["working", "working", "working"],
      tmState: "init",
      tmPrepared: { "#set": [{ "#bigint": "0" }, { "#bigint": "2" }] },
      msgs: { "#set": [] },
      pair: { "#tup": [{ "#bigint": "3" }, true] },
      big: { "#bigint": "5" },
      counts: { "#map": [["a", { "#bigint": "1" }]] },
    });
  });

  it("give typed fingerprints that tell apart exactly the different values", () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        expect(typedFp(State, a) === typedFp(State, b)).toBe(valuesEqual(a as Value, b as Value));
      }),
      { numRuns: 2000 },
    );
  });

  it("law: a renamed typed fingerprint is the typed fingerprint of the renamed value, which it does not build", () => {
    // Beside the state: maps and sets keyed by ids (renaming reorders them), an untagged union holding ids, a table of ids.
    const Ids = t.record({
      owners: t.map(RM, t.set(RM)),
      pairs: t.set(t.tuple(RM, t.int(0, 3))),
      either: t.union(t.string(), t.set(RM)),
      next: t.table(RM, RM),
    });
    const idsArb = fc.record({
      owners: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.array(fc.integer({ min: 0, max: 2 })))).map((es) => IMap.from(es.map(([k, xs]) => [k, ISet.from(xs)]))),
      pairs: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }))).map((xs) => ISet.from(xs)),
      either: fc.oneof(fc.string({ maxLength: 2 }), fc.array(fc.integer({ min: 0, max: 2 })).map((xs) => ISet.from(xs))),
      next: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
    });
    const permutation = fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]);
    const lawFor = (type: Type<unknown>) => {
      const renamed = renamedFingerprinter(type, "RM");
      return (v: unknown, newId: readonly number[]) => {
        const inverse = [0, 0, 0];
        newId.forEach((x, i) => (inverse[x] = i));
        const out = new Int32Array(2);
        renamed(v, out, 0, newId, inverse);
        expect(`${out[0]}:${out[1]}`).toBe(typedFp(type, type.mapIds(v, (set, id) => (set === "RM" ? newId[id]! : id))));
      };
    };
    fc.assert(fc.property(stateArb, permutation, lawFor(State)), { numRuns: 500 });
    fc.assert(fc.property(idsArb, permutation, lawFor(Ids)), { numRuns: 500 });
    // A value that does not fit the type is refused, as the typed fingerprint refuses it.
    expect(() => renamedFingerprinter(Ids, "RM")({ owners: IMap.empty(), pairs: ISet.empty(), either: "", next: [0, 1] }, new Int32Array(2), 0, [0, 1, 2], [0, 1, 2])).toThrow(
      expect.toSatisfy((e: unknown) => e === NOT_A_VALUE),
    );
  });

  it("refuse fields the type does not declare, even when hashing", () => {
    const s = { rmState: ["working", "working", "working"], tmState: "init", tmPrepared: ISet.empty(), msgs: ISet.empty(), pair: [0, false], big: 0n, counts: IMap.empty() };
    expect(() => typedFp(State, { ...s, typo: 1 })).toThrowError('state.typo is not a field of');
    expect(() => typedFp(State, { ...s, tmState: "maybe" })).toThrowError(`state.tmState should be one of "init" | "done", but is "maybe"`);
  });

  it("name the path and the expectation when a value does not fit", () => {
    const bad = (v: unknown) => () => assertType(State, v, "state");
    const s = { rmState: ["working", "working", "working"], tmState: "init", tmPrepared: ISet.empty(), msgs: ISet.empty(), pair: [0, false], big: 0n, counts: IMap.empty() };
    expect(bad({ ...s, rmState: ["working"] })).toThrowError("state.rmState should have one element per RM (3), but has 1");
    expect(bad({ ...s, tmPrepared: ISet.of(7) })).toThrowError("state.tmPrepared.elements[0] should be an id of RM (0..2), but is 7");
    expect(bad({ ...s, msgs: ISet.of({ type: "Lost" }) })).toThrowError('state.msgs.elements[0] should be a record whose type is one of "Prepared", "Commit", "Abort"');
    expect(bad({ ...s, pair: [10, false] })).toThrowError("state.pair[0] should be an integer in 0..9, but is 10");
    expect(bad({ ...s, big: 1 })).toThrowError("state.big should be a bigint, but is 1");
    const { tmState: _, ...missing } = s;
    expect(bad(missing)).toThrowError("state.tmState is missing");
    expect(bad({ ...s, tmPrepared: new Set() })).toThrowError(ValueError);
  });

  it("read ITF strictly, naming the JSON path of a mismatch", () => {
    expect(() => t.record({ n: t.int(0, 3) }).fromItf({ n: { "#bigint": "9" } }, "$.states[2]")).toThrowError(TraceFormatError);
    expect(() => t.record({ n: t.int(0, 3) }).fromItf({ n: { "#bigint": "9" } }, "$.states[2]")).toThrowError("$.states[2].n: should be an integer in 0..3, but is 9");
    expect(() => t.set(t.int()).fromItf([1, 2], "$.x")).toThrowError('$.x: expected {"#set": […]}');
    expect(() => t.tuple(t.int(), t.int()).fromItf({ "#tup": [{ "#bigint": "1" }] }, "$.p")).toThrowError("$.p: should be a tuple of 2");
    expect(() => t.int().fromItf({ "#bigint": "1.5" }, "$.n")).toThrowError('$.n["#bigint"]: "1.5" is not an integer');
  });

  it("enumerate finite domains", () => {
    expect(t.record({ r: RM, ok: t.bool() }).domain()).toEqual([
      { r: 0, ok: false },
      { r: 0, ok: true },
      { r: 1, ok: false },
      { r: 1, ok: true },
      { r: 2, ok: false },
      { r: 2, ok: true },
    ]);
    expect(Msg.domain()).toEqual([{ type: "Prepared", rm: 0 }, { type: "Prepared", rm: 1 }, { type: "Prepared", rm: 2 }, { type: "Commit" }, { type: "Abort" }]);
    expect(t.string().domain()).toBeUndefined();
    expect(t.record({ x: t.optional(t.bool()) }).domain()).toEqual([{}, { x: false }, { x: true }]);
  });

  it("rename ids for symmetry, moving table elements with them", () => {
    const swap01 = (_: string, id: number) => (id === 0 ? 1 : id === 1 ? 0 : id);
    const s = { rmState: ["prepared", "working", "aborted"], tmState: "init", tmPrepared: ISet.of(0), msgs: ISet.of({ type: "Prepared", rm: 0 }), pair: [0, false], big: 0n, counts: IMap.empty() };
    const r = State.mapIds(s as never, swap01);
    expect(r.rmState).toEqual(["working", "prepared", "aborted"]);
    expect(r.tmPrepared.toArray()).toEqual([1]);
    expect(r.msgs.toArray()).toEqual([{ type: "Prepared", rm: 1 }]);
    expect(State.idNames).toEqual(["RM"]);
  });

  it("build updated records with one shape, returning the same record when nothing changes", () => {
    const R = t.record({ a: t.int(), b: t.string(), c: t.optional(t.bool()) });
    const r = { a: 1, b: "x" };
    expect(R.with(r, { a: 2 })).toEqual({ a: 2, b: "x" });
    expect(R.with(r, { c: true })).toEqual({ a: 1, b: "x", c: true });
    expect(R.with(r, { a: 1 })).toBe(r);
    expect(R.with(r, {})).toBe(r);
    expect(R.setter("b")(r, "y")).toEqual({ a: 1, b: "y" });
  });
});
