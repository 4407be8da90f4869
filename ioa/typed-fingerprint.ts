// Typed fingerprints, compiled once per type into one straight-line function — what Spin and
// Murphi do with their state vectors, without materializing one.
//
// Knowing the type, the function feeds a prefix-free stream of 32-bit words into the two hash lanes:
// an enum as its index, an int as itself (a marker and two words when it does not fit in 32 bits),
// a record's fields in declaration order (optional ones behind a presence word), a list's length
// then its elements, a tagged union's member index then the member; sets, maps, strings, bigints
// and untyped values as their generic fingerprint (two words). Equal values give equal streams and
// different values of the type different streams, so the fingerprint tells apart the values of
// one type — it is not the generic fingerprint, and is only compared with fingerprints of the same
// type. A value of the wrong shape makes the function throw; the caller turns that into a
// ValueError naming the path.

import { CodeWriter } from "./code-writer.ts";
import { ValueError } from "./errors.ts";
import { finalizeA, finalizeB, foldA, foldB, hashValue, laneA, laneB, NOT_A_VALUE, setLanes } from "./hash.ts";
import { renamedHasher } from "./renamed-hash.ts";
import { assertType, type Layout, type Type } from "./types.ts";
import { checkValue, type Primitive } from "./value.ts";

type Compiled = (v: unknown, out: Int32Array, at: number) => void;

/**
 * A renamed typed fingerprint: writes the typed fingerprint of `v` with each id `i` of one id set
 * renamed to `newId[i]` (`inverse` is the inverse permutation), without building the renamed value.
 */
export type RenamedFingerprint = (v: unknown, out: Int32Array, at: number, newId: readonly number[], inverse: readonly number[]) => void;

const compiled = new WeakMap<Type<unknown>, Compiled>();

/**
 * The typed fingerprint function of `type` (compiled on first use): it writes the fingerprint of a
 * value to `out[at]` and `out[at + 1]`; a value that does not fit the type is a ValueError naming
 * the path (from `what`). Hot loops should hold on to it rather than call `typedFingerprintInto`.
 */
export function typedFingerprinter<T>(type: Type<T>, what = "state"): (v: T, out: Int32Array, at: number) => void {
  let f = compiled.get(type as Type<unknown>);
  if (f === undefined) {
    f = compile(type as Type<unknown>);
    compiled.set(type as Type<unknown>, f);
  }
  const fingerprint = f;
  return (v, out, at) => {
    try {
      fingerprint(v, out, at);
    } catch (e) {
      if (e !== NOT_A_VALUE) throw e;
      assertType(type, v, what);
      checkValue(v, what);
      throw new ValueError(what, `does not fit ${type.description}`);
    }
  };
}

/** An estimate of the words a value of `type` feeds its typed fingerprint (lists counted as three elements). */
export function typedFingerprintWeight(type: Type<unknown>): number {
  const layout = type.layout();
  switch (layout.kind) {
    case "record":
      return 1 + layout.fields.reduce((n, f) => n + typedFingerprintWeight(f.type), 0);
    case "tuple":
      return layout.elements.reduce((n, e) => n + typedFingerprintWeight(e), 0);
    case "array":
    case "table":
      return 1 + 3 * typedFingerprintWeight(layout.element);
    case "union":
      return 1 + Math.max(...layout.members.map(typedFingerprintWeight));
    default:
      return 2;
  }
}

/**
 * `fingerprint`, remembered for the last `recent` objects it was given (values are immutable): for
 * parts of states that successive states share wherever they are (symmetry reduction's renamed
 * representatives). A scan of a few recent objects is far cheaper than a WeakMap lookup.
 */
export function rememberedFingerprint(fingerprint: (v: unknown, out: Int32Array, at: number) => void, recent: number): (v: unknown, out: Int32Array, at: number) => void {
  const objects = new Array<unknown>(recent).fill(undefined);
  const lanes = new Int32Array(2 * recent);
  let next = 0;
  return (v, out, at) => {
    if (typeof v === "object" && v !== null) {
      for (let k = 0; k < recent; k++) {
        if (objects[k] === v) {
          out[at] = lanes[2 * k]!;
          out[at + 1] = lanes[2 * k + 1]!;
          return;
        }
      }
    }
    fingerprint(v, out, at);
    if (typeof v !== "object" || v === null) return;
    objects[next] = v;
    lanes[2 * next] = out[at]!;
    lanes[2 * next + 1] = out[at + 1]!;
    next = next + 1 === recent ? 0 : next + 1;
  };
}

/**
 * The typed fingerprint of `type.mapIds(v, …)` renaming the ids of the set `name` by a permutation,
 * computed without building the renamed value (symmetry reduction fingerprints candidate
 * representatives this way): an id is hashed as its new name, a table indexed by the set in its
 * renamed order; sets and maps, which the typed fingerprint takes by their generic fingerprint, by
 * the generic fingerprint of their renamed value (renamed-hash.ts: renaming reorders them), remembered
 * for the sets that successive states share. A value that does not fit the type throws NOT_A_VALUE.
 */
