// Signatures as fingerprints, for symmetry reduction: the fingerprint of `v` as seen from each id of
// one id set, all ids in one walk of the value, nothing built.
//
// `Type.signature` builds the signature as a value (the id itself becomes 0, every other id of the
// set 1; a table indexed by the set becomes its element for the id and the sorted list of the
// others; sets and maps become sorted lists), which symmetry reduction then hashed: three walks of
// the state for three ids, a value built in each, lists sorted by structural comparison. Here the
// same signature is hashed directly: sorted lists become multisets, hashed by a commutative sum of
// their elements' finalized hashes, and a part of the state in which no id of the set occurs is
// fingerprinted once and counts the same for every id.
//
// What symmetry reduction needs of a signature is that renaming ids does not change it (the
// signature of id π(i) in π(s) is that of i in s); that holds here as for `Type.signature`, so
// the representatives are canonical and the orbit counts are the same.

import { finalizeA, finalizeB, foldA, foldB } from "../ioa/hash.ts";
import { typedFingerprinter, type IMap, type ISet, type Primitive, type Type } from "../ioa/index.ts";
import { fieldReader } from "../ioa/code-writer.ts";
import { rememberedFingerprint, typedFingerprintWeight } from "../ioa/typed-fingerprint.ts";

/** Writes the signature lanes of `v` for each id `i` of the set to `a[i]` and `b[i]`. */
type Signature = (v: unknown, a: Int32Array, b: Int32Array) => void;

const SELF_A = finalizeA(0x5e1f), SELF_B = finalizeB(0x5e1f);
const OTHER_A = finalizeA(0x07e4), OTHER_B = finalizeB(0x07e4);

/** Parts of the state at least this big (in typed-fingerprint words) have their signatures remembered… */
const REMEMBER_FROM = 3;
/** …down to this depth of records and tables (a process's stack is at 2, its layers' states at 4). */
const REMEMBER_DOWN_TO = 4;

/** The signature function of `type` for the id set `name` of `count` ids. */
export function signatureLanes(type: Type<unknown>, name: string, count: number): Signature {
  return compile(type, name, count, 0);
}

/**
 * `type`'s signature at `depth` below the state in records and tables (undefined inside other
 * collections and unions, whose elements are not remembered).
 */
function compile(type: Type<unknown>, name: string, count: number, depth?: number): Signature {
  if (!type.idSets.has(name)) return uniform(type, count);
  const signature = walk(type, name, count, depth);
  return worthRemembering(type, depth) ? remembered(signature, count) : signature;
}

/** Big parts of the state, not too deep (the state itself is new every time: only its parts are worth remembering). */
function worthRemembering(type: Type<unknown>, depth: number | undefined): boolean {
  return depth !== undefined && depth > 0 && depth <= REMEMBER_DOWN_TO && typedFingerprintWeight(type) >= REMEMBER_FROM;
}

/** How many recent objects each remembering part keeps (a few per process: successive states are siblings). */
const RECENT_PER_ID = 4;

/** How many objects each remembering part knows beyond its recent ones, before it forgets them all and starts again. */
const KNOWN_PER_PART = 1 << 13;

/**
 * A big part's signature, remembered by identity (values are immutable). First among the last few
 * objects seen there: successive states — the successors of one state — share the parts a step did
 * not change, a process's untouched layers and the other processes' stacks, so only what changed
 * is walked, and a scan of a few recent objects is far cheaper than a map lookup. Then among the
 * objects seen there before (up to KNOWN_PER_PART): the checker interns a state's parts, one object
 * per value (interned-parts.ts), so a part met again is the very object met before. (The fifo stack
 * with 3 processes has 597 values of a process's stack; the recent objects alone missed a third of
 * the time, and knowing the others takes its symmetric check 23% fewer instructions an orbit.)
 */
