import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertType, decodeTyped, DecodeError, encodeTyped, IMap, ISet, t, valuesEqual, ValueError, type Value } from "../../ioa/index.ts";

const P = t.ids("P", 4);
const Header = t.variant("kind", {
  Data: { seq: t.int(0), from: P, payload: t.string() },
  Ack: { upTo: t.int(0), gaps: t.set(t.int(0)) },
  Nak: { ranges: t.array(t.tuple(t.int(0), t.int(0))) },
});
const Packet = t.record({
  headers: t.array(Header),
  vector: t.table(P, t.int(-5, 5)),
  flags: t.record({ urgent: t.optional(t.bool()), ttl: t.optional(t.int(0, 255)), note: t.optional(t.string()) }),
  delta: t.int(),
  big: t.bigint(),
  state: t.enum("idle", "busy", "done"),
  extra: t.value(),
  routes: t.map(P, t.array(P)),
});

const pid = fc.integer({ min: 0, max: 3 });
const header = fc.oneof(
  fc.record({ kind: fc.constant("Data" as const), seq: fc.nat(), from: pid, payload: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant("Ack" as const), upTo: fc.nat(), gaps: fc.array(fc.nat({ max: 50 }), { maxLength: 4 }).map((xs) => ISet.from(xs)) }),
  fc.record({ kind: fc.constant("Nak" as const), ranges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }) }),
);
const packet = fc.record({
  headers: fc.array(header, { maxLength: 4 }),
  vector: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 4, maxLength: 4 }),
  flags: fc.record({ urgent: fc.boolean(), ttl: fc.integer({ min: 0, max: 255 }), note: fc.string({ maxLength: 4 }) }, { requiredKeys: [] }),
  delta: fc.maxSafeInteger().chain((n) => fc.constantFrom(n, -n, 0, Number.MIN_SAFE_INTEGER)),
  big: fc.bigInt(),
  state: fc.constantFrom("idle", "busy", "done"),
  extra: fc.oneof(fc.string(), fc.integer(), fc.array(fc.boolean())) as fc.Arbitrary<Value>,
  routes: fc.array(fc.tuple(pid, fc.array(pid, { maxLength: 3 })), { maxLength: 4 }).map((es) => IMap.from(es)),
});

describe("typed codec", () => {
  it("decodes what it encodes", () => {
    fc.assert(
      fc.property(packet, (p) => {
        assertType(Packet, p, "packet");
        expect(valuesEqual(decodeTyped(Packet, encodeTyped(Packet, p)) as Value, p as Value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("is compact: no tags, enums and small ints in a byte", () => {
    const Small = t.record({ a: t.enum("x", "y", "z"), b: P, c: t.bool(), d: t.int(0, 100), e: t.table(P, t.enum("on", "off")) });
    const bytes = encodeTyped(Small, { a: "z", b: 3, c: true, d: 42, e: ["on", "off", "on", "on"] });
    expect([...bytes]).toEqual([2, 3, 1, 42, 0, 1, 0, 0]);
    const ack = encodeTyped(Header, { kind: "Ack", upTo: 300, gaps: ISet.of(5) });
    expect([...ack]).toEqual([1, 0xac, 0x02, 1, 5]);
  });

  it("refuses values that do not fit, naming the path", () => {
    expect(() => encodeTyped(Header, { kind: "Data", seq: -1, from: 0, payload: "" } as never, "header")).toThrowError(ValueError);
    expect(() => encodeTyped(Header, { kind: "Data", seq: -1, from: 0, payload: "" } as never, "header")).toThrowError("header.seq should be an integer in int ≥ 0, but is -1");
  });

  it("never fails on hostile bytes except with a DecodeError, and what it accepts fits the type", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          assertType(Packet, decodeTyped(Packet, bytes), "decoded");
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("rejects truncated, padded and out-of-range input with the offset and the path", () => {
    const p = { kind: "Data" as const, seq: 7, from: 2, payload: "hello" };
    const bytes = encodeTyped(Header, p);
    for (let n = 0; n < bytes.length; n++) expect(() => decodeTyped(Header, bytes.slice(0, n))).toThrowError(DecodeError);
    expect(() => decodeTyped(Header, Uint8Array.of(...bytes, 0))).toThrowError("1 trailing bytes");
    expect(() => decodeTyped(Header, Uint8Array.of(0, 7, 9, 0))).toThrowError("byte 2: from: 9 is above 3");
    expect(() => decodeTyped(Header, Uint8Array.of(5))).toThrowError("byte 0: 5 is not below 3 (the number of members of the union)");
    const list = t.array(Header);
    expect(() => decodeTyped(list, Uint8Array.of(2, 1, 0, 0, 0, 7, 9, 0))).toThrowError("byte 6: [1].from: 9 is above 3");
    expect(() => decodeTyped(t.set(t.int(0)), Uint8Array.of(2, 5, 5))).toThrowError("a set of 2 elements holds only 1 different ones");
    expect(() => decodeTyped(t.array(t.int(0)), Uint8Array.of(0xff, 0xff, 0x03))).toThrowError(/count \d+ exceeds the 0 bytes left/);
  });

  it("reads a record's presence bitmap over several bytes, and refuses a bit for a field it does not have", () => {
    const fields = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, t.optional(t.int(0))]));
    const Wide = t.record({ name: t.string(), ...fields });
    const some = { name: "w", f0: 1, f7: 2, f8: 3, f10: 4 };
    expect(decodeTyped(Wide, encodeTyped(Wide, some as never))).toEqual(some);
    expect(encodeTyped(Wide, some as never).slice(0, 2)).toEqual(Uint8Array.of(0b1000_0001, 0b101));
    expect(() => decodeTyped(Wide, Uint8Array.of(0, 0b1000, 1, 0x61))).toThrowError("byte 1: the presence bitmap marks field 11, but there are 11 optional fields");
    expect(() => decodeTyped(t.record({ a: t.optional(t.int(0)) }), Uint8Array.of(0b110))).toThrowError("byte 0: the presence bitmap marks field 1, but there are 1 optional fields");
    const Wider = t.record(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`g${i}`, t.optional(t.int(0))])));
    const far = { g0: 0, g31: 31, g32: 32, g39: 39 };
    expect(decodeTyped(Wider, encodeTyped(Wider, far as never))).toEqual(far);
  });
});
