// Compact binary encoding of values of a known type: no tags, because the type says what comes
// next. An enum is its index, a bounded int its offset from the minimum (a varint), a record its
// fields in declaration order behind a bitmap of the optional ones that are present, a table its
// elements without a length, a tagged union its member index then the member. Untyped values
// (`t.value()`) fall back to the self-describing canonical encoding. The runtime's wire codec
// carries every layer's header this way.
//
// Decoding treats its input as hostile: every length is checked against the bytes left, every
// index against its range, duplicates in sets and maps are refused, and a failure is a
// DecodeError naming the byte offset and the path of the field (`[2].seq: 7 is not below 3`).

import { ByteReader, ByteWriter, DecodeError, writeValue } from "./encoding.ts";
import { assertType, type Layout, type Type } from "./types.ts";
import { IMap, ISet, type Primitive, type Value } from "./value.ts";

export interface TypedCodec<T> {
  encode(v: T, w: ByteWriter): void;
  decode(r: ByteReader): T;
}

type Codec = TypedCodec<unknown>;

const codecs = new WeakMap<Type<unknown>, Codec>();

/** The codec of a type (built on first use). */
export function typedCodec<T>(type: Type<T>): TypedCodec<T> {
  let codec = codecs.get(type as Type<unknown>);
  if (codec === undefined) {
    codec = build(type as Type<unknown>);
    codecs.set(type as Type<unknown>, codec);
  }
  return codec as TypedCodec<T>;
}

/** Encodes a value of `type`; a value that does not fit is a ValueError naming the path. */
export function encodeTyped<T>(type: Type<T>, v: T, what = "value"): Uint8Array {
  assertType(type, v, what);
  const w = new ByteWriter();
  typedCodec(type).encode(v, w);
  return w.done();
}

/** Decodes exactly the bytes of one value of `type`. */
export function decodeTyped<T>(type: Type<T>, bytes: Uint8Array): T {
  const r = new ByteReader(bytes);
  const v = typedCodec(type).decode(r);
  r.end();
  return v;
}

/** The same failure, one level further out: `suffix` goes in front of its path. */
function within(e: unknown, suffix: string): unknown {
  return e instanceof DecodeError ? new DecodeError(e.offset, e.problem, suffix + e.path) : e;
}

/** Reads a count of items; items of no size at all (literals) are capped rather than checked. */
function readCount(r: ByteReader, sized: boolean): number {
  if (sized) return r.count();
  const at = r.pos;
  const n = r.varint();
  if (n > 1 << 16) r.fail(`count ${n} of items that take no bytes is too large`, at);
  return n;
}

/** Whether every value of the type takes at least one byte (so counts can be checked against the bytes left). */
function sized(type: Type<unknown>): boolean {
  const layout = type.layout();
  switch (layout.kind) {
    case "literal":
      return false;
    case "tuple":
      return layout.elements.some(sized);
    case "table":
      return layout.index.count > 0 && sized(layout.element);
    case "record":
      return layout.fields.some((f) => f.optional || sized(f.type));
    default:
      return true;
  }
}

