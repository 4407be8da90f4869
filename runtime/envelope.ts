// How application messages travel inside the stack. The message string a stack carries (one
// character per byte, latin1) is an envelope of one of two kinds:
//
//   one message   0x00, the sender's sequence number (a varint), the payload bytes
//   a pack        0x01, the first message's sequence number (a varint), how many messages (a
//                 varint, at least 2), then each message's length (a varint) and bytes; the
//                 messages of a pack have consecutive sequence numbers
//
// Application messages are numbered from 1; 0 numbers the runtime's own (state transfer's), which
// never travel in packs. The sequence number makes every message unique per sender, as the group
// interface requires of message identities ({sender, seq} in recorded traces), and it comes from
// the sender, so a recorded trace shows what the stack did, not what a receiver assumed.
//
// A pack is several casts a member made in one turn of the event loop, cast as one message of the
// stack (cast-packer.ts): the stack delivers it whole, in one place of its order, so its messages are
// delivered in the order they were cast, together, in the view they were cast in — every property
// a stack promises of a cast holds of each.

import { Buffer } from "node:buffer";

const ONE = 0;
const PACK = 1;

/** Calls `each(seq, start, end)` for every message an envelope holds: its sequence number and where its payload lies in `msg`. */
export type EachMessage = (seq: number, start: number, end: number) => void;

/** The envelope of the sender's `seq`-th message with this payload. */
export function seal(seq: number, payload: Uint8Array): string {
  return sealLatin1(seq, latin1(payload));
}

/** `seal`, of a payload given as a string of one character per byte (`latin1`). */
export function sealLatin1(seq: number, payload: string): string {
  return String.fromCharCode(ONE) + varint(seq) + payload;
}

/** The envelope of a pack of messages with consecutive sequence numbers from `first` (at least two; payloads as `latin1` gives them). */
export function sealPack(first: number, payloads: readonly string[]): string {
  if (payloads.length < 2) throw new RangeError(`sealPack: a pack holds at least 2 messages, not ${payloads.length}`);
  let out = String.fromCharCode(PACK) + varint(first) + varint(payloads.length);
  for (const p of payloads) out += varint(p.length) + p;
  return out;
}

/** How many bytes `sealPack` adds to a message of `length` bytes (its length's varint). */
export function packOverhead(length: number): number {
  let bytes = 1;
  for (let n = length; n >= 0x80; n = Math.floor(n / 0x80)) bytes++;
  return bytes;
}

/**
 * Opens an envelope: calls `each` for its messages, in order, and answers true; answers false,
 * having called nothing, when `msg` is not an envelope `seal` or `sealPack` made.
 */
export function openEnvelope(msg: string, each: EachMessage): boolean {
  const r = { at: 1 };
  const kind = msg.charCodeAt(0);
  const seq = readVarint(msg, r);
  if (seq === undefined) return false;
  if (kind === ONE) return each(seq, r.at, msg.length), true;
  if (kind !== PACK) return false;
  const count = readVarint(msg, r);
  if (count === undefined || count < 2 || seq === 0 || seq + count - 1 > Number.MAX_SAFE_INTEGER) return false;
  // Checked whole before the first message is handed on: a pack is taken or refused entirely.
  const bounds: number[] = [];
  for (let i = 0; i < count; i++) {
    const length = readVarint(msg, r);
    if (length === undefined || r.at + length > msg.length) return false;
    bounds.push(r.at, r.at + length);
    r.at += length;
  }
  if (r.at !== msg.length) return false;
  for (let i = 0; i < count; i++) each(seq + i, bounds[2 * i]!, bounds[2 * i + 1]!);
  return true;
}

/** The payload bytes of a message, from `start` to `end` of its envelope. */
export function payloadOf(msg: string, start: number, end = msg.length): Uint8Array {
  return Buffer.from(msg.slice(start, end), "latin1");
}

/** Bytes as a string of one character per byte: how a payload travels in the stack (a copy: the caller may reuse its buffer). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function varint(n: number): string {
  let out = "";
  while (n >= 0x80) {
    out += String.fromCharCode((n & 0x7f) | 0x80);
    n = Math.floor(n / 0x80);
  }
  return out + String.fromCharCode(n);
}

/** The varint at `r.at` (moving past it), or undefined if there is none there or it is not a safe integer. */
function readVarint(msg: string, r: { at: number }): number | undefined {
  let n = 0;
  let scale = 1;
  for (let i = r.at; i < msg.length && i < r.at + 8; i++) {
    const c = msg.charCodeAt(i);
    if (c > 0xff) return undefined;
    n += (c & 0x7f) * scale;
    if ((c & 0x80) === 0) {
      r.at = i + 1;
      return n > Number.MAX_SAFE_INTEGER ? undefined : n;
    }
    scale *= 0x80;
  }
  return undefined;
}
