// Packed states: a breadth-first level keeps its states as a few 32-bit words each rather than as
// object graphs, when the state's type is finite and small enough to be written as bit fields
// (Spin and TLC keep their queues as compressed state vectors too).
//
// A level of two-phase commit with 9 RMs holds over a million states; as objects (a record, an
// array, two sets and their arrays) each costs some 300 bytes and survives a scavenge or two
// before its turn comes, which costs the garbage collector copying. Packed, a state of two-phase
// commit is 5 bytes: every RM's state (2 bits each), the TM's (1 bit), the prepared RMs and the
// messages as bitsets over their element types' values. A state is unpacked once, when it is
// expanded.
//
// A packing is exact: equal values pack alike and different values differently, so that the
// checker keys its visited set by a state's packing when it fits in two words (no fingerprint to
// compute, and no collision possible). So `pack` refuses what is not a value of the type (it throws
// NOT_A_VALUE, as a typed fingerprint does), rather than pack it as some other value.
//
// Packable: booleans, enums, ids, literals and ints of a bounded range; records, tuples and
// tables of packable types; unions and other types with a small finite domain (their value's
// position in it); sets whose element type has a small finite domain (a bitset). Strings,
// unbounded ints, lists and maps are not: a state type holding one is kept as objects.

import { CodeWriter } from "../ioa/code-writer.ts";
import { NOT_A_VALUE } from "../ioa/hash.ts";
import { ISet, type Layout, type Type, type Value } from "../ioa/index.ts";

/** The widest bit field (a field never straddles two words). */
const FIELD_BITS = 31;
/** The largest finite domain written as a position in it. */
const DOMAIN_LEAF = 4096;
/** The largest element domain of a set written as a bitset. */
const SET_DOMAIN = 1024;
/** How many sets of one domain are remembered by their bits, to be read back as the same objects. */
const SETS_REMEMBERED = 1 << 12;

/** A field of the packed state: where it goes, and the code that computes it and reads it back. */
interface Field {
  readonly word: number;
  readonly bit: number;
  readonly bits: number;
}

/**
 * Writes the packing of a type as straight-line code: each leaf of the type a bit field, placed
 * when the code is compiled (a field never straddles two words), packed by an expression of the
 * state and unpacked by an expression of the words.
 */
class PackCompiler extends CodeWriter {
  readonly packLines: string[] = [];
  private word = 0;
  private bit = 0;
  /** Every field placed so far, in order. */
  private readonly placed: Field[] = [];

  get words(): number {
    return this.word + 1;
  }

  private field(bits: number): Field {
    if (this.bit + bits > 32) {
      this.word++;
      this.bit = 0;
    }
    const f = { word: this.word, bit: this.bit, bits };
    this.bit += bits;
    this.placed.push(f);
    return f;
  }

  /** Code that throws NOT_A_VALUE unless `condition` holds. */
  private require(condition: string): void {
    this.packLines.push(`if (!(${condition})) throw ${this.notAValue};`);
  }

  private readonly notAValue = this.constant(NOT_A_VALUE);

  /** Packs the value of expression `x` (the field's number) and answers the expression reading it back. */
  private leaf(bits: number, packed: string, unpacked: (read: string) => string): string {
    if (bits === 0) return unpacked("0");
    const f = this.field(bits);
    this.packLines.push(`w${f.word} |= (${packed}) << ${f.bit};`);
    const read = bits === 32 ? `W[at + ${f.word}]` : `((W[at + ${f.word}] >>> ${f.bit}) & ${(2 ** bits - 1) | 0})`;
    return unpacked(read);
  }

  /**
   * Compiles the packing of the state `s`; answers the expression unpacking it, or undefined if the
   * type cannot be packed. A state that is a record packs each required field that is the very
   * object of the same field of the state `P` (packed at `PW[pat..]`) by copying that field's bits.
   */
  state(type: Type<unknown>): string | undefined {
    const layout: Layout = type.layout();
    return layout.kind === "record" ? this.record(layout.fields, "s", true) : this.node(type, "s");
  }