function remembered(signature: Signature, count: number): Signature {
  const width = 2 * count;
  const size = RECENT_PER_ID * count;
  const objects = new Array<unknown>(size).fill(undefined);
  const recentLanes = new Int32Array(width * size);
  // Each object known, and where its lanes are in one flat table (not ioa/recent.ts with a small
  // array an object: that allocation cost the 3-process check 9% more instructions).
  const known = new Map<object, number>();
  let knownLanes = new Int32Array(width * 64);
  let next = 0;
  const read = (from: Int32Array, at: number, a: Int32Array, b: Int32Array) => {
    for (let i = 0; i < count; i++) {
      a[i] = from[at + i]!;
      b[i] = from[at + count + i]!;
    }
  };
  const write = (to: Int32Array, at: number, a: Int32Array, b: Int32Array) => {
    for (let i = 0; i < count; i++) {
      to[at + i] = a[i]!;
      to[at + count + i] = b[i]!;
    }
  };
  /** The signature of an object not among the recent ones: known, or walked and then known. */
  const lookUp = (v: object, a: Int32Array, b: Int32Array) => {
    const at = known.get(v);
    if (at !== undefined) return read(knownLanes, at, a, b);
    signature(v, a, b);
    if (known.size === KNOWN_PER_PART) known.clear();
    const place = known.size * width;
    if (place === knownLanes.length) {
      const grown = new Int32Array(2 * knownLanes.length);
      grown.set(knownLanes);
      knownLanes = grown;
    }
    write(knownLanes, place, a, b);
    known.set(v, place);
  };
  return (v, a, b) => {
    // (An absent optional part is not an object, nor an empty slot's undefined.)
    if (typeof v !== "object" || v === null) return signature(v, a, b);
    for (let k = 0; k < size; k++) if (objects[k] === v) return read(recentLanes, width * k, a, b);
    lookUp(v, a, b);
    objects[next] = v;
    write(recentLanes, width * next, a, b);
    next = next + 1 === size ? 0 : next + 1;
  };
}

function walk(type: Type<unknown>, name: string, count: number, depth: number | undefined): Signature {
  const below = depth === undefined ? undefined : depth + 1;
  const layout = type.layout();
  switch (layout.kind) {
    case "ids":
      return (v, a, b) => {
        for (let i = 0; i < count; i++) {
          a[i] = v === i ? SELF_A : OTHER_A;
          b[i] = v === i ? SELF_B : OTHER_B;
        }
      };
    case "table":
      if (layout.index.name === name) return table(compile(layout.element, name, count, below), count);
      return sequence((v) => v as unknown[], compile(layout.element, name, count), count);
    case "array":
      return sequence((v) => v as unknown[], compile(layout.element, name, count), count);
    case "tuple":
      return fields(
        layout.elements.map((e, i) => fieldSig((v: unknown) => (v as unknown[])[i], false, e, name, count)),
        count,
      );
    case "record":
      return fields(
        layout.fields.map((f) => fieldSig(fieldReader(f.key), f.optional, f.type, name, count, below)),
        count,
      );
    case "union": {
      const members = layout.members.map((m) => compile(m, name, count));
      const tag = layout.tag;
      const which = tag
        ? (v: unknown) => tag.values.indexOf((v as Record<string, Primitive>)[tag.key]!)
        : (v: unknown) => layout.members.findIndex((m) => m.find(v) === undefined);
      return tagged(which, members, count);
    }
    case "set": {
      const element = elementSignature(layout.element, name, count);
      return multiset((v, each) => {
        const set = v as ISet;
        for (let j = 0; j < set.size; j++) each(set.at(j), element);
      }, count);
    }
    case "map": {
      const key = elementSignature(layout.key, name, count);
      const value = elementSignature(layout.value, name, count);
      return multiset((v, _each, pair) => {
        const m = v as IMap;
        for (let j = 0; j < m.size; j++) pair!(m.keyAt(j), key, m.valueAt(j), value);
      }, count);
    }
    default:
      return uniform(type, count);
  }
}

/**
 * The signature of the elements of a set or map (keys, values), remembered on each element object
 * that holds ids: the elements of a set live on from state to state (a packet in flight), while
 * the set is a new one at every change.
 */