function build(type: Type<unknown>): Codec {
  const layout: Layout = type.layout();
  switch (layout.kind) {
    case "bool":
      return {
        encode: (v, w) => w.byte(v ? 1 : 0),
        decode: (r) => {
          const b = r.byte();
          if (b > 1) r.fail(`${b} is not a boolean (0 or 1)`, r.pos - 1);
          return b === 1;
        },
      };
    case "int":
      return layout.min === Number.MIN_SAFE_INTEGER ? signedInt(layout.max) : offsetInt(layout.min, layout.max);
    case "ids":
      return offsetInt(0, layout.count - 1);
    case "bigint":
      return {
        encode: (v, w) => {
          const n = v as bigint;
          w.byte(n < 0n ? 1 : 0);
          w.text((n < 0n ? -n : n).toString(16));
        },
        decode: (r) => {
          const sign = r.byte();
          if (sign > 1) r.fail("bad bigint sign", r.pos - 1);
          const hex = r.text(r.count());
          if (!/^[0-9a-f]+$/.test(hex)) r.fail("bad bigint digits");
          const n = BigInt(`0x${hex}`);
          return sign ? -n : n;
        },
      };
    case "string":
      return { encode: (v, w) => w.text(v as string), decode: (r) => r.text(r.count()) };
    case "literal": {
      const literal: Primitive = layout.value;
      return { encode: () => {}, decode: () => literal };
    }
    case "enum":
      return enumCodec(layout.values);
    case "array":
      return listCodec(typedCodec(layout.element), sized(layout.element));
    case "table":
      return fixedCodec(Array.from({ length: layout.index.count }, () => typedCodec(layout.element)));
    case "tuple":
      return fixedCodec(layout.elements.map((e) => typedCodec(e)));
    case "record":
      return recordCodec(layout.fields);
    case "union":
      return unionCodec(layout);
    case "set":
      return setCodec(typedCodec(layout.element), sized(layout.element));
    case "map":
      return mapCodec(typedCodec(layout.key), typedCodec(layout.value), sized(layout.key));
    case "value":
      return { encode: (v, w) => writeValue(w, v as Value), decode: (r) => r.value(64) };
  }
}

function offsetInt(min: number, max: number): Codec {
  return {
    encode: (v, w) => w.varint((v as number) - min),
    decode: (r) => {
      const at = r.pos;
      const n = r.varint() + min;
      if (n > max) r.fail(`${n} is above ${max}`, at);
      return n;
    },
  };
}

function signedInt(max: number): Codec {
  return {
    encode: (v, w) => {
      const n = v as number;
      w.byte(n < 0 ? 1 : 0);
      w.varint(Math.abs(n));
    },
    decode: (r) => {
      const sign = r.byte();
      if (sign > 1) r.fail("bad integer sign", r.pos - 1);
      const at = r.pos;
      const n = sign ? -r.varint() : r.varint();
      if (n > max) r.fail(`${n} is above ${max}`, at);
      return n === 0 ? 0 : n;
    },
  };
}

function enumCodec(values: readonly string[]): Codec {
  const index = new Map(values.map((x, i) => [x, i]));
  return {
    encode: (v, w) => w.varint(index.get(v as string)!),
    decode: (r) => {
      const at = r.pos;
      const i = r.varint();
      if (i >= values.length) r.fail(`${i} is not below ${values.length} (the number of values)`, at);
      return values[i];
    },
  };
}

function listCodec(element: Codec, elementSized: boolean): Codec {
  return {
    encode: (v, w) => {
      const xs = v as readonly unknown[];
      w.varint(xs.length);
      for (const x of xs) element.encode(x, w);
    },
    decode: (r) => {
      const n = readCount(r, elementSized);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        try {
          out[i] = element.decode(r);
        } catch (e) {
          throw within(e, `[${i}]`);
        }
      }
      return out;
    },
  };
}

function fixedCodec(elements: readonly Codec[]): Codec {
  return {
    encode: (v, w) => elements.forEach((c, i) => c.encode((v as readonly unknown[])[i], w)),
    decode: (r) =>
      elements.map((c, i) => {
        try {
          return c.decode(r);
        } catch (e) {
          throw within(e, `[${i}]`);
        }
      }),
  };
}