  /**
   * The lines packing a field from `first` on, placed from field `firstPlaced` on, wrapped so that
   * they run only when the field `e` is not the object `P[key]`, whose bits are copied instead.
   */
  private orFromParent(e: string, key: string, first: number, firstPlaced: number): void {
    const masks = new Map<number, number>();
    for (const f of this.placed.slice(firstPlaced)) masks.set(f.word, (masks.get(f.word) ?? 0) | (((2 ** f.bits - 1) << f.bit) | 0));
    if (masks.size === 0) return;
    const copy = [...masks].map(([word, mask]) => `w${word} |= PW[pat + ${word}] & ${mask | 0};`).join(" ");
    const lines = this.packLines.splice(first);
    this.packLines.push(`if (P !== undefined && ${e} === P[${key}]) { ${copy} } else {`, ...lines, "}");
  }

  /** Compiles the packing of `x`, of type `type`; answers the expression unpacking it, or undefined if the type cannot be packed. */
  node(type: Type<unknown>, x: string): string | undefined {
    const layout: Layout = type.layout();
    switch (layout.kind) {
      case "bool":
        this.require(`typeof ${x} === "boolean"`);
        return this.leaf(1, `${x} ? 1 : 0`, (r) => `${r} === 1`);
      case "literal": {
        const value = this.constant(layout.value);
        this.require(`${x} === ${value}`);
        return value;
      }
      case "enum": {
        const values = this.constant(layout.values);
        // A chain of comparisons of interned strings: cheaper than a map lookup for a few values.
        const index = layout.values.map((v, i) => `${x} === ${JSON.stringify(v)} ? ${i} : `).join("") + "-1";
        const e = this.fresh("e");
        this.packLines.push(`const ${e} = ${index};`);
        this.require(`${e} >= 0`);
        return this.leaf(bitsFor(layout.values.length), e, (r) => `${values}[${r}]`);
      }
      case "ids":
        this.require(`(${x} | 0) === ${x} && ${x} >= 0 && ${x} < ${layout.count}`);
        return this.leaf(bitsFor(layout.count), x, (r) => r);
      case "int":
        if (layout.max - layout.min >= 2 ** FIELD_BITS) return undefined;
        this.require(`Number.isInteger(${x}) && ${x} >= ${layout.min} && ${x} <= ${layout.max}`);
        return this.leaf(bitsFor(layout.max - layout.min + 1), `${x} - ${layout.min}`, (r) => `(${r} + ${layout.min})`);
      case "table":
        this.require(`Array.isArray(${x}) && ${x}.length === ${layout.index.count}`);
        return this.sequence(Array.from({ length: layout.index.count }, () => layout.element), x);
      case "tuple":
        this.require(`Array.isArray(${x}) && ${x}.length === ${layout.elements.length}`);
        return this.sequence(layout.elements, x);
      case "record":
        return this.record(layout.fields, x);
      case "set":
        return this.bitset(layout.element, x);
      default:
        return this.domainLeaf(type, x);
    }
  }

  private sequence(types: readonly Type<unknown>[], x: string): string | undefined {
    const reads: string[] = [];
    for (let i = 0; i < types.length; i++) {
      const e = this.fresh("x");
      this.packLines.push(`const ${e} = ${x}[${i}];`);
      const read = this.node(types[i]!, e);
      if (read === undefined) return undefined;
      reads.push(read);
    }
    return `[${reads.join(", ")}]`;
  }