export function renamedFingerprinter(type: Type<unknown>, name: string): RenamedFingerprint {
  const compiler = new Compiler(name);
  compiler.emit(type, "v");
  return compiler.build() as RenamedFingerprint;
}

/**
 * Two lanes remembered for the last few (object, permutation) pairs seen, by identity (values are
 * immutable; one array per permutation): what renamed fingerprints remember of the parts that
 * successive states share. A scan of a few recent pairs is far cheaper than a WeakMap.
 */
export class RecentRenamings {
  private readonly objects: unknown[];
  private readonly renamings: (readonly number[] | undefined)[];
  private readonly lanes: Int32Array;
  private next = 0;

  constructor(private readonly size: number) {
    this.objects = new Array<unknown>(size).fill(undefined);
    this.renamings = new Array<readonly number[] | undefined>(size).fill(undefined);
    this.lanes = new Int32Array(2 * size);
  }

  /** Copies the lanes remembered for (`v`, `renaming`) to `out[at..at + 1]`; false if there are none. */
  find(v: unknown, renaming: readonly number[] | undefined, out: Int32Array, at: number): boolean {
    for (let k = 0; k < this.size; k++) {
      if (this.objects[k] === v && this.renamings[k] === renaming) {
        out[at] = this.lanes[2 * k]!;
        out[at + 1] = this.lanes[2 * k + 1]!;
        return true;
      }
    }
    return false;
  }

  add(v: unknown, renaming: readonly number[] | undefined, a: number, b: number): void {
    const k = this.next;
    this.objects[k] = v;
    this.renamings[k] = renaming;
    this.lanes[2 * k] = a;
    this.lanes[2 * k + 1] = b;
    this.next = k + 1 === this.size ? 0 : k + 1;
  }
}

/** How many renamed hashes each position remembers: a few values under a few renamings. */
const RENAMED_RECENT = 32;

/**
 * The renamed hash (renamed-hash.ts) of values of `type`, remembered for the last few values and
 * permutations seen at one position of the state (successive states share its sets).
 */
function rememberedRenamedHash(type: Type<unknown>, name: string): (v: unknown, newId: readonly number[], inverse: readonly number[]) => void {
  const hash = renamedHasher(type, name);
  const recent = new RecentRenamings(RENAMED_RECENT);
  const found = new Int32Array(2);
  return (v, newId, inverse) => {
    if (recent.find(v, newId, found, 0)) return setLanes(found[0]!, found[1]!);
    hash(v, newId, inverse);
    recent.add(v, newId, laneA, laneB);
  };
}

/** Writes the typed fingerprint of `v`, a value of `type`, to `out[at]` and `out[at + 1]`. */
export function typedFingerprintInto<T>(type: Type<T>, v: T, out: Int32Array, at: number, what = "state"): void {
  typedFingerprinter(type, what)(v, out, at);
}

/** Marks an integer emitted in three words; no int32 emitted in one word equals it. */
const LONG_INTEGER = -0x80000000;

class Compiler extends CodeWriter {
  private readonly lines: string[] = [];

  /** `renaming`: the id set renamed by the permutation the compiled function takes (`N`, and its inverse `I`). */
  constructor(private readonly renaming?: string) {
    super();
  }

  /** Whether ids of the renamed set occur in values of `type`. */
  private renames(type: Type<unknown>): boolean {
    return this.renaming !== undefined && type.idSets.has(this.renaming);
  }

  /** A primitive as source code: a literal where JavaScript has one (so `switch` compares constants). */
  private literal(x: Primitive): string {
    return typeof x === "bigint" ? `${x}n` : JSON.stringify(x);
  }

  line(code: string): void {
    this.lines.push(code);
  }

  /** Folds one word (a variable or a constant expression with no side effect) into both lanes. */
  private word(expr: string): void {
    this.line(`a = fa(a, ${expr}); b = fb(b, ${expr});`);
  }

  /** The generic fingerprint of `v`, a value of `type`, as two words (renamed when ids of the renamed set occur in it). */
  private lanes(type: Type<unknown>, v: string): void {
    if (this.renames(type)) this.line(`${this.constant(rememberedRenamedHash(type, this.renaming!))}(${v}, N, I);`);
    else this.line(`hv(${v});`);
    this.word("la()");
    this.word("lb()");
  }

