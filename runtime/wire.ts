// The wire format: how a member's packets travel in one UDP datagram.
//
//   offset 0  2 bytes  magic "Tp"
//          2  1 byte   version (2: application messages in envelopes of one message or a pack, envelope.ts)
//          3  4 bytes  group id: FNV-1a (32 bits) of the group name, the stack name and the group size,
//                      so that members configured for another group, stack or size never mix
//          7  varint   sender rank
//          …  2 bytes  packet count (big-endian, at least 1)
//          …  packets  each: its header stack in the kernel's typed codec of the stack's header type,
//                      then a varint — 0 for no payload, k + 1 for a payload of k bytes — and the bytes
//
// A packet too large for one datagram travels in pieces (a flush answer carrying thousands of casts,
// say): a piece datagram has the count 0, then three varints — the packet's id (per sender), the
// piece's index and the number of pieces (2 to MAX_PIECES) — and the piece's bytes, a slice of the
// packet as it would be written in a datagram. The receiver reassembles the packet (reassembly.ts);
// a lost piece loses the packet, as a lost datagram would (the layers repeat what must arrive).
//
// Payloads are strings in the stack (a layer such as frag cuts them by characters) and bytes on the
// wire: the runtime only ever puts strings of one character per byte (latin1) in a stack, so a
// payload crosses the wire byte for byte, with no UTF-8 expansion and a native copy each way.
//
// Decoding treats every datagram as hostile: it never throws, and a datagram that is not accepted
// whole comes back as the reason it was dropped (one of DROP_REASONS) and a detail naming the byte.

import { Buffer } from "node:buffer";
import { ByteReader, ByteWriter, DecodeError, typedCodec, type TypedCodec } from "../ioa/index.ts";
import type { Above } from "../layers/event.ts";
import type { Packet } from "../layers/message.ts";
import type { StackTypes } from "../layers/stack.ts";

export const WIRE_VERSION = 2;
const MAGIC0 = 0x54; // "T"
const MAGIC1 = 0x70; // "p"
/** Magic, version and group id: the bytes before the sender. */
const FIXED = 7;
const MAX_PACKETS = 0xffff;
/** The most pieces a packet is cut into: with 60,000-byte datagrams, packets of up to about 15 MB. */
export const MAX_PIECES = 256;
/** The count of a piece datagram. */
const PIECE_COUNT = Uint8Array.of(0, 0);

