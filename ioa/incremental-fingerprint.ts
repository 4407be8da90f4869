// Incremental fingerprints: re-hash only the parts of a state that a step changed.
//
// A composite state is a record of components; some components are tables with one state per
// process, and a process's state may itself be a record of records (a stack: its layers' states).
// A step builds a new state that shares every part it did not change with the state before (the
// same objects: compose, replicate and the stack rebuild only what changed). So the state is cut
// into parts along that tree — the fields of the state's record, the elements of a table whose
// elements are big enough to be worth it, the fields of a record that holds big records — and each
// part (a leaf of the tree) has its typed fingerprint. The state's fingerprint is a sum over its
// parts of a mix of each part's fingerprint and position, so that given the state a successor
// came from, with its parts' fingerprints and the sum, a subtree that is the very same object is
// skipped as a whole, and a changed part costs its own hashing and two corrections of the sum.
//
// It is a different function from `typedFingerprinter` (it sums parts' fingerprints rather than
// folding their words), equal on equal states and telling different states apart like any 64-bit
// fingerprint (a sum of well-mixed 32-bit terms per lane); what must hold is that the incremental
// answer equals the answer from scratch, which the tests check as a law on random executions.

import { fieldReader } from "./code-writer.ts";
import { finalizeA, finalizeB, foldA, foldB, NOT_A_VALUE } from "./hash.ts";
import { ValueError } from "./errors.ts";
import { Recent } from "./recent.ts";
import { RecentRenamings, rememberedFingerprint, renamedFingerprinter, typedFingerprinter, typedFingerprintWeight, type RenamedFingerprint } from "./typed-fingerprint.ts";
import { assertType, type Layout, type Type } from "./types.ts";
import { checkValue } from "./value.ts";

/** Table elements of fewer words than this are hashed with their table as one part; records split hold records at least this big. */
const PART_FROM = 8;
/** Records are split down to this depth (the state is at 0): a table's element, and the records it holds. */
const SPLIT_DEPTH = 3;

type Fingerprint = (v: unknown, out: Int32Array, at: number) => void;
type Compiled = (s: unknown, lanes: Int32Array, parent: unknown, parentLanes: Int32Array | undefined, parentAt: number) => void;

/** Stands for "no parent" in the compiled walk: no part of a state is this object. */
const NONE = Object.freeze({});

export class IncrementalFingerprint<S> {
  /** How many parts a state has. */
  readonly parts: number;
  /** Int32 lanes per state: two per part, and two for their sum. */
  readonly width: number;
  private readonly walk: Compiled;

  /**
   * Undefined when it would not pay: the type is not a record, or has no table of big elements
   * (for a small state such as two-phase commit's, one straight-line typed fingerprint is faster
   * than looking at parts). `records`: a record is cut along the records it holds even without
   * such a table (a process's stack, cut into its layers' states).
   */
  static of<S>(type: Type<S>, options: { readonly remember?: boolean; readonly records?: boolean } = {}): IncrementalFingerprint<S> | undefined {
    const layout = type.layout();
    if (layout.kind !== "record") return undefined;
    const worth = options.records || layout.fields.some((f) => !f.optional && splitTable(f.type.layout()));
    return worth ? new IncrementalFingerprint(type, options.remember ?? false) : undefined;
  }

  /**
   * `remember`: each part also remembers the fingerprints of the last few objects it saw, wherever
   * they were in the state — for states whose parts move between positions (symmetry reduction's
   * representatives, where renaming moves a process's stack to another place in the table).
   */
  private constructor(
    private readonly type: Type<S>,
    remember: boolean,
  ) {
    const compiler = new WalkCompiler(remember);
    compiler.node(type, "s", "p", "state", 0, false);
    this.parts = compiler.leaves.length;
    this.width = 2 * this.parts + 2;
    this.walk = compiler.build(this.parts);
  }

  /**
   * Writes the fingerprint of `s` to `out[0..1]`, and what its successors need (its parts' lanes
   * and their sum, `width` words) to `lanes`. With a state `s` came from and what was written for
   * it (`parentLanes` from `parentAt`), parts that are the same objects there are not hashed again.
   */
  fingerprint(s: S, out: Int32Array, lanes: Int32Array, parent?: S, parentLanes?: Int32Array, parentAt = 0): void {
    try {
      this.walk(s, lanes, parentLanes === undefined ? NONE : parent, parentLanes, parentAt);
    } catch (e) {
      if (e !== NOT_A_VALUE) throw e;
      this.fail(s);
    }
    const sumA = lanes[2 * this.parts]!;
    const sumB = lanes[2 * this.parts + 1]!;
    out[0] = finalizeA(sumA ^ this.parts);
    out[1] = finalizeB((sumB + this.parts) | 0);
  }

