import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latin1, openEnvelope, packOverhead, payloadOf, seal, sealLatin1, sealPack } from "../../runtime/envelope.ts";

/** What an envelope holds, as [seq, payload bytes] pairs; undefined when it is refused. */
function opened(msg: string): [number, number[]][] | undefined {
  const out: [number, number[]][] = [];
  return openEnvelope(msg, (seq, start, end) => out.push([seq, [...payloadOf(msg, start, end)]])) ? out : undefined;
}

const payload = fc.uint8Array({ maxLength: 300 });
const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER - 1000 });
const pack = fc.record({ first: seq, payloads: fc.array(payload, { minLength: 2, maxLength: 12 }) });
const packed = ({ first, payloads }: { first: number; payloads: Uint8Array[] }) => sealPack(first, payloads.map(latin1));

describe("envelopes", () => {
  it("give back one message as sealed: its sequence number and its bytes (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), payload, (n, bytes) => {
        expect(opened(seal(n, bytes))).toEqual([[n, [...bytes]]]);
        expect(sealLatin1(n, latin1(bytes))).toBe(seal(n, bytes));
      }),
    );
  });

  it("give back a pack's messages in order, numbered on from the first (property)", () => {
    fc.assert(
      fc.property(pack, (p) => {
        expect(opened(packed(p))).toEqual(p.payloads.map((b, i) => [p.first + i, [...b]]));
      }),
    );
  });

  it("say how many bytes a message adds to a pack: its length's and its own (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 20_000 }), (text) => {
        expect(sealPack(1, [text, "b"]).length - sealPack(1, ["", "b"]).length).toBe(text.length + packOverhead(text.length) - packOverhead(0));
      }),
      { numRuns: 50 },
    );
    expect([0, 127, 128, 16_383, 16_384].map(packOverhead)).toEqual([1, 1, 2, 2, 3]);
    expect(sealPack(1, ["x".repeat(16_384), "b"]).length - sealPack(1, ["", "b"]).length).toBe(16_384 + 3 - 1);
  });

  it("refuse every cut of a pack, and a pack with bytes after it, handing on none of its messages (property)", () => {
    fc.assert(
      fc.property(pack, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (p, at, extra) => {
        const msg = packed(p);
        expect(opened(msg.slice(0, at % msg.length))).toBeUndefined();
        expect(opened(msg + Buffer.from(extra).toString("latin1"))).toBeUndefined();
      }),
    );
  });

  it("refuse what no member seals: another kind, a pack of fewer than two, a pack numbered from 0, characters past a byte, a sequence number past 2^53", () => {
    expect(opened("")).toBeUndefined();
    expect(opened("\u0002\u0001abc")).toBeUndefined();
    expect(opened("\u0001\u0001\u0001\u0001a")).toBeUndefined();
    expect(opened("\u0001\u0000\u0002\u0001a\u0001b")).toBeUndefined();
    expect(opened("\u0001\u0001\u0002\u0001a\u0001b")).toEqual([
      [1, [0x61]],
      [2, [0x62]],
    ]);
    expect(opened("\u0000\u0101abc")).toBeUndefined();
    expect(opened(`\u0000${"\u00ff".repeat(8)}\u0001`)).toBeUndefined();
    expect(() => sealPack(1, ["only one"])).toThrow("sealPack: a pack holds at least 2 messages, not 1");
  });
});