function elementSignature(type: Type<unknown>, name: string, count: number): Signature {
  const signature = compile(type, name, count);
  const kind = type.layout().kind;
  if (!type.idSets.has(name) || kind === "ids") return signature;
  const memo = new WeakMap<object, Int32Array>();
  return (v, a, b) => {
    if (typeof v !== "object" || v === null) return signature(v, a, b);
    let lanes = memo.get(v);
    if (lanes === undefined) {
      signature(v, a, b);
      memo.set(v, (lanes = new Int32Array(2 * count)));
      lanes.set(a.subarray(0, count));
      lanes.set(b.subarray(0, count), count);
      return;
    }
    for (let i = 0; i < count; i++) {
      a[i] = lanes[i]!;
      b[i] = lanes[count + i]!;
    }
  };
}

/** No id of the set inside: the typed fingerprint, the same for every id. */
function uniform(type: Type<unknown>, count: number): Signature {
  const fingerprint = typedFingerprinter(type);
  const out = new Int32Array(2);
  return (v, a, b) => {
    fingerprint(v, out, 0);
    a.fill(out[0]!, 0, count);
    b.fill(out[1]!, 0, count);
  };
}

/** A list: its length, then its elements in order. */
function sequence(items: (v: unknown) => readonly unknown[], element: Signature, count: number): Signature {
  const ea = new Int32Array(count), eb = new Int32Array(count);
  return (v, a, b) => {
    const xs = items(v);
    for (let i = 0; i < count; i++) {
      a[i] = foldA(0x3c6ef372, xs.length);
      b[i] = foldB(0xa54ff53a | 0, xs.length);
    }
    for (const x of xs) {
      element(x, ea, eb);
      for (let i = 0; i < count; i++) {
        a[i] = foldA(foldA(a[i]!, ea[i]!), eb[i]!);
        b[i] = foldB(foldB(b[i]!, ea[i]!), eb[i]!);
      }
    }
    for (let i = 0; i < count; i++) {
      a[i] = finalizeA(a[i]!);
      b[i] = finalizeB(b[i]!);
    }
  };
}

interface FieldSig {
  readonly get: (v: unknown) => unknown;
  readonly optional: boolean;
  /** The field's signature, when ids of the set occur in it. */
  readonly sig: Signature | undefined;
  /** Else its typed fingerprint, the same for every id. */
  readonly uniform: ((v: unknown, out: Int32Array, at: number) => void) | undefined;
}

function fieldSig(get: (v: unknown) => unknown, optional: boolean, type: Type<unknown>, name: string, count: number, depth?: number): FieldSig {
  return type.idSets.has(name)
    ? { get, optional, sig: compile(type, name, count, depth), uniform: undefined }
    : { get, optional, sig: undefined, uniform: uniformLanes(type, count, depth) };
}

/** A part without ids of the set: its typed fingerprint, remembered like the signatures of big parts. */
function uniformLanes(type: Type<unknown>, count: number, depth: number | undefined): (v: unknown, out: Int32Array, at: number) => void {
  const fingerprint = typedFingerprinter(type) as (v: unknown, out: Int32Array, at: number) => void;
  return worthRemembering(type, depth) ? rememberedFingerprint(fingerprint, RECENT_PER_ID * count) : fingerprint;
}

/**
 * A record or tuple: the fields in which ids occur in declaration order (an absent optional field as
 * a word of its own), then the others, hashed once for all ids.
 */
function fields(list: readonly FieldSig[], count: number): Signature {
  const ea = new Int32Array(count), eb = new Int32Array(count);
  const lanes = new Int32Array(2);
  const withIds = list.filter((f) => f.sig !== undefined);
  const without = list.filter((f) => f.sig === undefined);
  return (v, a, b) => {
    for (let i = 0; i < count; i++) {
      a[i] = 0x6c62272e;
      b[i] = 0x07bb0142;
    }
    for (let k = 0; k < withIds.length; k++) {
      const f = withIds[k]!;
      const x = f.get(v);
      if (f.optional && x === undefined) {
        for (let i = 0; i < count; i++) {
          a[i] = foldA(a[i]!, 0);
          b[i] = foldB(b[i]!, 0);
        }
        continue;
      }
      f.sig!(x, ea, eb);
      for (let i = 0; i < count; i++) {
        a[i] = foldA(foldA(a[i]!, ea[i]!), eb[i]!);
        b[i] = foldB(foldB(b[i]!, ea[i]!), eb[i]!);
      }
    }
    let ua = 0x3c6ef372, ub = 0x0f1bbcdc;
    for (let k = 0; k < without.length; k++) {
      const f = without[k]!;
      const x = f.get(v);
      if (f.optional && x === undefined) {
        ua = foldA(ua, 0);
        ub = foldB(ub, 0);
        continue;
      }
      f.uniform!(x, lanes, 0);
      ua = foldA(foldA(ua, lanes[0]!), lanes[1]!);
      ub = foldB(foldB(ub, lanes[0]!), lanes[1]!);
    }
    for (let i = 0; i < count; i++) {
      a[i] = finalizeA(foldA(foldA(a[i]!, ua), ub));
      b[i] = finalizeB(foldB(foldB(b[i]!, ua), ub));
    }
  };
}