  /**
   * The fingerprint of `type.mapIds(s, …)` renaming the ids of the set `name` by a permutation
   * (`newId`, and its inverse), computed without building the renamed state: symmetry reduction
   * keys a state by its representative this way. Parts are taken where the renaming puts them and
   * hashed renamed; a part remembers its renamed fingerprints for the last few objects and
   * permutations it saw (`newId` arrays are compared by identity: pass one array per permutation).
   */
  renamed(name: string): (s: S, out: Int32Array, newId: readonly number[], inverse: readonly number[]) => void {
    const walk = renamedWalk(this.type, name);
    const parts = this.parts;
    return (s, out, newId, inverse) => {
      const sum = walk.sum;
      sum[0] = 0;
      sum[1] = 0;
      try {
        walk.node(s, newId, inverse);
      } catch (e) {
        if (e !== NOT_A_VALUE) throw e;
        this.fail(s);
      }
      out[0] = finalizeA(sum[0]! ^ parts);
      out[1] = finalizeB((sum[1]! + parts) | 0);
    };
  }

  private fail(s: unknown): never {
    assertType(this.type, s, "state");
    checkValue(s, "state");
    throw new ValueError("state", `does not fit ${this.type.description}`);
  }
}

/** A table whose elements are parts of their own. */
function splitTable(layout: Layout): boolean {
  return layout.kind === "table" && typedFingerprintWeight(layout.element) >= PART_FROM;
}

/** A record (below the state) whose fields are parts of their own: it holds big records. */
function splitRecord(layout: Layout, depth: number): boolean {
  if (layout.kind !== "record" || depth > SPLIT_DEPTH) return false;
  return depth === 0 || layout.fields.some((f) => !f.optional && f.type.layout().kind === "record" && typedFingerprintWeight(f.type) >= PART_FROM);
}

/**
 * Writes the walk over the parts as straight-line code: for each node, its value in the state
 * and in the parent; a node that is the parent's very object copies the lanes of its parts;
 * otherwise a split node checks its shape and walks its children, and a part is hashed and its
 * term in the sum replaced.
 */
class WalkCompiler {
  readonly leaves: Fingerprint[] = [];
  private readonly lines: string[] = [];
  private next = 0;
  /** With `remember`: one remembering fingerprint per part type, shared by the parts of that type. */
  private readonly byType = new Map<Type<unknown>, Fingerprint>();

  constructor(private readonly remember: boolean) {}

