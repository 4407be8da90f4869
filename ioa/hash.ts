// The fingerprint algorithm: a 64-bit structural hash of values, from 32-bit integer arithmetic.
//
// A fingerprint is two 32-bit lanes (A and B) computed side by side with different multipliers
// and finalizers, so that a collision in one lane says little about the other. JavaScript has no
// fast 64-bit integers (BigInt allocates), so everything here is Math.imul and shifts, and nothing
// builds a string. Every hash function leaves its result in the registers `laneA` and `laneB`.
//
// The structure: an array folds its elements in order; a record sums one term per field, so key
// order does not matter and no sort is needed; sets and maps (which keep a canonical order) fold
// like arrays with their own seeds and cache the result. (Typed fingerprints, compiled per type in
// `typed-fingerprint.ts`, use the same mixers on a different, faster stream of words.)

export let laneA = 0;
export let laneB = 0;

export function setLanes(a: number, b: number): void {
  laneA = a;
  laneB = b;
}

/** Thrown (one shared instance) when hashing meets something that is not a value. */
export const NOT_A_VALUE: Error = new Error("not a value");

const MAX_DEPTH = 2000;
const TWO32 = 4294967296;

/** Murmur3's 32-bit finalizer: a bijection on int32 with full avalanche. */
export function finalizeA(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A second, independent finalizer (constants from a different avalanche search). */
export function finalizeB(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return h ^ (h >>> 15);
}

/** Folds one 32-bit word into lane A of an ordered (position-sensitive) hash. */
export function foldA(acc: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  acc ^= Math.imul(k, 0x1b873593);
  acc = (acc << 13) | (acc >>> 19);
  return (Math.imul(acc, 5) + 0xe6546b64) | 0;
}

/** Folds one 32-bit word into lane B of an ordered hash. */
export function foldB(acc: number, word: number): number {
  acc = (acc + Math.imul(word, 0x85ebca77)) | 0;
  acc = (acc << 13) | (acc >>> 19);
  return Math.imul(acc, 0x9e3779b1);
}

// ---- primitives ----

const TRUE_A = finalizeA(0x7e5a1);
const TRUE_B = finalizeB(0x7e5b1);
const FALSE_A = finalizeA(0xfa15e);
const FALSE_B = finalizeB(0xfa15f);

export function hashBoolean(v: boolean): void {
  laneA = v ? TRUE_A : FALSE_A;
  laneB = v ? TRUE_B : FALSE_B;
}

/** Hashes a safe integer; throws NOT_A_VALUE for any other number. */
export function hashNumber(n: number): void {
  if ((n | 0) === n) {
    laneA = finalizeA(n ^ 0x1b873593);
    laneB = finalizeB((Math.imul(n, 0x85ebca77) + 0x27d4eb2f) | 0);
    return;
  }
  if (!Number.isSafeInteger(n)) throw NOT_A_VALUE;
  const hi = Math.floor(n / TWO32) | 0;
  const lo = n >>> 0;
  laneA = finalizeA(foldA(foldA(0x3c6ef372, hi), lo));
  laneB = finalizeB(foldB(foldB(0x510e527f, hi), lo));
}

function hashChars(s: string, seedA: number, seedB: number): void {
  let a = seedA ^ s.length;
  let b = (seedB + s.length) | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b + c) | 0, 0x9e3779b1);
    b ^= b >>> 15;
  }
  laneA = finalizeA(a ^ 0x5bd1e995);
  laneB = finalizeB((b + 0x68e31da4) | 0);
}

export function hashString(s: string): void {
  hashChars(s, 0x811c9dc5, 0x27d4eb2f);
}

export function hashBigInt(n: bigint): void {
  hashChars(n.toString(16), 0x2545f491, 0x4f6cdd1d);
}

/** The lanes of a record key (keys hash apart from string values). */
export function hashKey(key: string): void {
  hashChars(key, 0x9747b28c, 0x1f83d9ab);
}

// ---- structure ----

export const listStartA = (length: number): number => 0x3c6ef372 ^ length;
export const listStartB = (length: number): number => (0xa54ff53a + length) | 0;
export const listEndA = (a: number): number => finalizeA(a ^ 0x6a09e667);
export const listEndB = (b: number): number => finalizeB((b + 0x0bb67ae8) | 0);

/** One field's contribution to lane A of its record: summed over fields, so order does not matter. */
export const fieldTermA = (keyA: number, valueA: number): number => finalizeA(keyA ^ Math.imul(valueA, 0x27d4eb2d));
export const fieldTermB = (keyB: number, valueB: number): number => finalizeB((keyB + Math.imul(valueB, 0x165667b1)) | 0);
export const recordEndA = (sum: number, fields: number): number => finalizeA(sum ^ fields ^ 0x3c6ef373);
export const recordEndB = (sum: number, fields: number): number => finalizeB((sum + fields + 0x9b05688c) | 0);

