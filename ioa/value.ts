// Canonical values: the only data that may appear in a state or an action.
//
// A value is a boolean, a safe integer, a bigint, a string, an array of values, a plain record of
// values, an ISet of values or an IMap from values to values. Nothing else: no null, no undefined,
// no floats, no functions, no class instances, no cycles — exactly what ITF can write and read
// back. Values are immutable by contract; ISet and IMap are immutable by construction.
//
// Every value has a 64-bit fingerprint computed structurally, without building strings: records
// combine their fields commutatively (key order is irrelevant), arrays fold in order, and ISet and
// IMap keep their elements in a canonical order and cache their own fingerprint. The canonical
// order of values puts primitives first, by kind (boolean < number < bigint < string) and then
// naturally; then structured values by fingerprint, with their kind and a structural comparison
// deciding only between different values that share a fingerprint. So a set lookup compares
// integers, never structures.

import { ValueError } from "./errors.ts";
import {
  fingerprintBigInt,
  fingerprintHex,
  foldA,
  foldB,
  HashedCollection,
  hashValue,
  isHashable,
  laneA,
  laneB,
  mapEndA,
  mapEndB,
  mapStartA,
  mapStartB,
  NOT_A_VALUE,
  setEndA,
  setEndB,
  setLanes,
  setStartA,
  setStartB,
} from "./hash.ts";

export type Primitive = boolean | number | bigint | string;
/** Literal types widened to their primitive: `ISet.of(1, 2)` is an ISet<number>, not ISet<1 | 2>. */
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends bigint ? bigint : T;
export type Value = Primitive | readonly Value[] | ValueRecord | ISet<Value> | IMap<Value, Value>;
export interface ValueRecord {
  readonly [key: string]: Value;
}

// ---------------------------------------------------------------------------------------------
// Ranks: the first key of the canonical order.

const BOOL = 0;
const NUM = 1;
const BIG = 2;
const STR = 3;
const ARR = 4;
const REC = 5;
const SET = 6;
const MAP = 7;
const FIRST_STRUCTURED = ARR;

function rankOf(v: Value): number {
  switch (typeof v) {
    case "boolean":
      return BOOL;
    case "number":
      return NUM;
    case "bigint":
      return BIG;
    case "string":
      return STR;
  }
  if (Array.isArray(v)) return ARR;
  if (v instanceof ISet) return SET;
  if (v instanceof IMap) return MAP;
  return REC;
}

const MAX_DEPTH = 2000;

function hashOrThrow(v: unknown, what: string): void {
  try {
    hashValue(v);
  } catch (e) {
    if (e === NOT_A_VALUE) throw invalidValueError(v, what);
    throw e;
  }
}

/** Writes the 64-bit fingerprint of `v` as two int32 lanes into `out[at]` and `out[at + 1]`. */
export function fingerprintInto(v: Value, out: Int32Array, at: number): void {
  hashOrThrow(v, "value");
  out[at] = laneA;
  out[at + 1] = laneB;
}

/** The 64-bit fingerprint of a value, as an unsigned bigint. */
export function fingerprint(v: Value): bigint {
  hashOrThrow(v, "value");
  return fingerprintBigInt(laneA, laneB);
}

/** The fingerprint as 16 hex digits, for display and for keys in maps. */
export function fingerprintString(v: Value): string {
  hashOrThrow(v, "value");
  return fingerprintHex(laneA, laneB);
}

// ---------------------------------------------------------------------------------------------
// Canonical order and structural equality.

function comparePrimitives(a: Primitive, b: Primitive): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLanes(a1: number, b1: number, a2: number, b2: number): number {
  if (a1 !== a2) return a1 >>> 0 < a2 >>> 0 ? -1 : 1;
  if (b1 !== b2) return b1 >>> 0 < b2 >>> 0 ? -1 : 1;
  return 0;
}