  emit(type: Type<unknown>, v: string): void {
    const layout: Layout = type.layout();
    switch (layout.kind) {
      case "bool":
        this.line(`if (typeof ${v} !== "boolean") throw NA;`);
        this.word(`(${v} ? 1 : 0)`);
        return;
      case "ids":
      case "int":
        if (layout.kind === "ids" && layout.name === this.renaming) {
          const r = this.fresh("r");
          this.line(`if (typeof ${v} !== "number") throw NA; const ${r} = N[${v}]; if (${r} === undefined) throw NA;`);
          this.word(r);
          return;
        }
        this.line(`if (typeof ${v} !== "number") throw NA;`);
        this.line(`if ((${v} | 0) === ${v} && ${v} !== ${LONG_INTEGER}) { a = fa(a, ${v}); b = fb(b, ${v}); } else {`);
        this.line(`if (!Number.isSafeInteger(${v})) throw NA;`);
        this.word(String(LONG_INTEGER));
        this.word(`(Math.floor(${v} / 4294967296) | 0)`);
        this.word(`(${v} >>> 0)`);
        this.line("}");
        return;
      case "literal":
        this.line(`if (${v} !== ${this.literal(layout.value)}) throw NA;`);
        return;
      case "enum": {
        const w = this.fresh("w");
        this.line(`let ${w}; switch (${v}) {`);
        layout.values.forEach((x, i) => this.line(`case ${JSON.stringify(x)}: ${w} = ${i}; break;`));
        this.line("default: throw NA; }");
        this.word(w);
        return;
      }
      case "array":
      case "table": {
        const i = this.fresh("i");
        const e = this.fresh("e");
        const moved = layout.kind === "table" && layout.index.name === this.renaming;
        this.line(`if (!Array.isArray(${v})) throw NA;`);
        if (moved) this.line(`if (${v}.length !== ${layout.index.count}) throw NA;`);
        this.word(`${v}.length`);
        // Renamed, position i of a table holds the element of the id renamed to i.
        this.line(`for (let ${i} = 0; ${i} < ${v}.length; ${i}++) { const ${e} = ${v}[${moved ? `I[${i}]` : i}];`);
        this.emit(layout.element, e);
        this.line("}");
        return;
      }
      case "tuple":
        this.line(`if (!Array.isArray(${v}) || ${v}.length !== ${layout.elements.length}) throw NA;`);
        layout.elements.forEach((element, i) => {
          const e = this.fresh("e");
          this.line(`const ${e} = ${v}[${i}];`);
          this.emit(element, e);
        });
        return;
      case "record":
        this.record(layout.fields, v);
        return;
      case "union":
        this.union(type, layout, v);
        return;
      default:
        this.lanes(type, v);
    }
  }

  private record(fields: Extract<Layout, { kind: "record" }>["fields"], v: string): void {
    const present = this.fresh("n");
    this.line(`if (typeof ${v} !== "object" || ${v} === null) throw NA;`);
    this.line(`let ${present} = ${fields.filter((f) => !f.optional).length};`);
    for (const f of fields) {
      const x = this.fresh("f");
      this.line(`const ${x} = ${v}[${JSON.stringify(f.key)}];`);
      if (f.optional) {
        this.line(`if (${x} === undefined) { a = fa(a, 0); b = fb(b, 0); } else { ${present}++;`);
        this.word("1");
        this.emit(f.type, x);
        this.line("}");
      } else {
        this.line(`if (${x} === undefined) throw NA;`);
        this.emit(f.type, x);
      }
    }
    // A field the type does not declare would be invisible to the fingerprint: refuse it.
    const keys = this.fresh("k");
    this.line(`let ${keys} = 0; for (const _ in ${v}) ${keys}++; if (${keys} !== ${present}) throw NA;`);
  }

  private union(type: Type<unknown>, layout: Extract<Layout, { kind: "union" }>, v: string): void {
    if (!layout.tag) {
      const w = this.fresh("w");
      const memberIndex = (x: unknown) => layout.members.findIndex((m) => m.find(x) === undefined);
      this.line(`const ${w} = ${this.constant(memberIndex)}(${v}); if (${w} < 0) throw NA;`);
      this.word(w);
      this.lanes(type, v);
      return;
    }
    this.line(`if (typeof ${v} !== "object" || ${v} === null) throw NA;`);
    this.line(`switch (${v}[${JSON.stringify(layout.tag.key)}]) {`);
    layout.members.forEach((member, i) => {
      this.line(`case ${this.literal(layout.tag!.values[i]!)}: {`);
      this.word(String(i));
      this.emit(member, v);
      this.line("break; }");
    });
    this.line("default: throw NA; }");
  }

  build(): Compiled {
    const body = [
      "return function typedFingerprint(v, out, at, N, I) {",
      "let a = 0x6c62272e, b = 0x07bb0142;",
      ...this.lines,
      "out[at] = finA(a ^ 0x2d358dcc); out[at + 1] = finB((b + 0x5a827999) | 0);",
      "};",
    ].join("\n");
    const factory = new Function("fa", "fb", "finA", "finB", "hv", "la", "lb", "NA", "K", body);
    return factory(foldA, foldB, finalizeA, finalizeB, hashValue, () => laneA, () => laneB, NOT_A_VALUE, this.constants) as Compiled;
  }
}

function compile(type: Type<unknown>): Compiled {
  const compiler = new Compiler();
  compiler.emit(type, "v");
  return compiler.build();
}
