// Interned parts: each component of a state kept once per value (hash-consing; Spin's COLLAPSE
// compression keeps each process's state once and a global state as their indices, to the same end).
//
// A layered model's state is a record of components — a table of process stacks, a table of
// applications, the network — and its search reaches few values of each: the fifo stack with 3
// processes × 1 cast × 1 drop has 366,310 states but 597 values of a process's stack, 12 of an
// application and 2,642 of the network. Steps build those values anew again and again (70,000 to
// 80,000 stack objects a process, 240,000 network objects), and everything remembered by object
// identity — a stack's run for an input it took in that very state, the enabled actions of a
// replica, the network's actions for a packet in flight — misses on each copy.
//
// So every part of a new state (a record field; each element of a table of big elements) is looked
// up by its fingerprint among the values seen before and replaced by the first object that had
// that value (interned-values.ts): each part is then one object for all states that hold its
// value, its id a small integer (one numbering per type of part), and the state's key a
// fingerprint of its parts' ids. A part that is the very object of the same part of the state it
// came from takes that part's id without a lookup (the ids are what the frontier keeps beside a
// state, as the lanes of other keys). Parts are told
// apart by 64-bit fingerprints, as states are in the visited set.

import { finalizeA, finalizeB, foldA, foldB } from "../ioa/hash.ts";
import { ValueError } from "../ioa/errors.ts";
import { IncrementalFingerprint } from "../ioa/incremental-fingerprint.ts";
import { typedFingerprinter, typedFingerprintWeight } from "../ioa/typed-fingerprint.ts";
import { assertType, type Layout, type RecordType, type Type } from "../ioa/types.ts";
import { checkValue } from "../ioa/value.ts";
import { InternedValues } from "./interned-values.ts";

/** Table elements of at least this many words (typedFingerprintWeight) are parts of their own, as the incremental fingerprint cuts them. */
const PART_FROM = 8;

/** Parts of records at least this big (typedFingerprintWeight) are fingerprinted incrementally. */
const INCREMENTAL_FROM = 32;

/**
 * The values of one part type met so far: their fingerprints, and the id of each. A big record
 * (a process's stack) is fingerprinted incrementally (ioa/incremental-fingerprint.ts): the part
 * a new one came from — the same part of the state it came from — and the lanes kept for it tell
 * which of its records (its layers' states) are the same objects, and only the others are hashed.
 */
class Values {
  readonly interned = new InternedValues<unknown>();
  readonly lanes = new Int32Array(2);
  readonly incremental: IncrementalFingerprint<unknown> | undefined;
  private readonly whole: (v: unknown, out: Int32Array, at: number) => void;
  /** The incremental lanes of each interned value of the type, by id. */
  private readonly kept: (Int32Array | undefined)[] = [];
  private readonly scratch: Int32Array;

  constructor(type: Type<unknown>, what: string) {
    this.whole = typedFingerprinter(type, what) as (v: unknown, out: Int32Array, at: number) => void;
    this.incremental = typedFingerprintWeight(type) >= INCREMENTAL_FROM ? IncrementalFingerprint.of(type, { records: true }) : undefined;
    this.scratch = new Int32Array(this.incremental?.width ?? 0);
  }

  /** Writes the fingerprint of `v` to `lanes`, from the interned value `from` (its id `fromId`, -1 for none) when incremental. */
  fingerprint(v: unknown, from: unknown, fromId: number): void {
    if (this.incremental === undefined) return this.whole(v, this.lanes, 0);
    const parentLanes = fromId >= 0 ? this.kept[fromId] : undefined;
    this.incremental.fingerprint(v, this.lanes, this.scratch, parentLanes && from, parentLanes, 0);
  }

  /** Keeps what the last fingerprint left for the values that will come from `v`, interned as `id`. */
  keep(id: number): void {
    if (this.incremental !== undefined) this.kept[id] = this.scratch.slice();
  }
}

/** A field of the state: one part, or a table whose elements are parts. */
interface FieldParts {
  readonly key: string;
  readonly values: Values;
  /** The table's size; -1 for a field that is one part. */
  readonly elements: number;
  /** Its first part's position among the state's parts. */
  readonly first: number;
}

export class InternedParts<S> {
  /** How many parts a state has: the ids a state keeps for its successors. */
  readonly parts: number;
  private readonly fields: readonly FieldParts[];

  /** Undefined when it would not pay: the type is not a record holding a table of big elements (the states of a group of layered processes are). */
  static of<S>(type: Type<S>): InternedParts<S> | undefined {
    const layout = type.layout();
    if (layout.kind !== "record" || layout.fields.some((f) => f.optional)) return undefined;
    if (!layout.fields.some((f) => bigTable(f.type.layout()))) return undefined;
    return new InternedParts(type as unknown as RecordType<never>, layout.fields);
  }