/** The canonical total order on values (see the file comment). */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  const primitiveA = typeof a !== "object";
  const primitiveB = typeof b !== "object";
  if (primitiveA !== primitiveB) return primitiveA ? -1 : 1;
  const ra = rankOf(a);
  const rb = rankOf(b);
  if (primitiveA) return ra !== rb ? ra - rb : comparePrimitives(a as Primitive, b as Primitive);
  hashOrThrow(a, "value");
  const a1 = laneA;
  const b1 = laneB;
  hashOrThrow(b, "value");
  return compareLanes(a1, b1, laneA, laneB) || ra - rb || compareStructurally(a, b, ra);
}

// Used only when two different structured values share a 64-bit fingerprint.
function compareStructurally(a: Value, b: Value, rank: number): number {
  switch (rank) {
    case ARR:
      return compareSequences(a as readonly Value[], b as readonly Value[]);
    case SET:
      return compareSequences((a as ISet).toArray(), (b as ISet).toArray());
    case MAP:
      return compareSequences(
        [...(a as IMap)].flatMap(([k, v]) => [k, v]),
        [...(b as IMap)].flatMap(([k, v]) => [k, v]),
      );
    default: {
      const ka = Object.keys(a).sort();
      const kb = Object.keys(b).sort();
      const byKeys = compareSequences(ka, kb);
      if (byKeys !== 0) return byKeys;
      const ra = a as ValueRecord;
      const rb = b as ValueRecord;
      for (const k of ka) {
        const c = compareValues(ra[k]!, rb[k]!);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

function compareSequences(a: readonly Value[], b: readonly Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Structural equality: records regardless of key order, sets and maps regardless of insertion order. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof ISet) return b instanceof ISet && a.equals(b);
  if (a instanceof IMap) return b instanceof IMap && a.equals(b);
  if (b instanceof ISet || b instanceof IMap) return false;
  const ra = a as ValueRecord;
  const rb = b as ValueRecord;
  let n = 0;
  for (const k in ra) {
    if (!Object.hasOwn(rb, k) || !valuesEqual(ra[k]!, rb[k]!)) return false;
    n++;
  }
  return n === Object.keys(rb).length;
}

// ---------------------------------------------------------------------------------------------
// Sorted storage shared by ISet (elements) and IMap (keys). Structured entries carry their
// fingerprint lanes in `lanes` (two numbers per entry) so that ordering them compares integers.

/** Fingerprint lanes of structured entries, two numbers per entry; undefined when every entry is a primitive. */
type Lanes = number[] | undefined;

// The probe registers: rank and fingerprint lanes of the value being looked up.
let probeRank = 0;
let probeA = 0;
let probeB = 0;

// Fingerprints of the last structured values probed, by identity (values are immutable). Models
// probe sets with a few constant records again and again (`msgs.has(commit)` in every guard), and
// a 16-entry identity scan is far cheaper than hashing a record.
const RECENT = 16;
const recentValues: (object | undefined)[] = new Array(RECENT).fill(undefined);
const recentA = new Int32Array(RECENT);
const recentB = new Int32Array(RECENT);
let recentNext = 0;

/** Fills the probe registers for `v`. */
function probe(v: Value, what: string): void {
  const rank = rankOf(v);
  probeRank = rank;
  if (rank < FIRST_STRUCTURED) {
    if (rank === NUM && !Number.isSafeInteger(v)) throw invalidValueError(v, what);
    return;
  }
  for (let i = 0; i < RECENT; i++) {
    if (recentValues[i] === v) {
      probeA = recentA[i]!;
      probeB = recentB[i]!;
      return;
    }
  }
  hashOrThrow(v, what);
  probeA = laneA;
  probeB = laneB;
  recentValues[recentNext] = v as object;
  recentA[recentNext] = laneA;
  recentB[recentNext] = laneB;
  recentNext = (recentNext + 1) & (RECENT - 1);
}

/** Up to this many elements, a structured value is looked for by identity before it is hashed. */
const IDENTITY_SCAN = 64;

/**
 * Index of `v` among sorted keys, or `-(insertion point) - 1` when absent. Key `i` is
 * `xs[i << shift]` (a set's elements are its array; a map's keys are spread among its values and
 * lanes), and a structured key's fingerprint lanes are `lanes[(i << laneShift) + laneAt]` and the
 * number after it.
 */
function locate(xs: readonly unknown[], shift: number, lanes: readonly unknown[] | undefined, laneShift: number, laneAt: number, v: Value): number {
  let lo = 0;
  let hi = (xs.length >> shift) - 1;
  if (typeof v === "number") {
    // Sets of ids and numbers: compared without ranks.
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = xs[mid << shift] as Value;
      const c = typeof x === "number" ? v - x : typeof x === "object" ? -1 : NUM - rankOf(x);
      if (c === 0) return mid;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -lo - 1;
  }
  if (typeof v !== "object") {
    const rank = rankOf(v);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = xs[mid << shift] as Value;
      const c = typeof x === "object" ? -1 : rank - rankOf(x) || comparePrimitives(v, x);
      if (c === 0) return mid;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -lo - 1;
  }
  // Collections are usually asked about the very objects they hold (an arrival names the key its
  // packet flies under): try identity before hashing. Scanning up to 64 rather than 16 took the
  // fifo simulation 2.6% fewer instructions a step, and the vsync check about 1% more.
  if (hi < IDENTITY_SCAN) for (let i = 0; i <= hi; i++) if (xs[i << shift] === v) return i;
  probe(v, "element");
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = xs[mid << shift] as Value;
    const at = (mid << laneShift) + laneAt;
    const c = typeof x !== "object" ? 1 : compareLanes(probeA, probeB, lanes![at] as number, lanes![at + 1] as number) || compareTied(v, x);
    if (c === 0) return mid;
    if (c < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return -lo - 1;
}

/** Orders two structured values whose fingerprints are equal: almost always the same value. */
function compareTied(a: Value, b: Value): number {
  // Equality first, since it is the usual answer: it allocates nothing, where ordering records sorts their keys.
  if (valuesEqual(a, b)) return 0;
  const ra = rankOf(a);
  return ra - rankOf(b) || compareStructurally(a, b, ra);
}

/** Checks a value about to be stored as an element or key (structured ones are checked when hashed). */
function checkEntry(v: Value, what: string): void {
  if (typeof v === "object") {
    if (v === null || (!Array.isArray(v) && !(v instanceof HashedCollection) && rankOf(v) === REC && !isPlainRecord(v))) throw invalidValueError(v, what);
    hashOrThrow(v, what);
  } else if (typeof v === "number" ? !Number.isSafeInteger(v) : typeof v !== "string" && typeof v !== "boolean" && typeof v !== "bigint") {
    throw invalidValueError(v, what);
  }
}

/** Checks a value about to be stored as a map's value: as `checkEntry` does, without hashing it (a map orders by its keys). */
function checkMapValue(v: Value): void {
  if (typeof v !== "object") return checkEntry(v, "map value");
  if (!isHashable(v)) throw invalidValueError(v, "map value");
}

function isPlainRecord(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function withInserted<T>(xs: readonly T[], at: number, x: T): T[] {
  const n = xs.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < at; i++) out[i] = xs[i]!;
  out[at] = x;
  for (let i = at; i < n; i++) out[i + 1] = xs[i]!;
  return out;
}

function withRemoved<T>(xs: readonly T[], at: number): T[] {
  const n = xs.length - 1;
  const out = new Array<T>(n);
  for (let i = 0; i < at; i++) out[i] = xs[i]!;
  for (let i = at; i < n; i++) out[i] = xs[i + 1]!;
  return out;
}

function withReplaced<T>(xs: readonly T[], at: number, x: T): T[] {
  const out = xs.slice();
  out[at] = x;
  return out;
}

/** Lanes after inserting an entry at `at` (of `size` before); lanes appear with the first structured entry. */
function lanesWithInserted(lanes: Lanes, size: number, at: number, structured: boolean): Lanes {
  if (!lanes && !structured) return undefined;
  const out = new Array<number>(2 * (size + 1));
  for (let i = 0; i < 2 * at; i++) out[i] = lanes ? lanes[i]! : 0;
  out[2 * at] = structured ? probeA : 0;
  out[2 * at + 1] = structured ? probeB : 0;
  for (let i = 2 * at; i < 2 * size; i++) out[i + 2] = lanes ? lanes[i]! : 0;
  return out;
}

function lanesWithRemoved(lanes: Lanes, at: number): Lanes {
  if (!lanes) return undefined;
  // Sized up front, like the other copies here: an array grown by push keeps spare capacity,
  // which every map built this way would carry for as long as a state holds it.
  const out = new Array<number>(lanes.length - 2);
  for (let i = 0; i < 2 * at; i++) out[i] = lanes[i]!;
  for (let i = 2 * at + 2; i < lanes.length; i++) out[i - 2] = lanes[i]!;
  return out;
}

/** Sorts and de-duplicates entries given as parallel arrays; returns the permutation of survivors. */
function canonicalOrder(keys: readonly Value[], what: string): { order: number[]; lanes: Lanes } {
  const probes = keys.map((k): [number, number, number] => {
    checkEntry(k, what);
    probe(k, what);
    return [probeRank, probeA, probeB];
  });
  const order = keys.map((_, i) => i);
  order.sort((i, j) => {
    const [ri, ai, bi] = probes[i]!;
    const [rj, aj, bj] = probes[j]!;
    const primitiveI = ri < FIRST_STRUCTURED;
    if (primitiveI !== rj < FIRST_STRUCTURED) return primitiveI ? -1 : 1;
    if (primitiveI) return ri - rj || comparePrimitives(keys[i] as Primitive, keys[j] as Primitive);
    return compareLanes(ai, bi, aj, bj) || compareTied(keys[i]!, keys[j]!);
  });
  const kept: number[] = [];
  const lanes: number[] = [];
  for (const i of order) {
    const last = kept[kept.length - 1];
    if (last !== undefined && valuesEqual(keys[last]!, keys[i]!)) continue;
    kept.push(i);
    lanes.push(probes[i]![1], probes[i]![2]);
  }
  const structured = kept.some((i) => probes[i]![0] >= FIRST_STRUCTURED);
  return { order: kept, lanes: structured ? lanes : undefined };
}

// ---------------------------------------------------------------------------------------------

/**
 * An immutable set of values in canonical order. Membership is structural: two records with the
 * same fields are the same element. Every operation returns a new set (or this one, unchanged).
 */
export class ISet<T extends Value = Value> extends HashedCollection implements Iterable<T> {
  private hashA = 0;
  private hashB = 0;
  private hashed = false;
  // The last structured value looked up, and the answer: guards often ask one set the same
  // question once per process (`msgs.has(commit)` in every RM's guard).
  private asked: unknown = undefined;
  private answer = false;

  private constructor(
    private readonly items: readonly T[],
    private readonly lanes: Lanes,
  ) {
    super();
  }

  private static readonly EMPTY = new ISet<never>([], undefined);

  static empty<T extends Value>(): ISet<T> {
    return ISet.EMPTY;
  }

  static of<T extends Value>(...elements: T[]): ISet<Widen<T>> {
    return ISet.from(elements as Widen<T>[]);
  }

  static from<T extends Value>(elements: Iterable<T>): ISet<T> {
    const xs = [...elements];
    if (xs.length === 0) return ISet.EMPTY;
    const { order, lanes } = canonicalOrder(xs, "set element");
    return new ISet(
      order.map((i) => xs[i]!),
      lanes,
    );
  }

  get size(): number {
    return this.items.length;
  }

  has(v: T): boolean {
    if (typeof v !== "object") return locate(this.items, 0, this.lanes, 1, 0, v) >= 0;
    if (v === this.asked) return this.answer;
    const answer = locate(this.items, 0, this.lanes, 1, 0, v) >= 0;
    this.asked = v;
    this.answer = answer;
    return answer;
  }

  add(v: T): ISet<T> {
    const at = locate(this.items, 0, this.lanes, 1, 0, v);
    if (at >= 0) return this;
    // A structured element was hashed (so checked) by the lookup; a primitive is checked here.
    if (typeof v !== "object") checkEntry(v, "set element");
    const ins = -at - 1;
    return new ISet(withInserted(this.items, ins, v), lanesWithInserted(this.lanes, this.items.length, ins, typeof v === "object"));
  }

  delete(v: T): ISet<T> {
    const at = locate(this.items, 0, this.lanes, 1, 0, v);
    if (at < 0) return this;
    if (this.items.length === 1) return ISet.EMPTY;
    return new ISet(withRemoved(this.items, at), lanesWithRemoved(this.lanes, at));
  }

  union(other: Iterable<T>): ISet<T> {
    let s: ISet<T> = this;
    for (const x of other) s = s.add(x);
    return s;
  }

  intersection(other: ISet<T>): ISet<T> {
    return this.filter((x) => other.has(x));
  }

  difference(other: ISet<T>): ISet<T> {
    return this.filter((x) => !other.has(x));
  }

  isSubsetOf(other: ISet<T>): boolean {
    return this.every((x) => other.has(x));
  }

  filter(keep: (x: T) => boolean): ISet<T> {
    const items: T[] = [];
    const lanes: number[] = [];
    this.items.forEach((x, i) => {
      if (!keep(x)) return;
      items.push(x);
      if (this.lanes) lanes.push(this.lanes[2 * i]!, this.lanes[2 * i + 1]!);
    });
    if (items.length === this.items.length) return this;
    return items.length === 0 ? ISet.EMPTY : new ISet(items, this.lanes && items.some((x) => typeof x === "object") ? lanes : undefined);
  }

  map<U extends Value>(f: (x: T) => U): ISet<U> {
    return ISet.from(this.items.map(f));
  }

  /** The element at position `i` of the set's canonical order. */
  at(i: number): T | undefined {
    return this.items[i];
  }

  /** The position of `v` in the set's canonical order, or -1 when it is not an element. */
  indexOf(v: T): number {
    const at = locate(this.items, 0, this.lanes, 1, 0, v);
    return at < 0 ? -1 : at;
  }

  /** The set of the elements at positions `positions` (ascending, as `indexOf` gives them): a subset, in canonical order already. */
  pick(positions: readonly number[]): ISet<T> {
    if (positions.length === this.items.length) return this;
    const items = new Array<T>(positions.length);
    const lanes = this.lanes && new Array<number>(2 * positions.length);
    for (let i = 0; i < positions.length; i++) {
      const at = positions[i]!;
      if (!(at >= 0 && at < this.items.length && (i === 0 || at > positions[i - 1]!))) throw new RangeError(`pick: positions must ascend within 0..${this.items.length - 1}`);
      items[i] = this.items[at]!;
      if (lanes) {
        lanes[2 * i] = this.lanes![2 * at]!;
        lanes[2 * i + 1] = this.lanes![2 * at + 1]!;
      }
    }
    return items.length === 0 ? ISet.EMPTY : new ISet(items, lanes && items.some((x) => typeof x === "object") ? lanes : undefined);
  }

  some(test: (x: T) => boolean): boolean {
    return this.items.some(test);
  }

  every(test: (x: T) => boolean): boolean {
    return this.items.every(test);
  }

  /** The smallest element in canonical order (for primitives: the least), or undefined. */
  first(): T | undefined {
    return this.items[0];
  }

  toArray(): T[] {
    return this.items.slice();
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  equals(other: ISet<T>): boolean {
    if (this === other) return true;
    if (this.items.length !== other.items.length) return false;
    for (let i = 0; i < this.items.length; i++) if (!valuesEqual(this.items[i]!, other.items[i]!)) return false;
    return true;
  }

  /** @internal Sets the hash lanes to this set's fingerprint (computed once). */
  hashLanes(): void {
    if (!this.hashed) {
      let a = setStartA(this.items.length);
      let b = setStartB(this.items.length);
      for (let i = 0; i < this.items.length; i++) {
        const x = this.items[i]!;
        if (typeof x === "object") setLanes(this.lanes![2 * i]!, this.lanes![2 * i + 1]!);
        else hashValue(x);
        a = foldA(a, laneA);
        b = foldB(b, laneB);
      }
      this.hashA = setEndA(a);
      this.hashB = setEndB(b);
      this.hashed = true;
    }
    setLanes(this.hashA, this.hashB);
  }
}

/**
 * An immutable map from values to values, keys in canonical order. Keys compare structurally.
 * Iteration yields `[key, value]` pairs in key order.
 *
 * The entries are one array, key and value after each other, and, once a key is structured, the
 * key's fingerprint lanes after its value (four slots an entry): a map is two objects, not four
 * (a search keeps one per state it holds, for as long as it holds it).
 */
export class IMap<K extends Value = Value, V extends Value = Value> extends HashedCollection implements Iterable<[K, V]> {
  private hashA = 0;
  private hashB = 0;
  private hashed = false;
  // A value derived from this map (see `derived`), and the function that derived it.
  private derivedBy: unknown = undefined;
  private derivedValue: unknown = undefined;

  private constructor(
    /** Key, value (and lanes, in a wide map) of each entry in key order. */
    private readonly es: readonly unknown[],
    /** log2 of the slots an entry takes: 1 (key, value), or 2 (key, value, lanes) once a key is structured. */
    private readonly shift: 1 | 2,
  ) {
    super();
  }

  private static readonly EMPTY = new IMap<never, never>([], 1);

  static empty<K extends Value, V extends Value>(): IMap<K, V> {
    return IMap.EMPTY;
  }

  static of<K extends Value, V extends Value>(...entries: [K, V][]): IMap<Widen<K>, Widen<V>> {
    return IMap.from(entries as [Widen<K>, Widen<V>][]);
  }

  /** Builds a map from entries; a later entry for an equal key replaces an earlier one. */
  static from<K extends Value, V extends Value>(entries: Iterable<readonly [K, V]>): IMap<K, V> {
    const es = [...entries].reverse();
    if (es.length === 0) return IMap.EMPTY;
    es.forEach(([, v]) => checkMapValue(v));
    const { order, lanes } = canonicalOrder(
      es.map(([k]) => k),
      "map key",
    );
    const shift = lanes ? 2 : 1;
    const out = new Array<unknown>(order.length << shift);
    order.forEach((i, at) => {
      out[at << shift] = es[i]![0];
      out[(at << shift) + 1] = es[i]![1];
      if (lanes) {
        out[(at << shift) + 2] = lanes[2 * at];
        out[(at << shift) + 3] = lanes[2 * at + 1];
      }
    });
    return new IMap(out, shift);
  }

  get size(): number {
    return this.es.length >> this.shift;
  }

  private indexOf(k: K): number {
    return locate(this.es, this.shift, this.es, 2, 2, k);
  }

  get(k: K): V | undefined {
    const at = this.indexOf(k);
    return at >= 0 ? (this.es[(at << this.shift) + 1] as V) : undefined;
  }

  has(k: K): boolean {
    return this.indexOf(k) >= 0;
  }

  set(k: K, v: V): IMap<K, V> {
    const at = this.indexOf(k);
    const { es, shift } = this;
    if (at >= 0 && es[(at << shift) + 1] === v) return this;
    checkMapValue(v);
    if (at >= 0) {
      const out = es.slice();
      out[(at << shift) + 1] = v;
      return new IMap(out, shift);
    }
    if (typeof k !== "object") checkEntry(k, "map key");
    // A structured key was hashed by the lookup: its lanes are in the probe registers.
    const wide = shift === 2 || typeof k === "object" ? 2 : 1;
    const ins = -at - 1;
    const n = es.length >> shift;
    const out = new Array<unknown>((n + 1) << wide);
    for (let i = 0; i < n; i++) copyEntry(es, shift, i, out, wide, i < ins ? i : i + 1);
    out[ins << wide] = k;
    out[(ins << wide) + 1] = v;
    if (wide === 2) {
      out[(ins << wide) + 2] = typeof k === "object" ? probeA : 0;
      out[(ins << wide) + 3] = typeof k === "object" ? probeB : 0;
    }
    return new IMap(out, wide);
  }

  delete(k: K): IMap<K, V> {
    const at = this.indexOf(k);
    if (at < 0) return this;
    const { es, shift } = this;
    const n = (es.length >> shift) - 1;
    if (n === 0) return IMap.EMPTY;
    // Sized up front, like every copy here: an array grown by push keeps spare capacity, which
    // every map built this way would carry for as long as a state holds it.
    const out = new Array<unknown>(n << shift);
    for (let i = 0; i < n; i++) copyEntry(es, shift, i < at ? i : i + 1, out, shift, i);
    return new IMap(out, shift);
  }

  /** Replaces the value at `k` by `f(current)`; `current` is undefined when `k` is absent. */
  update(k: K, f: (current: V | undefined) => V): IMap<K, V> {
    return this.set(k, f(this.get(k)));
  }

  keys(): K[] {
    const out = new Array<K>(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.es[i << this.shift] as K;
    return out;
  }

  values(): V[] {
    const out = new Array<V>(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.es[(i << this.shift) + 1] as V;
    return out;
  }

  /** The `i`-th key in key order (no copy of the keys). */
  keyAt(i: number): K | undefined {
    return i >= 0 && i < this.size ? (this.es[i << this.shift] as K) : undefined;
  }

  /** The `i`-th value in key order. */
  valueAt(i: number): V | undefined {
    return i >= 0 && i < this.size ? (this.es[(i << this.shift) + 1] as V) : undefined;
  }

  /**
   * `derive(this)`, computed once and remembered on the map (it is immutable): what a model reads
   * off a map at every step, such as the actions its entries enable. One derivation is kept at a
   * time; another `derive` function replaces it.
   */
  derived<T>(derive: (m: this) => T): T {
    if (this.derivedBy !== derive) {
      this.derivedValue = derive(this);
      this.derivedBy = derive;
    }
    return this.derivedValue as T;
  }

  *[Symbol.iterator](): Iterator<[K, V]> {
    for (let i = 0; i < this.size; i++) yield [this.es[i << this.shift] as K, this.es[(i << this.shift) + 1] as V];
  }

  equals(other: IMap<K, V>): boolean {
    if (this === other) return true;
    const n = this.size;
    if (n !== other.size) return false;
    for (let i = 0; i < n; i++) {
      if (!valuesEqual(this.es[i << this.shift] as Value, other.es[i << other.shift] as Value)) return false;
      if (!valuesEqual(this.es[(i << this.shift) + 1] as Value, other.es[(i << other.shift) + 1] as Value)) return false;
    }
    return true;
  }

  /** @internal Sets the hash lanes to this map's fingerprint (computed once). */
  hashLanes(): void {
    if (!this.hashed) {
      const { es, shift } = this;
      const n = es.length >> shift;
      let a = mapStartA(n);
      let b = mapStartB(n);
      for (let i = 0; i < n; i++) {
        const at = i << shift;
        const k = es[at];
        if (typeof k === "object") setLanes(es[at + 2] as number, es[at + 3] as number);
        else hashValue(k);
        a = foldA(a, laneA);
        b = foldB(b, laneB);
        hashValue(es[at + 1]);
        a = foldA(a, laneA);
        b = foldB(b, laneB);
      }
      this.hashA = mapEndA(a);
      this.hashB = mapEndB(b);
      this.hashed = true;
    }
    setLanes(this.hashA, this.hashB);
  }
}

/** Copies entry `from` of `es` (`1 << shift` slots an entry) to entry `to` of `out` (`1 << outShift` slots); a narrow entry's key is a primitive, whose lanes are 0. */
function copyEntry(es: readonly unknown[], shift: number, from: number, out: unknown[], outShift: number, to: number): void {
  const i = from << shift;
  const j = to << outShift;
  out[j] = es[i];
  out[j + 1] = es[i + 1];
  if (outShift === 2) {
    out[j + 2] = shift === 2 ? es[i + 2] : 0;
    out[j + 3] = shift === 2 ? es[i + 3] : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation with paths. Hashing rejects non-values cheaply; this walk finds where and why.

/** Throws a ValueError naming the path and the problem if `v` is not a value. */
export function checkValue(v: unknown, path = "value"): asserts v is Value {
  const problem = findProblem(v, path, []);
  if (problem) throw new ValueError(problem.path, problem.problem);
}

/** True if `v` is a value (does not throw). */
export function isValue(v: unknown): v is Value {
  return findProblem(v, "value", []) === undefined;
}

function invalidValueError(v: unknown, what: string): ValueError {
  const problem = findProblem(v, what, []);
  return problem ? new ValueError(problem.path, problem.problem) : new ValueError(what, "is nested too deeply");
}

type Problem = { path: string; problem: string };

export function propertyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function findProblem(v: unknown, path: string, ancestors: { value: object; path: string }[]): Problem | undefined {
  switch (typeof v) {
    case "boolean":
    case "bigint":
    case "string":
      return undefined;
    case "number":
      return numberProblem(v, path);
    case "undefined":
      return { path, problem: "is undefined (a record field must hold a value or be left out)" };
    case "function":
      return { path, problem: "is a function; states and actions hold data only" };
    case "symbol":
      return { path, problem: "is a symbol; states and actions hold data only" };
  }
  if (v === null) return { path, problem: "is null; values have no null (use a tagged variant or an empty ISet)" };
  const obj = v as object;
  const ancestor = ancestors.find((a) => a.value === obj);
  if (ancestor) return { path, problem: `refers back to ${ancestor.path}: values cannot contain cycles` };
  if (ancestors.length > MAX_DEPTH) return { path, problem: "is nested too deeply" };
  const inner = [...ancestors, { value: obj, path }];
  if (Array.isArray(obj)) return arrayProblem(obj, path, inner);
  if (obj instanceof ISet) return firstProblem(obj.toArray(), (x, i) => findProblem(x, `${path}.elements[${i}]`, inner));
  if (obj instanceof IMap) {
    return firstProblem([...obj], ([k, x], i) => findProblem(k, `${path}.keys[${i}]`, inner) ?? findProblem(x, `${path}.values[${i}]`, inner));
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return { path, problem: classProblem(obj) };
  for (const key of Object.keys(obj)) {
    if (key.startsWith("#")) return { path: propertyPath(path, key), problem: "has a name starting with '#', which ITF reserves" };
    const p = findProblem((obj as Record<string, unknown>)[key], propertyPath(path, key), inner);
    if (p) return p;
  }
  return undefined;
}

function numberProblem(n: number, path: string): Problem | undefined {
  if (Number.isSafeInteger(n)) return undefined;
  if (Number.isNaN(n)) return { path, problem: "is NaN; values hold integers only" };
  if (!Number.isFinite(n)) return { path, problem: `is ${n}; values hold integers only` };
  if (!Number.isInteger(n)) return { path, problem: `is ${n}, not an integer; values hold integers only (as ITF does)` };
  return { path, problem: `is ${n}, beyond the safe integer range; use a bigint` };
}

function arrayProblem(xs: readonly unknown[], path: string, inner: { value: object; path: string }[]): Problem | undefined {
  for (let i = 0; i < xs.length; i++) {
    if (!(i in xs)) return { path: `${path}[${i}]`, problem: "is a hole in a sparse array" };
    const p = findProblem(xs[i], `${path}[${i}]`, inner);
    if (p) return p;
  }
  return undefined;
}

function classProblem(obj: object): string {
  if (obj instanceof Set) return "is a JavaScript Set; use ISet, which has a canonical order and is immutable";
  if (obj instanceof Map) return "is a JavaScript Map; use IMap, which has a canonical order and is immutable";
  const name = obj.constructor?.name ?? "an unknown class";
  return `is an instance of ${name}; values are plain records, arrays, ISet and IMap`;
}

function firstProblem<T>(xs: readonly T[], f: (x: T, i: number) => Problem | undefined): Problem | undefined {
  for (let i = 0; i < xs.length; i++) {
    const p = f(xs[i]!, i);
    if (p) return p;
  }
  return undefined;
}
