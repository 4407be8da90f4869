import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertType, instantiate, valuesEqual, walk, type Value } from "../../ioa/index.ts";
import type { Packet } from "../../layers/message.ts";
import fifoModel from "../../layers/models/fifo.ts";
import { fifo } from "../../layers/stacks/fifo.ts";
import { DROP_REASONS, Wire } from "../../runtime/wire.ts";
import { arbitraryOf } from "../support/type-arbitrary.ts";

const N = 3;
const types = fifo({ maxLength: 3 }).types(N);
const wire = new Wire(types, { group: "demo", stack: "fifo", n: N, maxDatagram: 2000 });

/** Packets the fifo stack really transmits: from random walks of a faulty group of 3 (small fragments, sends). */
function stackPackets(): Packet[] {
  const model = instantiate(fifoModel, { processes: N, casts: 3, sends: 1, maxLength: 1, drops: 2, duplicates: 1 });
  const out: Packet[] = [];
  for (let seed = 0; seed < 20; seed++) {
    for (const a of walk(model.automaton, { steps: 300, seed }).actions) {
      const action = a as { name: string; packet?: Packet };
      if (action.name === "transmit") out.push(action.packet!);
    }
  }
  return out;
}
const real = stackPackets();

const latin1 = fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString("latin1"));
const anyHeaders = arbitraryOf(types.Headers);
const anyPacket: fc.Arbitrary<Packet> = fc.oneof(
  fc.constantFrom(...real),
  fc.record({ headers: anyHeaders }),
  fc.record({ headers: anyHeaders, payload: latin1 }),
);
const datagram = fc.record({ sender: fc.integer({ min: 0, max: N - 1 }), packets: fc.array(anyPacket, { minLength: 1, maxLength: 8 }) });

function roundTrip(sender: number, packets: readonly Packet[]) {
  const decoded = wire.decode(wire.encode(sender, packets));
  if (!decoded.ok) throw new Error(`${decoded.reason}: ${decoded.detail}`);
  return decoded;
}

describe("the wire codec", () => {
  it("round-trips the packets of real stack runs", () => {
    expect(real.length).toBeGreaterThan(1000);
    expect(new Set(real.map((p) => JSON.stringify(Object.keys(p.headers)))).size).toBeGreaterThan(4);
    for (let i = 0; i < real.length; i += 10) {
      const packets = real.slice(i, i + 10);
      const decoded = roundTrip(i % N, packets);
      expect(decoded.sender).toBe(i % N);
      expect(valuesEqual(decoded.packets as unknown as Value, packets as unknown as Value)).toBe(true);
    }
  });

  it("round-trips any header stack of the type and any payload bytes", () => {
    fc.assert(
      fc.property(datagram, ({ sender, packets }) => {
        const decoded = roundTrip(sender, packets);
        expect(decoded.sender).toBe(sender);
        expect(valuesEqual(decoded.packets as unknown as Value, packets as unknown as Value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("carries payload bytes raw, one byte per character", () => {
    const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString("latin1");
    const packet = { headers: real[0]!.headers, payload };
    const withPayload = wire.encode(0, [packet]).length;
    const without = wire.encode(0, [{ headers: real[0]!.headers }]).length;
    expect(withPayload - without).toBe(256 + 1); // the bytes, and a two-byte length where there was a one-byte tag
    expect(roundTrip(0, [packet]).packets[0]!.payload).toBe(payload);
  });

  it("puts a cast of the fifo stack in a few bytes besides its payload", () => {
    const cast = real.find((p) => p.payload !== undefined && (p.headers as unknown as { origin: string }).origin === "application")!;
    expect(wire.encode(0, [cast]).length - cast.payload!.length).toBeLessThanOrEqual(20);
  });

  it("rejects every strict prefix of a datagram as truncated", () => {
    fc.assert(
      fc.property(datagram, fc.nat(), ({ sender, packets }, cut) => {
        const bytes = wire.encode(sender, packets);
        const decoded = wire.decode(bytes.subarray(0, cut % bytes.length));
        expect(decoded.ok ? "accepted" : decoded.reason).toBe("truncated");
      }),
      { numRuns: 300 },
    );
  });

  it("rejects each kind of bad datagram with its reason", () => {
    const good = wire.encode(1, real.slice(0, 3));
    const reason = (bytes: Uint8Array, w = wire) => {
      const d = w.decode(bytes);
      return d.ok ? "accepted" : `${d.reason}: ${d.detail}`;
    };
    const patched = (at: number, byte: number) => Buffer.from(good).fill(byte, at, at + 1);
    expect(reason(good)).toBe("accepted");
    expect(reason(Buffer.alloc(2001))).toBe("oversized: 2001 bytes, more than the 2000 allowed");
    expect(reason(patched(0, 0x47))).toBe("bad magic: starts with 0x4770, not 0x5470");
    expect(reason(patched(2, 2))).toBe("other version: version 2, this member speaks 1");
    expect(reason(good, new Wire(types, { group: "other", stack: "fifo", n: N, maxDatagram: 2000 }))).toMatch(/^other group: group id \w+, this group's is \w+$/);
    expect(reason(good, new Wire(fifo().types(4), { group: "demo", stack: "fifo", n: 4, maxDatagram: 2000 }))).toMatch(/^other group/);
    expect(reason(wire.encode(7, real.slice(0, 1)))).toBe("unknown sender: sender 7 in a group of 3");
    expect(reason(Buffer.concat([good, Buffer.of(0)]))).toMatch(/^malformed: byte \d+: 1 bytes after the 3 packets$/);
    const noPackets = Buffer.from(good.subarray(0, 10));
    noPackets[8] = 0;
    noPackets[9] = 0;
    expect(reason(noPackets.subarray(0, 10))).toBe("malformed: byte 8: a datagram of no packets");
    // Garbage in the first header stack (its bitmap of present headers): the error names the byte and the field.
    expect(reason(patched(10, 0x7f))).toMatch(/^malformed: byte \d+: \w+: \d+ is not below \d+/);
  });

  it("never throws on random bytes, nor on mutations of good datagrams, and what it accepts is well typed", () => {
    const mutation = fc.tuple(datagram, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }));
    const accepted: Packet[][] = [];
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutation.map(([{ sender, packets }, flips]) => {
        const bytes = wire.encode(sender, packets);
        for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
        return bytes;
      })), (bytes) => {
        const decoded = wire.decode(bytes);
        expect(decoded.ok || DROP_REASONS.includes(decoded.reason)).toBe(true);
        if (decoded.ok) accepted.push(decoded.packets);
      }),
      { numRuns: 2000 },
    );
    for (const packets of accepted) for (const p of packets) assertType(types.Packet, p, "accepted packet");
  });
});
