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
// up by its typed fingerprint among the values seen before and replaced by the first object that
// had that value: each part is then one object for all states that hold its value, its id is a
// small integer, and the state's key is a fingerprint of its parts' ids. A part that is the very
// object of the same part of the state it came from takes that part's id without a lookup (the
// ids are what the frontier keeps beside a state, as the lanes of other keys). Parts are told
// apart by 64-bit fingerprints, as states are in the visited set.

import { finalizeA, finalizeB, foldA, foldB } from "../ioa/hash.ts";
import { ValueError } from "../ioa/errors.ts";
import { rememberedByObject, typedFingerprinter, typedFingerprintWeight } from "../ioa/typed-fingerprint.ts";
import { assertType, type Layout, type RecordType, type Type } from "../ioa/types.ts";
import { checkValue } from "../ioa/value.ts";
import { FingerprintSet } from "./fingerprint-set.ts";

/** Table elements of at least this many words (typedFingerprintWeight) are parts of their own, as the incremental fingerprint cuts them. */
const PART_FROM = 8;

/** Records at least this big (typedFingerprintWeight) are fingerprinted field by field, each field's fingerprint remembered by object. */
const COMPOSE_FROM = 32;

type Fingerprint = (v: unknown, out: Int32Array, at: number) => void;

/**
 * The fingerprint parts are interned by. A big record's is a fold of its fields' fingerprints, each
 * remembered by object (a WeakMap), so that a new part — a process's stack after a step — costs
 * the hashing of what the step changed (a layer's state, the pending outputs), not of all of it.
 * It is its own function of the value (not the typed fingerprint), and parts are only compared
 * with parts of the same type by it.
 */
function partFingerprint(type: Type<unknown>, what: string): Fingerprint {
  const whole = typedFingerprinter(type, what) as Fingerprint;
  const layout = type.layout();
  if (layout.kind !== "record" || typedFingerprintWeight(type) < COMPOSE_FROM) return whole;
  const fields = layout.fields.map((f) => ({ key: f.key, fingerprint: rememberedByObject(partFingerprint(f.type, `${what}.${f.key}`)) }));
  const lanes = new Int32Array(2);
  return (v, out, at) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return whole(v, out, at);
    const record = v as Record<string, unknown>;
    let a = 0x7f4a7c15;
    let b = 0x1b873593;
    let present = 0;
    for (let i = 0; i < fields.length; i++) {
      const x = record[fields[i]!.key];
      if (x === undefined) {
        a = foldA(a, 0x5bd1e995);
        b = foldB(b, 0x5bd1e995);
        continue;
      }
      present++;
      fields[i]!.fingerprint(x, lanes, 0);
      a = foldA(foldA(a, lanes[0]!), lanes[1]!);
      b = foldB(foldB(b, lanes[0]!), lanes[1]!);
    }
    // A field the type does not declare (or a wrong one) is for the typed fingerprint to name.
    let keys = 0;
    for (const _ in record) keys++;
    if (keys !== present) return whole(v, out, at);
    out[at] = finalizeA(a ^ fields.length);
    out[at + 1] = finalizeB((b + fields.length) | 0);
  };
}

/** The values of one part type met so far: their fingerprints, and the id of each. */
class Values {
  readonly ids = new FingerprintSet(1 << 10, true);
  readonly lanes = new Int32Array(2);

  constructor(readonly fingerprint: Fingerprint) {}
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
  /** Every interned object, by id. */
  private readonly objects: unknown[] = [];
  private readonly idOf = new Map<object, number>();
  private readonly copies = new WeakMap<object, number>();

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
      if (values === undefined) byType.set(part, (values = new Values(partFingerprint(part, what))));
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
        const id = x === px ? parentIds![parentAt + f.first]! : this.idIn(f.values, x, s);
        ids[f.first] = id;
        if (this.objects[id] !== x) (replaced ??= {})[f.key] = this.objects[id];
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
        const id = ptable !== undefined && e === ptable[i] ? parentIds![parentAt + f.first + i]! : this.idIn(f.values, e, s);
        ids[f.first + i] = id;
        if (this.objects[id] !== e) (copy ??= table.slice())[i] = this.objects[id];
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

  /** The id of the value `v` of a part (`values`' type), interning it if it is new. */
  private idIn(values: Values, v: unknown, s: S): number {
    const object = typeof v === "object" && v !== null ? v : undefined;
    if (object !== undefined) {
      const id = this.idOf.get(object) ?? this.copies.get(object);
      if (id !== undefined) return id;
    }
    const lanes = values.lanes;
    try {
      values.fingerprint(v, lanes, 0);
    } catch (e) {
      if (e instanceof ValueError) this.fail(s);
      throw e;
    }
    const id = values.ids.addOrFind(lanes[0]!, lanes[1]!, this.objects.length);
    if (id >= 0) {
      if (object !== undefined) this.copies.set(object, id);
      return id;
    }
    const fresh = this.objects.length;
    this.objects.push(v);
    if (object !== undefined) this.idOf.set(object, fresh);
    return fresh;
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

