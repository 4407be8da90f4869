// The generic fingerprint (hash.ts) of a value with the ids of one id set renamed, without
// building the renamed value: what renaming a set or a map for symmetry reduction would cost
// (every element rebuilt, rehashed and sorted again) is replaced by hashing each element renamed
// — remembered per element object and permutation, since the elements of a set live on from state
// to state — and sorting the few hashes into the renamed set's canonical order.
//
// An id is hashed as its new name, a record as the sum of its fields' terms, a list in order (a
// table indexed by the set in its renamed order), a set or map as its renamed elements in
// canonical order: primitives first, by kind and value, then structured elements by fingerprint.

import { fieldReader } from "./code-writer.ts";
import {
  fieldTermA,
  fieldTermB,
  foldA,
  foldB,
  hashKey,
  hashNumber,
  hashValue,
  laneA,
  laneB,
  listEndA,
  listEndB,
  listStartA,
  listStartB,
  mapEndA,
  mapEndB,
  mapStartA,
  mapStartB,
  NOT_A_VALUE,
  recordEndA,
  recordEndB,
  setEndA,
  setEndB,
  setLanes,
  setStartA,
  setStartB,
} from "./hash.ts";
import type { Type } from "./types.ts";
import { compareValues, IMap, ISet, type Primitive } from "./value.ts";

/** Sets the hash lanes to the fingerprint of `v` renamed by `newId` (its inverse: `inverse`); answers the renamed value when it is a primitive. */
export type RenamedHash = (v: unknown, newId: readonly number[], inverse: readonly number[]) => Primitive | undefined;

const compiled = new WeakMap<Type<unknown>, Map<string, RenamedHash>>();

/**
 * The renamed hash of values of `type`, renaming the ids of the set `name` (made once per type and
 * set). `newId` arrays are remembered by identity: pass one array per permutation, never changed.
 */
export function renamedHasher(type: Type<unknown>, name: string): RenamedHash {
  let bySet = compiled.get(type);
  if (bySet === undefined) compiled.set(type, (bySet = new Map()));
  let hash = bySet.get(name);
  if (hash === undefined) {
    // Registered before it is built, so that a recursive type finds it.
    let built: RenamedHash | undefined;
    bySet.set(name, (v, newId, inverse) => built!(v, newId, inverse));
    built = build(type, name);
    bySet.set(name, (hash = built));
  }
  return hash;
}

function build(type: Type<unknown>, name: string): RenamedHash {
  if (!type.idSets.has(name)) return unrenamed;
  const layout = type.layout();
  switch (layout.kind) {
    case "ids":
      return (v, newId) => {
        const renamed = typeof v === "number" ? newId[v] : undefined;
        if (renamed === undefined) throw NOT_A_VALUE;
        hashNumber(renamed);
        return renamed;
      };
    case "array":
    case "table":
    case "tuple": {
      const elements = layout.kind === "tuple" ? layout.elements.map((e) => renamedHasher(e, name)) : undefined;
      const element = layout.kind === "tuple" ? undefined : renamedHasher(layout.element, name);
      const moved = layout.kind === "table" && layout.index.name === name;
      return (v, newId, inverse) => {
        if (!Array.isArray(v) || (moved && v.length !== inverse.length)) throw NOT_A_VALUE;
        let a = listStartA(v.length);
        let b = listStartB(v.length);
        for (let i = 0; i < v.length; i++) {
          // Renamed, position i of a table holds the element of the id renamed to i.
          (elements ? elements[i]! : element!)(v[moved ? inverse[i]! : i], newId, inverse);
          a = foldA(a, laneA);
          b = foldB(b, laneB);
        }
        setLanes(listEndA(a), listEndB(b));
        return undefined;
      };
    }
    case "record": {
      const fields = layout.fields.map((f) => {
        hashKey(f.key);
        return { read: fieldReader(f.key), keyA: laneA, keyB: laneB, hash: renamedHasher(f.type, name) };
      });
      return (v, newId, inverse) => {
        if (typeof v !== "object" || v === null) throw NOT_A_VALUE;
        const record = v as Record<string, unknown>;
        let a = 0;
        let b = 0;
        let n = 0;
        for (const f of fields) {
          const x = f.read(record);
          if (x === undefined) continue;
          f.hash(x, newId, inverse);
          a = (a + fieldTermA(f.keyA, laneA)) | 0;
          b = (b + fieldTermB(f.keyB, laneB)) | 0;
          n++;
        }
        setLanes(recordEndA(a, n), recordEndB(b, n));
        return undefined;
      };
    }
    case "union": {
      const members = layout.members.map((m) => renamedHasher(m, name));
      const tag = layout.tag;
      const which = tag
        ? (v: unknown) => (typeof v === "object" && v !== null ? tag.values.indexOf((v as Record<string, Primitive>)[tag.key]!) : -1)
        : (v: unknown) => layout.members.findIndex((m) => m.find(v) === undefined);
      return (v, newId, inverse) => {
        const m = which(v);
        if (m < 0) throw NOT_A_VALUE;
        return members[m]!(v, newId, inverse);
      };
    }
    case "set": {
      const element = elementHasher(layout.element, name);
      return (v, newId, inverse) => {
        if (!(v instanceof ISet)) throw NOT_A_VALUE;
        const entries = new Array<Entry>(v.size);
        for (let i = 0; i < v.size; i++) {
          const primitive = element(v.at(i), newId, inverse);
          entries[i] = { primitive, a: laneA, b: laneB, va: 0, vb: 0 };
        }
        sortCanonically(entries);
        let a = setStartA(entries.length);
        let b = setStartB(entries.length);
        for (let i = 0; i < entries.length; i++) {
          a = foldA(a, entries[i]!.a);
          b = foldB(b, entries[i]!.b);
        }
        setLanes(setEndA(a), setEndB(b));
        return undefined;
      };
    }
    case "map": {
      const key = elementHasher(layout.key, name);
      const value = elementHasher(layout.value, name);
      return (v, newId, inverse) => {
        if (!(v instanceof IMap)) throw NOT_A_VALUE;
        const entries = new Array<Entry>(v.size);
        for (let i = 0; i < v.size; i++) {
          const primitive = key(v.keyAt(i), newId, inverse);
          const a = laneA;
          const b = laneB;
          value(v.valueAt(i), newId, inverse);
          entries[i] = { primitive, a, b, va: laneA, vb: laneB };
        }
        sortCanonically(entries);
        let a = mapStartA(entries.length);
        let b = mapStartB(entries.length);
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          a = foldA(foldA(a, e.a), e.va);
          b = foldB(foldB(b, e.b), e.vb);
        }
        setLanes(mapEndA(a), mapEndB(b));
        return undefined;
      };
    }
    default:
      return unrenamed;
  }
}

