// The canonical binary encoding of values: equal values give identical bytes, different values
// give different bytes, and decoding gives back an equal value. Records are written with their keys
// sorted, sets and maps in their canonical order, integers as zigzag varints. The runtime's wire
// codec carries payloads and headers in this form.
//
//   false 0x00 | true 0x01 | int ≥ 0 0x02 varint(n) | int < 0 0x09 varint(-n - 1)
//   bigint 0x03 sign varint-length hex
//   string 0x04 varint-length utf-8 | array 0x05 count items | record 0x06 count (key value)…
//   set 0x07 count items | map 0x08 count (key value)…
//
// (varints hold seven bits a byte, so every safe integer fits.)

import { TroupeError } from "./errors.ts";
import { IMap, ISet, checkValue, type Value, type ValueRecord } from "./value.ts";

const FALSE = 0x00;
const TRUE = 0x01;
const NAT = 0x02;
const NEG = 0x09;
const BIG = 0x03;
const STR = 0x04;
const ARR = 0x05;
const REC = 0x06;
const SET = 0x07;
const MAP = 0x08;

export class DecodeError extends TroupeError {
  override name = "DecodeError";
  constructor(
    readonly offset: number,
    readonly problem: string,
    /** Where in the value, for typed decoding: `.header.seq`, `[2]`. */
    readonly path = "",
  ) {
    super(`byte ${offset}: ${path ? `${path.replace(/^\./, "")}: ` : ""}${problem}`);
  }
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** A growable byte buffer with the primitives of Troupe's encodings. */
export class ByteWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  get length(): number {
    return this.len;
  }

  /** Empties the buffer for reuse (the runtime encodes every datagram into one writer). */
  reset(): void {
    this.len = 0;
  }

  /** The bytes written so far, without copying (valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** An unsigned integer below 2^53, seven bits a byte. */
  varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  /** A string as its UTF-8 length and bytes. */
  text(s: string): void {
    const bytes = utf8.encode(s);
    this.varint(bytes.length);
    this.bytes(bytes);
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Writes a value in the canonical encoding (self-describing: a tag, then the data). */
export function writeValue(w: ByteWriter, v: Value): void {
  switch (typeof v) {
    case "boolean":
      w.byte(v ? TRUE : FALSE);
      return;
    case "number":
      if (v >= 0) {
        w.byte(NAT);
        w.varint(v);
      } else {
        w.byte(NEG);
        w.varint(-v - 1);
      }
      return;
    case "bigint": {
      w.byte(BIG);
      w.byte(v < 0n ? 1 : 0);
      const hex = (v < 0n ? -v : v).toString(16);
      const digits = utf8.encode(hex.length % 2 ? `0${hex}` : hex);
      w.varint(digits.length);
      w.bytes(digits);
      return;
    }
    case "string": {
      w.byte(STR);
      const bytes = utf8.encode(v);
      w.varint(bytes.length);
      w.bytes(bytes);
      return;
    }
  }
  if (Array.isArray(v)) {
    w.byte(ARR);
    w.varint(v.length);
    for (const x of v) writeValue(w, x);
    return;
  }
  if (v instanceof ISet) {
    w.byte(SET);
    w.varint(v.size);
    for (const x of v) writeValue(w, x);
    return;
  }
  if (v instanceof IMap) {
    w.byte(MAP);
    w.varint(v.size);
    for (const [k, x] of v) {
      writeValue(w, k);
      writeValue(w, x);
    }
    return;
  }
  const rec = v as ValueRecord;
  const keys = Object.keys(rec)
    .map((k) => ({ k, bytes: utf8.encode(k) }))
    .sort((a, b) => compareBytes(a.bytes, b.bytes));
  w.byte(REC);
  w.varint(keys.length);
  for (const { k, bytes } of keys) {
    w.varint(bytes.length);
    w.bytes(bytes);
    writeValue(w, rec[k]!);
  }
}

/** The canonical bytes of a value; throws a ValueError (with the path) for a non-value. */
export function encodeValue(v: Value): Uint8Array {
  checkValue(v);
  const w = new ByteWriter();
  writeValue(w, v);
  return w.done();
}

/**
 * Reads what a ByteWriter wrote, checking every length against the bytes left, so malformed input
 * fails with a DecodeError naming the offset and never makes it allocate more than the input holds.
 */
export class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(problem: string, at = this.pos): never {
    throw new DecodeError(at, problem);
  }

  /** Fails unless every byte has been read. */
  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.buf.length - this.pos} trailing bytes`);
  }

  byte(): number {
    if (this.pos >= this.buf.length) this.fail("unexpected end of data");
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const start = this.pos;
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (n > Number.MAX_SAFE_INTEGER) this.fail("integer beyond the safe range", start);
      if ((b & 0x80) === 0) return n;
      scale *= 0x80;
    }
  }

  /** A count of items that follow, each at least one byte long. */
  count(): number {
    const start = this.pos;
    const n = this.varint();
    if (n > this.buf.length - this.pos) this.fail(`count ${n} exceeds the ${this.buf.length - this.pos} bytes left`, start);
    return n;
  }

  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) this.fail(`length ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  text(n: number): string {
    const start = this.pos;
    try {
      return utf8Strict.decode(this.bytes(n));
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      return this.fail("invalid UTF-8", start);
    }
  }

  /** A value in the canonical encoding, nested at most `maxDepth` deep. */
  value(maxDepth: number, depth = 0): Value {
    if (depth > maxDepth) this.fail(`nesting deeper than ${maxDepth}`);
    const start = this.pos;
    const tag = this.byte();
    switch (tag) {
      case FALSE:
        return false;
      case TRUE:
        return true;
      case NAT:
        return this.varint();
      case NEG:
        return -this.varint() - 1;
      case BIG: {
        const negative = this.byte();
        if (negative > 1) this.fail("bad bigint sign");
        const hex = this.text(this.count());
        if (!/^[0-9a-f]+$/.test(hex)) this.fail("bad bigint digits");
        const n = BigInt(`0x${hex}`);
        return negative ? -n : n;
      }
      case STR:
        return this.text(this.count());
      case ARR:
        return Array.from({ length: this.count() }, () => this.value(maxDepth, depth + 1));
      case SET:
        return ISet.from(Array.from({ length: this.count() }, () => this.value(maxDepth, depth + 1)));
      case MAP:
        return IMap.from(Array.from({ length: this.count() }, (): [Value, Value] => [this.value(maxDepth, depth + 1), this.value(maxDepth, depth + 1)]));
      case REC: {
        const n = this.count();
        const out: Record<string, Value> = {};
        for (let i = 0; i < n; i++) {
          const keyAt = this.pos;
          const key = this.text(this.count());
          if (key.startsWith("#") || Object.hasOwn(out, key)) this.fail(`bad record key "${key}"`, keyAt);
          out[key] = this.value(maxDepth, depth + 1);
        }
        return out;
      }
      default:
        return this.fail(`unknown tag 0x${tag.toString(16).padStart(2, "0")}`, start);
    }
  }
}

/**
 * Decodes bytes written by `encodeValue`. Malformed input (truncated, unknown tags, lengths past
 * the end, bad UTF-8, trailing bytes) is a DecodeError naming the byte offset; it never allocates
 * more than the input could describe.
 */
export function decodeValue(bytes: Uint8Array, options: { maxDepth?: number } = {}): Value {
  const r = new ByteReader(bytes);
  const v = r.value(options.maxDepth ?? 64);
  r.end();
  return v;
}