function recordCodec(fields: Extract<Layout, { kind: "record" }>["fields"]): Codec {
  const count = fields.length;
  const keys = fields.map((f) => f.key);
  const codecsOf = fields.map((f) => typedCodec(f.type));
  const optional = fields.flatMap((f, i) => (f.optional ? [i] : []));
  /** Per field, its bit in the presence bitmap (-1: a required field). */
  const bitOf = fields.map((_f, i) => optional.indexOf(i));
  const bitmapBytes = Math.ceil(optional.length / 8);
  const suffix = fields.map((f) => (/^[A-Za-z_$][\w$]*$/.test(f.key) ? `.${f.key}` : `[${JSON.stringify(f.key)}]`));
  // Written with plain loops and the bitmap in numbers, not closures and a Set per value: the
  // runtime decodes a header stack (a record of records) for every packet it receives.
  return {
    encode: (v, w) => {
      const rec = v as Record<string, unknown>;
      for (let byte = 0; byte < bitmapBytes; byte++) {
        let bits = 0;
        for (let bit = 0; bit < 8 && byte * 8 + bit < optional.length; bit++) {
          if (rec[keys[optional[byte * 8 + bit]!]!] !== undefined) bits |= 1 << bit;
        }
        w.byte(bits);
      }
      for (let i = 0; i < count; i++) {
        const x = rec[keys[i]!];
        if (x !== undefined) codecsOf[i]!.encode(x, w);
      }
    },
    decode: (r) => {
      // The bitmap's bytes, four to a number (no allocation for records of up to 32 optional fields).
      let low = 0;
      const high: number[] | undefined = bitmapBytes > 4 ? [] : undefined;
      for (let byte = 0; byte < bitmapBytes; byte++) {
        const bits = r.byte();
        const valid = Math.min(8, optional.length - byte * 8);
        const beyond = bits >> valid;
        if (beyond !== 0) r.fail(`the presence bitmap marks field ${byte * 8 + valid + 31 - Math.clz32(beyond & -beyond)}, but there are ${optional.length} optional fields`, r.pos - 1);
        if (byte < 4) low |= bits << (8 * byte);
        else high![byte - 4] = bits;
      }
      const out: Record<string, unknown> = {};
      let i = 0;
      try {
        for (; i < count; i++) {
          const bit = bitOf[i]!;
          if (bit >= 0 && ((bit < 32 ? low >>> bit : high![(bit >> 3) - 4]! >> (bit & 7)) & 1) === 0) continue;
          out[keys[i]!] = codecsOf[i]!.decode(r);
        }
      } catch (e) {
        throw within(e, suffix[i]!);
      }
      return out;
    },
  };
}

function unionCodec(layout: Extract<Layout, { kind: "union" }>): Codec {
  const members = layout.members.map((m) => typedCodec(m));
  const tag = layout.tag;
  const byTag = tag && new Map(tag.values.map((x, i) => [x, i]));
  const memberOf = (v: unknown): number =>
    byTag ? byTag.get((v as Record<string, Primitive>)[tag!.key]!)! : layout.members.findIndex((m) => m.find(v) === undefined);
  return {
    encode: (v, w) => {
      const i = memberOf(v);
      w.varint(i);
      members[i]!.encode(v, w);
    },
    decode: (r) => {
      const at = r.pos;
      const i = r.varint();
      if (i >= members.length) r.fail(`${i} is not below ${members.length} (the number of members of the union)`, at);
      return members[i]!.decode(r);
    },
  };
}

function setCodec(element: Codec, elementSized: boolean): Codec {
  return {
    encode: (v, w) => {
      const set = v as ISet;
      w.varint(set.size);
      for (const x of set) element.encode(x, w);
    },
    decode: (r) => {
      const at = r.pos;
      const xs = listCodec(element, elementSized).decode(r) as Value[];
      const set = ISet.from(xs);
      if (set.size !== xs.length) r.fail(`a set of ${xs.length} elements holds only ${set.size} different ones`, at);
      return set;
    },
  };
}

function mapCodec(key: Codec, value: Codec, keySized: boolean): Codec {
  return {
    encode: (v, w) => {
      const map = v as IMap;
      w.varint(map.size);
      for (const [k, x] of map) {
        key.encode(k, w);
        value.encode(x, w);
      }
    },
    decode: (r) => {
      const at = r.pos;
      const n = readCount(r, keySized);
      const entries: [Value, Value][] = [];
      for (let i = 0; i < n; i++) {
        try {
          entries.push([key.decode(r) as Value, value.decode(r) as Value]);
        } catch (e) {
          throw within(e, `.entries[${i}]`);
        }
      }
      const map = IMap.from(entries);
      if (map.size !== n) r.fail(`a map of ${n} entries has only ${map.size} different keys`, at);
      return map;
    },
  };
}