/** A value with no id of the set: its own fingerprint. */
const unrenamed: RenamedHash = (v) => {
  hashValue(v);
  return typeof v === "object" ? undefined : (v as Primitive);
};

/** An element of a set (or an entry of a map) renamed: its lanes (and its value's), and its renamed value when it is a primitive (which orders it). */
interface Entry {
  readonly primitive: Primitive | undefined;
  readonly a: number;
  readonly b: number;
  readonly va: number;
  readonly vb: number;
}

/** Sorts renamed elements into canonical order (by insertion: sets in states are small). */
function sortCanonically(entries: Entry[]): void {
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    let j = i - 1;
    for (; j >= 0 && canonically(entries[j]!, e) > 0; j--) entries[j + 1] = entries[j]!;
    entries[j + 1] = e;
  }
}

/** The canonical order of values (value.ts), on renamed elements: primitives first by kind and value, then structured ones by fingerprint. */
function canonically(x: Entry, y: Entry): number {
  if (x.primitive !== undefined || y.primitive !== undefined) {
    if (x.primitive === undefined) return 1;
    if (y.primitive === undefined) return -1;
    return compareValues(x.primitive, y.primitive);
  }
  if (x.a !== y.a) return x.a >>> 0 < y.a >>> 0 ? -1 : 1;
  if (x.b !== y.b) return x.b >>> 0 < y.b >>> 0 ? -1 : 1;
  return 0;
}

/** Permutations an element remembers its renamed hash for (a few: successive states are renamed alike). */
const REMEMBERED_PERMUTATIONS = 4;

/**
 * The renamed hash of the elements (keys, values) of sets and maps: for structured ones in which
 * ids occur, remembered on the element object (values are immutable, and the elements of a set
 * live on from state to state) for its last few permutations.
 */
function elementHasher(type: Type<unknown>, name: string): RenamedHash {
  const hash = renamedHasher(type, name);
  if (hash === unrenamed) return hash;
  const memo = new WeakMap<object, (readonly number[] | number)[]>();
  return (v, newId, inverse) => {
    if (typeof v !== "object" || v === null) return hash(v, newId, inverse);
    let known = memo.get(v);
    if (known !== undefined) {
      for (let k = 0; k < known.length; k += 3) {
        if (known[k] === newId) {
          setLanes(known[k + 1] as number, known[k + 2] as number);
          return undefined;
        }
      }
    } else memo.set(v, (known = []));
    hash(v, newId, inverse);
    if (known.length >= 3 * REMEMBERED_PERMUTATIONS) known.splice(0, 3);
    known.push(newId, laneA, laneB);
    return undefined;
  };
}