  private record(fields: Extract<Layout, { kind: "record" }>["fields"], x: string, fromParent = false): string | undefined {
    const reads: string[] = [];
    const optional: string[] = [];
    const present = this.fresh("n");
    this.require(`typeof ${x} === "object" && ${x} !== null`);
    this.packLines.push(`let ${present} = ${fields.filter((f) => !f.optional).length};`);
    for (const f of fields) {
      const key = JSON.stringify(f.key);
      const e = this.fresh("x");
      this.packLines.push(`const ${e} = ${x}[${key}];`);
      if (!f.optional) {
        const first = this.packLines.length;
        const firstPlaced = this.placed.length;
        const read = this.node(f.type, e);
        if (read === undefined) return undefined;
        if (fromParent) this.orFromParent(e, key, first, firstPlaced);
        reads.push(`${key}: ${read}`);
        continue;
      }
      // An absent optional field packs as a clear presence bit and zeros; it reads back absent.
      const isPresent = this.leaf(1, `${e} === undefined ? 0 : 1`, (r) => r);
      this.packLines.push(`if (${e} !== undefined) { ${present}++;`);
      const read = this.node(f.type, e);
      this.packLines.push("}");
      if (read === undefined) return undefined;
      optional.push(`if (${isPresent} === 1) o[${key}] = ${read};`);
    }
    // A field the type does not declare would be lost: refuse it.
    const keys = this.fresh("k");
    this.packLines.push(`let ${keys} = 0; for (const _ in ${x}) ${keys}++;`);
    this.require(`${keys} === ${present}`);
    if (optional.length === 0) return `{ ${reads.join(", ")} }`;
    return `(() => { const o = { ${reads.join(", ")} }; ${optional.join(" ")} return o; })()`;
  }

  /** A type with a small finite domain: the value's position in the set of its domain. */
  private domainLeaf(type: Type<unknown>, x: string): string | undefined {
    const domain = type.domain();
    if (domain === undefined || domain.length > DOMAIN_LEAF) return undefined;
    const values = new Elements(domain as Value[]);
    const k = this.constant(values);
    return this.leaf(bitsFor(values.size), `${k}.positionOf(${x})`, (r) => `${k}.object(${r})`);
  }

  /** A set of a small finite domain's values: one bit per value, in the canonical order of the domain's set. */
  private bitset(element: Type<unknown>, x: string): string | undefined {
    const domain = element.domain();
    if (domain === undefined || domain.length > SET_DOMAIN) return undefined;
    const elements = new Elements(domain as Value[]);
    const k = this.constant(elements);
    const chunks = Math.ceil(elements.size / FIELD_BITS);
    const c = this.fresh("c");
    this.require(`${x} instanceof ${this.constant(ISet)}`);
    this.packLines.push(`const ${c} = ${k}.bits(${x});`);
    const reads: string[] = [];
    for (let i = 0; i < chunks; i++) reads.push(this.leaf(Math.min(FIELD_BITS, elements.size - i * FIELD_BITS), `${c}[${i}]`, (r) => r));
    return chunks === 1 ? `${k}.set1(${reads[0]})` : `${k}.set([${reads.join(", ")}])`;
  }
}

/**
 * The values of a small finite domain, in the canonical order of their set. The objects read back
 * are the very ones the model packed (the first one packed for each value): a model probes its
 * sets with its own constants, which are then found by identity.
 */
class Elements {
  private all: ISet<Value>;
  private objects: Value[];
  private readonly adopted: boolean[];
  private readonly chunks: Int32Array;
  /** The positions of the primitive values and of the objects adopted, by identity. */
  private readonly known = new Map<Value, number>();
  /**
   * Sets read back (from one chunk of bits), by their bits: a set unpacked again is the same
   * object, which costs no allocation, and which the states packed after it share — so that
   * packing them copies its bits from their parent's, and a model's repeated questions to it
   * are answered from its memory of the last one.
   */
  private readonly sets = new Map<number, ISet<Value>>();

  constructor(domain: readonly Value[]) {
    this.all = ISet.from(domain);
    this.objects = this.all.toArray();
    this.adopted = this.objects.map(() => false);
    this.chunks = new Int32Array(Math.ceil(this.objects.length / FIELD_BITS));
    this.objects.forEach((x, i) => typeof x !== "object" && this.known.set(x, i));
  }

  get size(): number {
    return this.objects.length;
  }

  /** The position of `v` in the domain; throws NOT_A_VALUE when it is not in it. */
  positionOf(v: Value): number {
    const known = this.known.get(v);
    if (known !== undefined) return known;
    const at = this.all.indexOf(v);
    if (at < 0) throw NOT_A_VALUE;
    if (!this.adopted[at]) this.adopt(v, at);
    return at;
  }

  private adopt(v: Value, at: number): void {
    this.adopted[at] = true;
    this.known.set(v, at);
    if (this.objects[at] === v) return;
    this.objects = this.objects.slice();
    this.objects[at] = v;
    this.all = ISet.from(this.objects);
    this.sets.clear();
  }