/** A union: which member, then the member. */
function tagged(which: (v: unknown) => number, members: readonly Signature[], count: number): Signature {
  return (v, a, b) => {
    const m = which(v);
    members[m]!(v, a, b);
    for (let i = 0; i < count; i++) {
      a[i] = finalizeA(foldA(a[i]!, m));
      b[i] = finalizeB(foldB(b[i]!, m));
    }
  };
}

type Each = (x: unknown, sig: Signature) => void;
type Pair = (k: unknown, key: Signature, x: unknown, value: Signature) => void;

/** A set or map, by the multiset of its elements' (or entries') signatures: a sum of their hashes. */
function multiset(walk: (v: unknown, each: Each, pair?: Pair) => void, count: number): Signature {
  const ea = new Int32Array(count), eb = new Int32Array(count);
  const ka = new Int32Array(count), kb = new Int32Array(count);
  const sa = new Int32Array(count), sb = new Int32Array(count);
  let n = 0;
  const each: Each = (x, sig) => {
    n++;
    sig(x, ea, eb);
    for (let i = 0; i < count; i++) {
      sa[i] = (sa[i]! + finalizeA(ea[i]! ^ Math.imul(eb[i]!, 0x27d4eb2d))) | 0;
      sb[i] = (sb[i]! + finalizeB((eb[i]! + Math.imul(ea[i]!, 0x165667b1)) | 0)) | 0;
    }
  };
  const pair: Pair = (k, key, x, value) => {
    n++;
    key(k, ka, kb);
    value(x, ea, eb);
    for (let i = 0; i < count; i++) {
      sa[i] = (sa[i]! + finalizeA(foldA(foldA(foldA(ka[i]!, kb[i]!), ea[i]!), eb[i]!))) | 0;
      sb[i] = (sb[i]! + finalizeB(foldB(foldB(foldB(kb[i]!, ka[i]!), ea[i]!), eb[i]!))) | 0;
    }
  };
  return (v, a, b) => {
    sa.fill(0);
    sb.fill(0);
    n = 0;
    walk(v, each, pair);
    for (let i = 0; i < count; i++) {
      a[i] = finalizeA(foldA(sa[i]!, n));
      b[i] = finalizeB(foldB(sb[i]!, n));
    }
  };
}

/**
 * A table indexed by the set: for id i, its own element seen from i, then the multiset of the
 * others seen from i (the elements' signatures are remembered, see `remembered`).
 */
function table(element: Signature, count: number): Signature {
  const seen = Array.from({ length: count }, () => [new Int32Array(count), new Int32Array(count)] as const);
  return (v, a, b) => {
    const xs = v as readonly unknown[];
    for (let j = 0; j < count; j++) element(xs[j], seen[j]![0], seen[j]![1]);
    for (let i = 0; i < count; i++) {
      let sa = 0, sb = 0;
      for (let j = 0; j < count; j++) {
        if (j === i) continue;
        const xa = seen[j]![0][i]!, xb = seen[j]![1][i]!;
        sa = (sa + finalizeA(xa ^ Math.imul(xb, 0x27d4eb2d))) | 0;
        sb = (sb + finalizeB((xb + Math.imul(xa, 0x165667b1)) | 0)) | 0;
      }
      const own = seen[i]!;
      a[i] = finalizeA(foldA(foldA(foldA(0x1f123bb5, own[0][i]!), own[1][i]!), sa));
      b[i] = finalizeB(foldB(foldB(foldB(0x5be0cd19, own[0][i]!), own[1][i]!), sb));
    }
  };
}