/** Why a datagram is dropped: the first seven are the wire's; "impostor" is a member's (a datagram naming a slot that is not the one at its source address). */
export const DROP_REASONS = ["truncated", "oversized", "bad magic", "other version", "other group", "unknown sender", "malformed", "impostor"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** A piece of a packet too large for one datagram. */
export interface Piece {
  readonly id: number;
  readonly index: number;
  readonly count: number;
  readonly bytes: Uint8Array;
}

export type Decoded =
  | { readonly ok: true; readonly sender: number; readonly packets: Packet[]; readonly piece?: Piece }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

export interface WireOptions {
  readonly group: string;
  readonly stack: string;
  /** Group size: ranks are 0..n-1. */
  readonly n: number;
  /** Datagrams longer than this are refused (and never built). */
  readonly maxDatagram: number;
}

/** FNV-1a over the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, "utf8")) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** The group id that datagrams of a group carry. */
export function groupId(group: string, stack: string, n: number): number {
  return fnv1a32(`${group}\u0000${stack}\u0000${n}`);
}

export class Wire {
  readonly groupId: number;
  readonly maxDatagram: number;
  private readonly n: number;
  private readonly headers: TypedCodec<Above>;
  private readonly writer = new ByteWriter();

  constructor(types: Pick<StackTypes, "Headers">, options: WireOptions) {
    this.n = options.n;
    this.maxDatagram = options.maxDatagram;
    this.groupId = groupId(options.group, options.stack, options.n);
    this.headers = typedCodec(types.Headers);
  }

  /** The datagram prefix of `sender`'s datagrams: magic, version, group, sender; the count follows. */
  prefix(sender: number): Uint8Array {
    const w = new ByteWriter();
    w.byte(MAGIC0);
    w.byte(MAGIC1);
    w.byte(WIRE_VERSION);
    const id = this.groupId;
    w.byte(id >>> 24);
    w.byte((id >>> 16) & 0xff);
    w.byte((id >>> 8) & 0xff);
    w.byte(id & 0xff);
    w.varint(sender);
    return w.done();
  }

  /** A packet's header stack in the typed codec: valid until the next call (one writer is reused, so nothing is allocated per packet). */
  headerBytes(packet: Packet): Uint8Array {
    const w = this.writer;
    w.reset();
    this.headers.encode(packet.headers, w);
    return w.view();
  }

  /** A whole datagram of `sender` holding `packets` (for tests and tools; members batch in an Outbox). */
  encode(sender: number, packets: readonly Packet[]): Buffer {
    const prefix = this.prefix(sender);
    const encoded = packets.map((p) => ({ header: this.headerBytes(p).slice(), payload: p.payload }));
    const buf = Buffer.alloc(prefix.length + 2 + encoded.reduce((sum, e) => sum + packetLength(e.header, e.payload), 0));
    buf.set(prefix, 0);
    buf.set(countBytes(packets.length), prefix.length);
    let at = prefix.length + 2;
    for (const e of encoded) at = putPacket(buf, at, e.header, e.payload);
    return buf;
  }

  /** Decodes a datagram; never throws. */
  decode(bytes: Uint8Array): Decoded {
    if (bytes.length > this.maxDatagram) return drop("oversized", `${bytes.length} bytes, more than the ${this.maxDatagram} allowed`);
    if (bytes.length < 2) return drop("truncated", `${bytes.length} bytes, shorter than the magic`);
    if (bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) return drop("bad magic", `starts with 0x${hex(bytes[0]!)}${hex(bytes[1]!)}, not 0x${hex(MAGIC0)}${hex(MAGIC1)}`);
    if (bytes.length < 3) return drop("truncated", "ends before the version");
    if (bytes[2] !== WIRE_VERSION) return drop("other version", `version ${bytes[2]}, this member speaks ${WIRE_VERSION}`);
    if (bytes.length < FIXED) return drop("truncated", "ends inside the group id");
    const id = ((bytes[3]! << 24) | (bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!) >>> 0;
    if (id !== this.groupId) return drop("other group", `group id ${id.toString(16)}, this group's is ${this.groupId.toString(16)}`);
    const r = new ByteReader(bytes);
    r.pos = FIXED;
    try {
      const sender = r.varint();
      if (sender >= this.n) return drop("unknown sender", `sender ${sender} in a group of ${this.n}`);
      const count = (r.byte() << 8) | r.byte();
      if (count === 0) return this.decodePiece(sender, r, bytes);
      const packets: Packet[] = [];
      const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < count; i++) packets.push(this.decodePacket(r, buffer));
      if (r.remaining > 0) return drop("malformed", `byte ${r.pos}: ${r.remaining} bytes after the ${count} packets`);
      return { ok: true, sender, packets };
    } catch (e) {
      if (!(e instanceof DecodeError)) return drop("malformed", `${(e as Error).message}`);
      const outOfBytes = e.offset >= bytes.length || e.problem.includes("bytes left") || e.problem.includes("end of data");
      return drop(outOfBytes ? "truncated" : "malformed", e.message);
    }
  }

  /** A piece datagram's piece, after its count of 0. */
  private decodePiece(sender: number, r: ByteReader, bytes: Uint8Array): Decoded {
    const id = r.varint();
    const index = r.varint();
    const count = r.varint();
    if (count < 2 || count > MAX_PIECES) return drop("malformed", `byte ${r.pos - 1}: a packet in ${count} pieces (2 to ${MAX_PIECES})`);
    if (index >= count) return drop("malformed", `byte ${r.pos - 1}: piece ${index} of a packet in ${count} pieces`);
    if (r.remaining === 0) return drop("truncated", `byte ${r.pos}: a piece of no bytes`);
    return { ok: true, sender, packets: [], piece: { id, index, count, bytes: bytes.subarray(r.pos) } };
  }

  /** The packet written in `bytes` (a packet reassembled from its pieces); never throws. */
  decodeWhole(bytes: Uint8Array): { readonly ok: true; readonly packet: Packet } | { readonly ok: false; readonly detail: string } {
    const r = new ByteReader(bytes);
    try {
      const packet = this.decodePacket(r, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (r.remaining > 0) return { ok: false, detail: `byte ${r.pos}: ${r.remaining} bytes after the packet` };
      return { ok: true, packet };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  /**
   * The piece datagrams of `sender`'s packet number `id`, written as `header` and `payload` (a
   * packet longer than a datagram may be); undefined when it needs more than MAX_PIECES.
   */
  pieces(sender: number, id: number, header: Uint8Array, payload: string | undefined): Buffer[] | undefined {
    const whole = Buffer.allocUnsafe(packetLength(header, payload));
    putPacket(whole, 0, header, payload);
    const prefix = this.prefix(sender);
    const room = this.maxDatagram - prefix.length - 2 - 3 * 5;
    const count = Math.ceil(whole.length / room);
    if (count > MAX_PIECES) return undefined;
    return Array.from({ length: count }, (_, index) => {
      const w = new ByteWriter();
      w.varint(id);
      w.varint(index);
      w.varint(count);
      return Buffer.concat([prefix, PIECE_COUNT, w.done(), whole.subarray(index * room, (index + 1) * room)]);
    });
  }

  /** One packet at the reader's position; `buffer` is the datagram as a Buffer (made once per datagram, not per packet). */
  private decodePacket(r: ByteReader, buffer: Buffer): Packet {
    const headers = this.headers.decode(r);
    const tag = r.varint();
    if (tag === 0) return { headers };
    const start = r.pos;
    r.bytes(tag - 1);
    return { headers, payload: buffer.toString("latin1", start, start + tag - 1) };
  }
}

/** How many bytes a packet with this header and payload takes in a datagram. */
export function packetLength(header: Uint8Array, payload: string | undefined): number {
  const tag = payload === undefined ? 0 : payload.length + 1;
  return header.length + varintLength(tag) + (payload === undefined ? 0 : payload.length);
}

/** Writes a packet at `at` (the caller made room: see packetLength); returns where it ends. */
export function putPacket(buf: Buffer, at: number, header: Uint8Array, payload: string | undefined): number {
  buf.set(header, at);
  at += header.length;
  let tag = payload === undefined ? 0 : payload.length + 1;
  while (tag >= 0x80) {
    buf[at++] = (tag & 0x7f) | 0x80;
    tag = Math.floor(tag / 0x80);
  }
  buf[at++] = tag;
  return payload === undefined ? at : at + buf.write(payload, at, payload.length, "latin1");
}

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    length++;
  }
  return length;
}

/** The two bytes of a packet count. */
export function countBytes(count: number): Uint8Array {
  if (count < 1 || count > MAX_PACKETS) throw new RangeError(`a datagram holds 1 to ${MAX_PACKETS} packets, not ${count}`);
  return Uint8Array.of(count >>> 8, count & 0xff);
}

function drop(reason: DropReason, detail: string): Decoded {
  return { ok: false, reason, detail };
}

const hex = (b: number) => b.toString(16).padStart(2, "0");