  object(at: number): Value {
    return this.objects[at]!;
  }

  /** The set's bitset, `FIELD_BITS` bits a chunk (valid until the next call). */
  bits(set: ISet<Value>): Int32Array {
    const chunks = this.chunks;
    chunks.fill(0);
    for (let i = 0; i < set.size; i++) {
      const at = this.positionOf(set.at(i)!);
      chunks[(at / FIELD_BITS) | 0] = chunks[(at / FIELD_BITS) | 0]! | (1 << at % FIELD_BITS);
    }
    return chunks;
  }

  /** The set of the values whose bits are set in `chunks`. */
  set(chunks: readonly number[]): ISet<Value> {
    const positions: number[] = [];
    for (let i = 0; i < chunks.length; i++) {
      for (let bits = chunks[i]!, j = 0; bits !== 0; bits >>>= 1, j++) if (bits & 1) positions.push(i * FIELD_BITS + j);
    }
    return positions.length === 0 ? ISet.empty() : this.all.pick(positions);
  }

  /** `set` of a domain of at most FIELD_BITS values. */
  set1(bits: number): ISet<Value> {
    if (bits === 0) return ISet.empty();
    const known = this.sets.get(bits);
    if (known !== undefined) return known;
    const positions: number[] = [];
    for (let b = bits, j = 0; b !== 0; b >>>= 1, j++) if (b & 1) positions.push(j);
    const set = this.all.pick(positions);
    if (this.sets.size < SETS_REMEMBERED) this.sets.set(bits, set);
    return set;
  }
}

/** Whether the type holds nothing that can never pack (strings, lists, maps, untyped values, big ints). */
function mayPack(type: Type<unknown>): boolean {
  const layout: Layout = type.layout();
  switch (layout.kind) {
    case "bool":
    case "literal":
    case "enum":
    case "ids":
      return true;
    case "int":
      return layout.max - layout.min < 2 ** FIELD_BITS;
    case "table":
    case "set":
      return mayPack(layout.element);
    case "tuple":
      return layout.elements.every(mayPack);
    case "record":
      return layout.fields.every((f) => mayPack(f.type));
    case "union":
      return layout.members.every(mayPack);
    default:
      return false;
  }
}

function bitsFor(count: number): number {
  return count <= 1 ? 0 : Math.ceil(Math.log2(count));
}

/** Packs and unpacks the states of one type, `words` 32-bit words each. */
export class PackedStates<S> {
  /** Undefined when the type cannot be packed (it holds strings, lists, maps or unbounded ints). */
  static of<S>(type: Type<S>): PackedStates<S> | undefined {
    // Enumerating a union's domain can take a while: first rule out, cheaply, what can never pack.
    if (!mayPack(type as Type<unknown>)) return undefined;
    const compiler = new PackCompiler();
    const read = compiler.state(type as Type<unknown>);
    if (read === undefined) return undefined;
    const words = compiler.words;
    const accumulators = Array.from({ length: words }, (_, i) => `w${i} = 0`).join(", ");
    const stores = Array.from({ length: words }, (_, i) => `W[at + ${i}] = w${i};`).join(" ");
    const pack = new Function("K", `return function pack(s, W, at, P, PW, pat) { let ${accumulators};\n${compiler.packLines.join("\n")}\n${stores} };`)(compiler.constants);
    const unpack = new Function("K", `return function unpack(W, at) { return ${read}; };`)(compiler.constants);
    return new PackedStates<S>(words, pack, unpack);
  }

  private constructor(
    /** Words per state. */
    readonly words: number,
    /**
     * Writes `s` to `words[at..at + this.words]`. Given a `parent` state packed at
     * `parentWords[parentAt..]`, the fields of `s` that are its very objects are not packed again.
     */
    readonly pack: (s: S, words: Int32Array, at: number, parent?: S, parentWords?: Int32Array, parentAt?: number) => void,
    /** The state packed at `words[at..]`. */
    readonly unpack: (words: Int32Array, at: number) => S,
  ) {}
}