  private constructor(
    private readonly type: RecordType<never>,
    fields: Extract<Layout, { kind: "record" }>["fields"],
  ) {
    const byType = new Map<Type<unknown>, Values>();
    const valuesOf = (part: Type<unknown>, what: string) => {
      let values = byType.get(part);
      if (values === undefined) byType.set(part, (values = new Values(part, what)));
      return values;
    };
    let first = 0;
    this.fields = fields.map((f) => {
      const layout = f.type.layout();
      const table = layout.kind === "table" && bigTable(layout) ? layout : undefined;
      const parts = { key: f.key, values: valuesOf(table ? table.element : f.type, `state.${f.key}`), elements: table ? table.index.count : -1, first };
      first += table ? table.index.count : 1;
      return parts;
    });
    this.parts = first;
  }

  /**
   * Writes the key of `s` to `out[0..1]` and its parts' ids to `ids`; answers `s` with every part
   * replaced by the interned object of its value (`s` itself when they all are). With the state
   * `s` came from and its ids (`parentIds` from `parentAt`), parts that are its very objects keep
   * their ids.
   */
  intern(s: S, out: Int32Array, ids: Int32Array, parent: S | undefined, parentIds: Int32Array | undefined, parentAt: number): S {
    const record = s as Record<string, unknown>;
    const from = parentIds === undefined ? undefined : (parent as Record<string, unknown>);
    if (typeof s !== "object" || s === null) this.fail(s);
    let replaced: Record<string, unknown> | undefined;
    let fields = 0;
    for (const f of this.fields) {
      const x = record[f.key];
      const px = from?.[f.key];
      if (f.elements < 0) {
        const pid = px === undefined ? -1 : parentIds![parentAt + f.first]!;
        const id = x === px ? pid : this.idIn(f.values, x, s, px, pid);
        ids[f.first] = id;
        const kept = f.values.interned.object(id);
        if (kept !== x) (replaced ??= {})[f.key] = kept;
        continue;
      }
      if (!Array.isArray(x) || x.length !== f.elements) this.fail(s);
      if (x === px) {
        for (let i = 0; i < f.elements; i++) ids[f.first + i] = parentIds![parentAt + f.first + i]!;
        continue;
      }
      const table = x as readonly unknown[];
      const ptable = px as readonly unknown[] | undefined;
      let copy: unknown[] | undefined;
      for (let i = 0; i < f.elements; i++) {
        const e = table[i];
        const pid = ptable === undefined ? -1 : parentIds![parentAt + f.first + i]!;
        const id = ptable !== undefined && e === ptable[i] ? pid : this.idIn(f.values, e, s, ptable?.[i], pid);
        ids[f.first + i] = id;
        const kept = f.values.interned.object(id);
        if (kept !== e) (copy ??= table.slice())[i] = kept;
      }
      if (copy !== undefined) (replaced ??= {})[f.key] = copy;
    }
    // A field the type does not declare would be invisible to the key: refuse it.
    for (const _ in record) fields++;
    if (fields !== this.fields.length) this.fail(s);
    let a = 0x1b873593;
    let b = 0x2545f491;
    for (let k = 0; k < this.parts; k++) {
      a = foldA(a, ids[k]!);
      b = foldB(b, ids[k]!);
    }
    out[0] = finalizeA(a ^ this.parts);
    out[1] = finalizeB((b + this.parts) | 0);
    return replaced === undefined ? s : (this.type.with(s as never, replaced as never) as S);
  }

  /** The id of the value `v` of a part (`values`' type), interning it if it is new; `from` is the same part of the state `s` came from (id `fromId`, -1 for none). */
  private idIn(values: Values, v: unknown, s: S, from: unknown, fromId: number): number {
    const { interned, lanes } = values;
    const known = interned.known(v);
    if (known >= 0) return known;
    try {
      values.fingerprint(v, from, fromId);
    } catch (e) {
      if (e instanceof ValueError) this.fail(s);
      throw e;
    }
    const met = interned.size;
    const id = interned.add(v, lanes[0]!, lanes[1]!);
    if (interned.size > met) values.keep(id);
    return id;
  }

  private fail(s: unknown): never {
    assertType(this.type as unknown as Type<unknown>, s, "state");
    checkValue(s, "state");
    throw new ValueError("state", `does not fit ${this.type.description}`);
  }
}

/** A table whose elements are parts of their own. */
function bigTable(layout: Layout): boolean {
  return layout.kind === "table" && typedFingerprintWeight(layout.element) >= PART_FROM;
}