  private fresh(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  node(type: Type<unknown>, x: string, p: string, what: string, depth: number, optional: boolean): void {
    const layout = type.layout();
    const lo = this.leaves.length;
    if (!optional && layout.kind === "record" && splitRecord(layout, depth)) {
      this.line(`if (${x} !== ${p}) {`);
      this.line(`if (typeof ${x} !== "object" || ${x} === null) throw NA;`);
      const present = this.fresh("n");
      this.line(`let ${present} = ${layout.fields.filter((f) => !f.optional).length};`);
      for (const f of layout.fields) {
        const key = JSON.stringify(f.key);
        const [xf, pf] = [this.fresh("x"), this.fresh("p")];
        this.line(`const ${xf} = ${x}[${key}]; const ${pf} = ${p} === NONE ? NONE : ${p}[${key}];`);
        if (f.optional) this.line(`if (${xf} !== undefined) ${present}++;`);
        this.node(f.type, xf, pf, `${what}.${f.key}`, depth + 1, f.optional);
      }
      // A field the type does not declare would be invisible to the fingerprint: refuse it.
      this.line(`for (const _ in ${x}) ${present}--; if (${present} !== 0) throw NA;`);
      this.copyElse(lo);
      return;
    }
    if (!optional && depth === 1 && splitTable(layout) && layout.kind === "table") {
      const n = layout.index.count;
      this.line(`if (${x} !== ${p}) {`);
      this.line(`if (!Array.isArray(${x}) || ${x}.length !== ${n}) throw NA;`);
      for (let i = 0; i < n; i++) {
        const [xe, pe] = [this.fresh("x"), this.fresh("p")];
        this.line(`const ${xe} = ${x}[${i}]; const ${pe} = ${p} === NONE ? NONE : ${p}[${i}];`);
        this.node(layout.element, xe, pe, `${what}[]`, depth + 1, false);
      }
      this.copyElse(lo);
      return;
    }
    this.leaf(type, x, p, what, optional);
  }

  /** Closes a split node's `if (changed) {`: else its parts' lanes are the parent's. */
  private copyElse(lo: number): void {
    const hi = this.leaves.length;
    this.line(`} else for (let j = ${2 * lo}; j < ${2 * hi}; j++) L[j] = PL[at + j];`);
  }

  private leaf(type: Type<unknown>, x: string, p: string, what: string, optional: boolean): void {
    const k = this.leaves.length;
    this.leaves.push(this.fingerprinter(type, what));
    this.line(`if (${x} === ${p}) { L[${2 * k}] = PL[at + ${2 * k}]; L[${2 * k + 1}] = PL[at + ${2 * k + 1}]; } else {`);
    if (optional) this.line(`if (${x} === undefined) { T[0] = 0; T[1] = 1; } else F[${k}](${x}, T, 0);`);
    else this.line(`F[${k}](${x}, T, 0);`);
    this.line(`L[${2 * k}] = T[0]; L[${2 * k + 1}] = T[1];`);
    this.line(`if (${p} !== NONE) { a = (a - termA(${k}, PL[at + ${2 * k}], PL[at + ${2 * k + 1}])) | 0; b = (b - termB(${k}, PL[at + ${2 * k}], PL[at + ${2 * k + 1}])) | 0; }`);
    this.line(`a = (a + termA(${k}, T[0], T[1])) | 0; b = (b + termB(${k}, T[0], T[1])) | 0; }`);
  }

  private fingerprinter(type: Type<unknown>, what: string): Fingerprint {
    const fingerprint = typedFingerprinter(type, what) as Fingerprint;
    if (!this.remember) return fingerprint;
    let shared = this.byType.get(type);
    if (shared === undefined) this.byType.set(type, (shared = rememberedFingerprint(fingerprint, 16)));
    return shared;
  }

  line(code: string): void {
    this.lines.push(code);
  }

  build(parts: number): Compiled {
    const body = [
      "return function incrementalFingerprint(s, L, p, PL, at) {",
      `let a = 0, b = 0; if (p !== NONE) { a = PL[at + ${2 * parts}]; b = PL[at + ${2 * parts + 1}]; }`,
      ...this.lines,
      `L[${2 * parts}] = a; L[${2 * parts + 1}] = b;`,
      "};",
    ].join("\n");
    const factory = new Function("F", "T", "NONE", "NA", "termA", "termB", body);
    return factory(this.leaves, new Int32Array(2), NONE, NOT_A_VALUE, termA, termB) as Compiled;
  }
}

type RenamedNode = (x: unknown, newId: readonly number[], inverse: readonly number[]) => void;

/** How many permutations each part remembers the term of its last object under (every permutation of three ids). */
const LAST_SEEN = 6;

/** How many renamed fingerprints each part type remembers (a few processes' parts under a few permutations). */
const RENAMED_RECENT = 32;

/**
 * The walk of `renamed`: the same parts in the same order as the compiled walk (the same
 * splitting rules), a table indexed by the set read in its renamed order, each part's term added to `sum`.
 */
function renamedWalk(type: Type<unknown>, name: string): { node: RenamedNode; sum: Int32Array } {
  const sum = new Int32Array(2);
  const lanes = new Int32Array(2);
  const byType = new Map<Type<unknown>, RenamedFingerprint>();
  let leaves = 0;
  const leaf = (part: Type<unknown>, optional: boolean): RenamedNode => {
    const k = leaves++;
    let fingerprint = byType.get(part);
    if (fingerprint === undefined) byType.set(part, (fingerprint = rememberedRenamed(renamedFingerprinter(part, name), part.idSets.has(name))));
    const hash = fingerprint;
    // The part's term for the object it saw last under each of the last few permutations: a
    // process that did not move, renamed as before (or under each permutation tried in turn).
    const renamings = new Array<readonly number[] | undefined>(LAST_SEEN).fill(undefined);
    const objects = new Array<unknown>(LAST_SEEN).fill(undefined);
    const terms = new Int32Array(2 * LAST_SEEN);
    let next = 0;
    return (x, newId, inverse) => {
      let slot = -1;
      for (let j = 0; j < LAST_SEEN; j++) {
        if (renamings[j] === newId) {
          slot = j;
          break;
        }
      }
      if (slot < 0) {
        slot = next;
        next = next + 1 === LAST_SEEN ? 0 : next + 1;
        renamings[slot] = newId;
        objects[slot] = NONE;
      }
      if (x !== objects[slot] || typeof x !== "object") {
        if (optional && x === undefined) {
          lanes[0] = 0;
          lanes[1] = 1;
        } else hash(x, lanes, 0, newId, inverse);
        objects[slot] = x;
        terms[2 * slot] = termA(k, lanes[0]!, lanes[1]!);
        terms[2 * slot + 1] = termB(k, lanes[0]!, lanes[1]!);
      }
      sum[0] = (sum[0]! + terms[2 * slot]!) | 0;
      sum[1] = (sum[1]! + terms[2 * slot + 1]!) | 0;
    };
  };
  const node = (part: Type<unknown>, depth: number, optional: boolean): RenamedNode => {
    const layout = part.layout();
    if (!optional && layout.kind === "record" && splitRecord(layout, depth)) {
      const fields = layout.fields.map((f) => ({ read: fieldReader(f.key), optional: f.optional, node: node(f.type, depth + 1, f.optional) }));
      const required = fields.filter((f) => !f.optional).length;
      return (x, newId, inverse) => {
        if (typeof x !== "object" || x === null) throw NOT_A_VALUE;
        const record = x as Record<string, unknown>;
        let present = required;
        for (const f of fields) {
          const v = f.read(record);
          if (f.optional && v !== undefined) present++;
          f.node(v, newId, inverse);
        }
        // A field the type does not declare would be invisible to the fingerprint: refuse it.
        for (const _ in record) present--;
        if (present !== 0) throw NOT_A_VALUE;
      };
    }
    if (!optional && depth === 1 && layout.kind === "table" && splitTable(layout)) {
      const n = layout.index.count;
      const moved = layout.index.name === name;
      const elements = Array.from({ length: n }, () => rememberedTerms(node(layout.element, depth + 1, false), sum));
      return (x, newId, inverse) => {
        if (!Array.isArray(x) || x.length !== n) throw NOT_A_VALUE;
        // Position i of the renamed table holds the element of the id renamed to i.
        for (let i = 0; i < n; i++) elements[i]!(x[moved ? inverse[i]! : i], newId, inverse);
      };
    }
    return leaf(part, optional);
  };
  return { node: node(type, 0, false), sum };
}

/**
 * A table element's node, its terms remembered by object and permutation: what its parts add to
 * `sum` is a function of the element's value (immutable), the permutation, and the position it
 * goes to, which is the node's own. A checker that interns states (checker/interned-parts.ts)
 * meets the same few element objects — a process's stack — under the same few permutations again
 * and again, and finds their terms here instead of walking them.
 */
function rememberedTerms(node: RenamedNode, sum: Int32Array): RenamedNode {
  const terms = new WeakMap<object, (readonly number[] | number)[]>();
  return (x, newId, inverse) => {
    if (typeof x !== "object" || x === null) return node(x, newId, inverse);
    let known = terms.get(x);
    if (known !== undefined) {
      for (let j = 0; j < known.length; j += 3) {
        if (known[j] !== newId) continue;
        sum[0] = (sum[0]! + (known[j + 1] as number)) | 0;
        sum[1] = (sum[1]! + (known[j + 2] as number)) | 0;
        return;
      }
    } else terms.set(x, (known = []));
    const [a, b] = [sum[0]!, sum[1]!];
    node(x, newId, inverse);
    known.push(newId, (sum[0]! - a) | 0, (sum[1]! - b) | 0);
  };
}

/** How many objects each part type knows the renamed fingerprints of, beyond its recent ones (a bound on the memory it holds). */
const RENAMED_KNOWN = 1 << 13;

/**
 * `fingerprint`, remembered by identity (and, when it renames, permutation): first for the last few
 * objects it was given, then for up to RENAMED_KNOWN objects it was given (a checker that interns states meets the
 * same objects again — the fifo stack with 3 processes walked its 2,141 networks and applications
 * 75,000 times under symmetry, where the recent ones missed half the time).
 */
function rememberedRenamed(fingerprint: RenamedFingerprint, renames: boolean): RenamedFingerprint {
  const recent = new RecentRenamings(RENAMED_RECENT);
  /** Per object: its lanes under each renaming met, as (renaming, lane A, lane B) triples. */
  const known = new Recent<object, (readonly number[] | undefined | number)[]>(RENAMED_KNOWN);
  return (v, out, at, newId, inverse) => {
    if (typeof v !== "object" || v === null) return fingerprint(v, out, at, newId, inverse);
    const renaming = renames ? newId : undefined;
    if (recent.find(v, renaming, out, at)) return;
    let lanes = known.get(v);
    const j = lanes === undefined ? -1 : lanes.indexOf(renaming);
    if (j >= 0) {
      out[at] = lanes![j + 1] as number;
      out[at + 1] = lanes![j + 2] as number;
    } else {
      fingerprint(v, out, at, newId, inverse);
      if (lanes === undefined) known.set(v, (lanes = []));
      lanes.push(renaming, out[at]!, out[at + 1]!);
    }
    recent.add(v, renaming, out[at]!, out[at + 1]!);
  };
}

/** Part `k`'s term in lane A of the sum, from its lanes: mixed with its position, so that parts do not cancel or swap. */
function termA(k: number, la: number, lb: number): number {
  return finalizeA(foldA(foldA(Math.imul(k + 1, 0x9e3779b9), la), lb));
}

function termB(k: number, la: number, lb: number): number {
  return finalizeB(foldB(foldB(Math.imul(k + 1, 0x85ebca6b), la), lb));
}