export const setStartA = (size: number): number => 0x1f123bb5 ^ size;
export const setStartB = (size: number): number => (0x5be0cd19 + size) | 0;
export const setEndA = (a: number): number => finalizeA(a ^ 0x7137449);
export const setEndB = (b: number): number => finalizeB((b + 0x1e376c08) | 0);
export const mapStartA = (size: number): number => 0x3956c25b ^ size;
export const mapStartB = (size: number): number => (0x59f111f1 + size) | 0;
export const mapEndA = (a: number): number => finalizeA(a ^ 0x923f82a4);
export const mapEndB = (b: number): number => finalizeB((b + 0x6ab1d5ed) | 0);

/**
 * A canonically ordered collection that hashes itself (and caches the result): ISet and IMap.
 * Defined here so that hashing recognizes collections without depending on them.
 */
export abstract class HashedCollection {
  /** Sets the lanes to this collection's fingerprint. */
  abstract hashLanes(): void;
}

/** Hashes any value by its structure; throws NOT_A_VALUE on anything that is not a value. */
export function hashValue(v: unknown, depth = 0): void {
  switch (typeof v) {
    case "number":
      hashNumber(v);
      return;
    case "string":
      hashString(v);
      return;
    case "boolean":
      hashBoolean(v);
      return;
    case "bigint":
      hashBigInt(v);
      return;
    case "object": {
      if (v === null || depth > MAX_DEPTH) break;
      if (Array.isArray(v)) {
        hashList(v, depth + 1);
        return;
      }
      if (v instanceof HashedCollection) {
        v.hashLanes();
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) {
        if (depth !== 1) return hashRecord(v as Record<string, unknown>, depth + 1);
        if (v === lastNested) {
          laneA = lastNestedA;
          laneB = lastNestedB;
          return;
        }
        hashRecord(v as Record<string, unknown>, depth + 1);
        lastNested = v;
        lastNestedA = laneA;
        lastNestedB = laneB;
        return;
      }
    }
  }
  throw NOT_A_VALUE;
}

// The record last hashed as a field or element of the value being hashed, and its lanes (values
// are immutable): a packet sent to three processes is three flights {from, to, packet} of one
// packet object, hashed once. (Deeper records are not remembered: that costs more than it saves.)
let lastNested: object | undefined;
let lastNestedA = 0;
let lastNestedB = 0;

/**
 * Whether `hashValue(v)` would hash `v` rather than throw NOT_A_VALUE, found without hashing: what
 * a collection checks of a value it stores but does not order by (a map's values), where hashing
 * a long string only to check it is a string cost a member 15% of its CPU under loss (MNAK's early
 * casts, kept in maps).
 */
export function isHashable(v: unknown, depth = 0): boolean {
  switch (typeof v) {
    case "number":
      return Number.isSafeInteger(v);
    case "string":
    case "boolean":
    case "bigint":
      return true;
    case "object": {
      if (v === null || depth > MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isHashable(v[i], depth + 1)) return false;
        return true;
      }
      if (v instanceof HashedCollection) return true;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in v) {
        if (key.charCodeAt(0) === 35 /* '#' */ || !isHashable((v as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
  }
  return false;
}

function hashList(v: readonly unknown[], depth: number): void {
  let a = listStartA(v.length);
  let b = listStartB(v.length);
  for (let i = 0; i < v.length; i++) {
    hashValue(v[i], depth);
    a = foldA(a, laneA);
    b = foldB(b, laneB);
  }
  laneA = listEndA(a);
  laneB = listEndB(b);
}

function hashRecord(v: Record<string, unknown>, depth: number): void {
  let a = 0;
  let b = 0;
  let n = 0;
  for (const key in v) {
    if (key.charCodeAt(0) === 35 /* '#': reserved by ITF */) throw NOT_A_VALUE;
    hashKey(key);
    const ka = laneA;
    const kb = laneB;
    hashValue(v[key], depth);
    a = (a + fieldTermA(ka, laneA)) | 0;
    b = (b + fieldTermB(kb, laneB)) | 0;
    n++;
  }
  laneA = recordEndA(a, n);
  laneB = recordEndB(b, n);
}

/** Hex rendering of a two-lane fingerprint, lane A first: 16 hex digits. */
export function fingerprintHex(a: number, b: number): string {
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The two lanes as one unsigned 64-bit bigint (for public APIs; never on a hot path). */
export function fingerprintBigInt(a: number, b: number): bigint {
  return (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0);
}
