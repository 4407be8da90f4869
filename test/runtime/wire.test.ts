import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertType, instantiate, valuesEqual, walk, type Value } from "../../ioa/index.ts";
import type { Packet } from "../../layers/message.ts";
import fifoModel from "../../layers/models/fifo.ts";
import { fifo } from "../../layers/stacks/fifo.ts";
import { DROP_REASONS, MAX_PIECES, Wire } from "../../runtime/wire.ts";
import { PACKETS_PER_SENDER, Reassembly } from "../../runtime/reassembly.ts";
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
    expect(reason(patched(2, 1))).toBe("other version: version 1, this member speaks 2");
    expect(reason(good, new Wire(types, { group: "other", stack: "fifo", n: N, maxDatagram: 2000 }))).toMatch(/^other group: group id \w+, this group's is \w+$/);
    expect(reason(good, new Wire(fifo().types(4), { group: "demo", stack: "fifo", n: 4, maxDatagram: 2000 }))).toMatch(/^other group/);
    expect(reason(wire.encode(7, real.slice(0, 1)))).toBe("unknown sender: sender 7 in a group of 3");
    expect(reason(Buffer.concat([good, Buffer.of(0)]))).toMatch(/^malformed: byte \d+: 1 bytes after the 3 packets$/);
    const noPackets = Buffer.from(good.subarray(0, 10));
    noPackets[8] = 0;
    noPackets[9] = 0;
    // The count 0 marks a piece of a packet too large for a datagram: one cut short, or with a bad count, is dropped.
    expect(reason(noPackets.subarray(0, 10))).toMatch(/^truncated: /);
    expect(reason(Buffer.concat([noPackets.subarray(0, 10), Buffer.of(7, 0, 1, 0xaa)]))).toBe(`malformed: byte 12: a packet in 1 pieces (2 to ${MAX_PIECES})`);
    expect(reason(Buffer.concat([noPackets.subarray(0, 10), Buffer.of(7, 3, 3, 0xaa)]))).toBe("malformed: byte 12: piece 3 of a packet in 3 pieces");
    expect(reason(Buffer.concat([noPackets.subarray(0, 10), Buffer.of(7, 0, 2)]))).toBe("truncated: byte 13: a piece of no bytes");
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

describe("packets too large for a datagram", () => {
  const big = fc.record({ headers: anyHeaders, payload: fc.uint8Array({ minLength: 2000, maxLength: 9000 }).map((b) => Buffer.from(b).toString("latin1")) });
  const pieceOf = (bytes: Uint8Array) => {
    const d = wire.decode(bytes);
    if (!d.ok || d.piece === undefined) throw new Error(`not a piece: ${d.ok ? "packets" : d.detail}`);
    return d.piece;
  };

  it("travel in datagrams no larger than allowed, and come back whole however their pieces arrive: reordered, duplicated, interleaved with another packet's", () => {
    fc.assert(
      fc.property(big, big, fc.array(fc.nat(), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (a, b, order, twice) => {
        const datagrams = [a, b].flatMap((p, id) => wire.pieces(1, id, wire.headerBytes(p).slice(), p.payload)!);
        expect(datagrams.every((d) => d.length <= wire.maxDatagram)).toBe(true);
        // A shuffle (by the random keys) with some pieces twice.
        const arrivals = [...datagrams, ...twice.map((k) => datagrams[k % datagrams.length]!)].map((d, i) => ({ d, key: order[i % Math.max(1, order.length)] ?? i })).sort((x, y) => x.key - y.key);
        const counts = { reassembled: 0, abandoned: 0 };
        const reassembly = new Reassembly(counts);
        const whole: Packet[] = [];
        for (const { d } of arrivals) {
          const bytes = reassembly.add(1, pieceOf(d));
          if (bytes === undefined) continue;
          const decoded = wire.decodeWhole(bytes);
          if (!decoded.ok) throw new Error(decoded.detail);
          whole.push(decoded.packet);
        }
        expect(whole.length).toBeGreaterThanOrEqual(2);
        for (const p of [a, b]) expect(whole.some((w) => valuesEqual(w as unknown as Value, p as unknown as Value))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("keep a bounded number of packets in reassembly per sender: newer packets push out one with a lost piece, and it is counted", () => {
    const packet = { headers: real[0]!.headers, payload: "x".repeat(5000) };
    const counts = { reassembled: 0, abandoned: 0 };
    const reassembly = new Reassembly(counts);
    const lossy = wire.pieces(2, 0, wire.headerBytes(packet).slice(), packet.payload)!;
    for (const d of lossy.slice(1)) expect(reassembly.add(2, pieceOf(d))).toBeUndefined();
    for (let id = 1; id <= PACKETS_PER_SENDER; id++) {
      const pieces = wire.pieces(2, id, wire.headerBytes(packet).slice(), packet.payload)!;
      // All but the last piece of each: PACKETS_PER_SENDER partial packets at once, so the lossy one goes.
      for (const d of pieces.slice(0, -1)) reassembly.add(2, pieceOf(d));
    }
    expect(counts).toEqual({ reassembled: 0, abandoned: 1 });
    expect(reassembly.add(2, pieceOf(lossy[0]!))).toBeUndefined();
    // A piece claiming another count than its packet's other pieces abandons the packet.
    const forged = Buffer.from(lossy[1]!);
    forged[12] = 9;
    reassembly.add(2, pieceOf(forged));
    expect(counts.abandoned).toBe(3);
  });

  it("are refused beyond MAX_PIECES pieces", () => {
    expect(wire.pieces(0, 0, new Uint8Array(4), "x".repeat(MAX_PIECES * wire.maxDatagram))).toBeUndefined();
  });
});
