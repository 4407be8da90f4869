// Value types: descriptions of the shape of states and action parameters.
//
// `t.record({ queue: t.array(t.string()) })` describes a record and, through `Infer`, gives its
// TypeScript type, so a definition states its types once. A type checks values (naming the path of
// a mismatch), reads and writes them in ITF exactly (tuples as #tup, integers as numbers or bigints
// as declared), enumerates its values when it is finite (how the parameters of enabled actions are
// found), and renames process ids (`t.ids`) for symmetry reduction.

import { TraceFormatError, ValueError } from "./errors.ts";
import {
  describeJson,
  integerToItf,
  isItfObject,
  itfArray,
  itfInteger,
  itfMapEntries,
  jsonPath,
  valueFromItf,
  valueToItf,
  type ItfValue,
} from "./itf-value.ts";
import { formatValue } from "./format.ts";
import { caseFields, quintSum, type QuintSum } from "./quint-sum.ts";
import { compareValues, IMap, ISet, isValue, checkValue, propertyPath, type Primitive, type Value } from "./value.ts";

export interface Problem {
  readonly path: string;
  readonly problem: string;
}

/** Renames an id of the id set `name` (a permutation, for symmetry reduction). */
export type IdRenaming = (name: string, id: number) => number;

export interface Type<T> {
  /** A short rendering such as `{ queue: string[] }` or `0..3`. */
  readonly description: string;
  /** The id sets (`t.ids`) that occur inside values of this type: name → number of ids. */
  readonly idSets: ReadonlyMap<string, number>;
  /** Names of the id sets that occur inside values of this type. */
  readonly idNames: readonly string[];
  /** What is wrong with `v` as a value of this type (its path prefixed by `path`), or undefined. */
  check(v: unknown, path: string): Problem | undefined;
  /** Like `check`, with the path relative to `v` ("" for `v` itself); builds no string unless something is wrong. */
  find(v: unknown): Problem | undefined;
  /** Every value of the type in a fixed order, if the type is finite and small; else undefined. */
  domain(): readonly T[] | undefined;
  toItf(v: T): ItfValue;
  /** Reads an ITF value; throws TraceFormatError naming the JSON path on a mismatch. */
  fromItf(json: unknown, path: string): T;
  /** The value with every id renamed (only ids of the sets the renaming changes). */
  mapIds(v: T, rename: IdRenaming): T;
  /**
   * `v` as seen from one id of the set `name`, the same whatever the other ids of that set are
   * called: `id` becomes 0 and every other id of the set 1; a table indexed by the set becomes
   * [its element for `id`, the sorted list of the others]; sets and maps become sorted lists. Two
   * ids with different signatures play different roles (symmetry reduction sorts ids by them).
   */
  signature(v: T, name: string, id: number): Value;
  /** The shape of the type as plain data, for code that compiles per type (fingerprints, codecs). */
  layout(): Layout;
}

/** A type's shape as plain data. */
export type Layout =
  | { readonly kind: "bool" | "bigint" | "string" | "value" }
  | { readonly kind: "int"; readonly min: number; readonly max: number }
  | { readonly kind: "ids"; readonly name: string; readonly count: number }
  | { readonly kind: "literal"; readonly value: Primitive }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly element: Type<unknown> }
  | { readonly kind: "table"; readonly index: { readonly name: string; readonly count: number }; readonly element: Type<unknown> }
  | { readonly kind: "tuple"; readonly elements: readonly Type<unknown>[] }
  | { readonly kind: "record"; readonly fields: readonly Field[] }
  | { readonly kind: "union"; readonly members: readonly Type<unknown>[]; readonly tag: { readonly key: string; readonly values: readonly Primitive[] } | undefined }
  | { readonly kind: "set"; readonly element: Type<unknown> }
  | { readonly kind: "map"; readonly key: Type<unknown>; readonly value: Type<unknown> };

export type Infer<X> = X extends Type<infer T> ? T : never;

/** Throws a ValueError if `v` is not a value of type `type`. */
export function assertType<T>(type: Type<T>, v: unknown, path: string): asserts v is T {
  const p = type.check(v, path);
  if (p) throw new ValueError(p.path, p.problem);
}

const DOMAIN_LIMIT = 1 << 20;

function mismatch(path: string, expected: string, v: unknown): Problem {
  const found = isValue(v) ? formatValue(v, { maxLength: 60 }) : describeUnknown(v);
  return { path, problem: `should be ${expected}, but is ${found}` };
}

function describeUnknown(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "an object";
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function itfFail(p: Problem): never {
  throw new TraceFormatError(p.path, p.problem);
}

const NO_IDS: ReadonlyMap<string, number> = new Map();

/** The id sets of several types together; one name must always mean one size. */
function mergeIdSets(types: readonly Type<unknown>[], extra: readonly [string, number][] = []): ReadonlyMap<string, number> {
  const merged = new Map<string, number>(extra);
  for (const type of types) {
    for (const [name, count] of type.idSets) {
      const known = merged.get(name);
      if (known !== undefined && known !== count) throw new ValueError(`t.ids("${name}")`, `is used with ${known} ids and with ${count}; one name must mean one set of ids`);
      merged.set(name, count);
    }
  }
  return merged.size === 0 ? NO_IDS : merged;
}

function sortedValues(xs: Value[]): Value[] {
  return xs.sort(compareValues);
}

/** A child's problem, seen from its parent: the child's position prefixed to its path. */
function at(suffix: string, p: Problem): Problem {
  return { path: suffix + p.path, problem: p.problem };
}

abstract class BaseType<T> implements Type<T> {
  abstract readonly description: string;
  readonly idSets: ReadonlyMap<string, number> = NO_IDS;

  get idNames(): readonly string[] {
    return [...this.idSets.keys()];
  }

  /** True when no id of the set `name` can occur in values of this type (nothing to rename). */
  protected without(name: string): boolean {
    return !this.idSets.has(name);
  }

  signature(v: T, _name: string, _id: number): Value {
    return v as Value;
  }
  abstract find(v: unknown): Problem | undefined;
  abstract layout(): Layout;

  check(v: unknown, path: string): Problem | undefined {
    const p = this.find(v);
    return p && at(path, p);
  }

  domain(): readonly T[] | undefined {
    return undefined;
  }

  toItf(v: T): ItfValue {
    return valueToItf(v as Value);
  }

  fromItf(json: unknown, path: string): T {
    const v = valueFromItf(json, path);
    const p = this.check(v, path);
    if (p) itfFail(p);
    return v as T;
  }

  mapIds(v: T, _rename: IdRenaming): T {
    return v;
  }

}

class BoolType extends BaseType<boolean> {
  readonly description = "boolean";
  layout(): Layout {
    return { kind: "bool" };
  }
  find(v: unknown) {
    return typeof v === "boolean" ? undefined : mismatch("", "a boolean", v);
  }
  override domain() {
    return [false, true];
  }
}

class IntType extends BaseType<number> {
  readonly description: string;
  constructor(
    readonly min = Number.MIN_SAFE_INTEGER,
    readonly max = Number.MAX_SAFE_INTEGER,
  ) {
    super();
    const bounded = min !== Number.MIN_SAFE_INTEGER || max !== Number.MAX_SAFE_INTEGER;
    this.description = !bounded ? "int" : max === Number.MAX_SAFE_INTEGER ? `int ≥ ${min}` : `${min}..${max}`;
  }
  layout(): Layout {
    return { kind: "int", min: this.min, max: this.max };
  }
  find(v: unknown) {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < this.min || v > this.max) {
      return mismatch("", this.description === "int" ? "an integer" : `an integer in ${this.description}`, v);
    }
    return undefined;
  }
  override domain() {
    const size = this.max - this.min + 1;
    if (size > DOMAIN_LIMIT) return undefined;
    return Array.from({ length: size }, (_, i) => this.min + i);
  }
  override toItf(v: number) {
    return integerToItf(v);
  }
  override fromItf(json: unknown, path: string) {
    const n = itfInteger(json, path);
    const v = Number(n);
    const p = BigInt(v) === n ? this.check(v, path) : mismatch(path, "a safe integer", n);
    if (p) itfFail(p);
    return v;
  }
}

class IdsType extends IntType {
  override readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  constructor(
    readonly name: string,
    readonly count: number,
  ) {
    super(0, count - 1);
    if (!Number.isSafeInteger(count) || count < 1) throw new ValueError(`t.ids("${name}")`, `count should be a positive integer, but is ${count}`);
    this.description = name;
    this.idSets = new Map([[name, count]]);
  }
  override signature(v: number, name: string, id: number): Value {
    return name !== this.name ? v : v === id ? 0 : 1;
  }
  override layout(): Layout {
    return { kind: "ids", name: this.name, count: this.count };
  }
  override find(v: unknown) {
    return super.find(v) && mismatch("", `an id of ${this.name} (0..${this.count - 1})`, v);
  }
  override mapIds(v: number, rename: IdRenaming) {
    return rename(this.name, v);
  }
}

class BigIntType extends BaseType<bigint> {
  readonly description = "bigint";
  layout(): Layout {
    return { kind: "bigint" };
  }
  find(v: unknown) {
    return typeof v === "bigint" ? undefined : mismatch("", "a bigint", v);
  }
  override fromItf(json: unknown, path: string) {
    return itfInteger(json, path);
  }
}

class StringType extends BaseType<string> {
  readonly description = "string";
  layout(): Layout {
    return { kind: "string" };
  }
  find(v: unknown) {
    return typeof v === "string" ? undefined : mismatch("", "a string", v);
  }
}

class LiteralType<L extends Primitive> extends BaseType<L> {
  readonly description: string;
  constructor(readonly literal: L) {
    super();
    this.description = formatValue(literal);
  }
  layout(): Layout {
    return { kind: "literal", value: this.literal };
  }
  find(v: unknown) {
    return v === this.literal ? undefined : mismatch("", this.description, v);
  }
  override domain() {
    return [this.literal];
  }
}

class EnumType<E extends string> extends BaseType<E> {
  readonly description: string;
  private readonly members: ReadonlySet<string>;
  constructor(readonly values: readonly E[]) {
    super();
    this.members = new Set(values);
    this.description = values.map((x) => JSON.stringify(x)).join(" | ");
  }
  layout(): Layout {
    return { kind: "enum", values: this.values };
  }
  find(v: unknown) {
    return typeof v === "string" && this.members.has(v) ? undefined : mismatch("", `one of ${this.description}`, v);
  }
  override domain() {
    return this.values;
  }
}

class AnyValueType extends BaseType<Value> {
  readonly description = "value";
  layout(): Layout {
    return { kind: "value" };
  }
  find(v: unknown) {
    try {
      checkValue(v, "");
      return undefined;
    } catch (e) {
      if (e instanceof ValueError) return { path: e.path, problem: e.problem };
      throw e;
    }
  }
}

function findInElements(xs: readonly unknown[], element: Type<unknown>, suffixOf: (i: number) => string): Problem | undefined {
  for (let i = 0; i < xs.length; i++) {
    const p = element.find(xs[i]);
    if (p) return at(suffixOf(i), p);
  }
  return undefined;
}

class ArrayType<T> extends BaseType<T[]> {
  readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  constructor(readonly element: Type<T>) {
    super();
    this.description = `${wrapped(element)}[]`;
    this.idSets = element.idSets;
  }
  layout(): Layout {
    return { kind: "array", element: this.element };
  }
  override signature(v: T[], name: string, id: number): Value {
    return this.without(name) ? (v as Value) : v.map((x) => this.element.signature(x, name, id));
  }
  find(v: unknown) {
    if (!Array.isArray(v)) return mismatch("", `a list ${this.description}`, v);
    return findInElements(v, this.element, (i) => `[${i}]`);
  }
  override toItf(v: T[]) {
    return v.map((x) => this.element.toItf(x));
  }
  override fromItf(json: unknown, path: string) {
    return itfArray(json, path, "list").map((x, i) => this.element.fromItf(x, jsonPath(path, i)));
  }
  override mapIds(v: T[], rename: IdRenaming) {
    return this.idSets.size === 0 ? v : v.map((x) => this.element.mapIds(x, rename));
  }
}

/** One element per id of an id set: position i belongs to id i, so renaming ids moves elements. */
class TableType<T> extends ArrayType<T> {
  override readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  constructor(
    readonly index: IdsType,
    element: Type<T>,
  ) {
    super(element);
    this.description = `${wrapped(element)}[${index.name}]`;
    this.idSets = mergeIdSets([index, element]);
  }
  override layout(): Layout {
    return { kind: "table", index: { name: this.index.name, count: this.index.count }, element: this.element };
  }
  override signature(v: T[], name: string, id: number): Value {
    if (name !== this.index.name) return super.signature(v, name, id);
    const others = v.flatMap((x, i) => (i === id ? [] : [this.element.signature(x, name, id)]));
    return [this.element.signature(v[id]!, name, id), sortedValues(others)];
  }
  override find(v: unknown) {
    if (Array.isArray(v) && v.length !== this.index.count) {
      return { path: "", problem: `should have one element per ${this.index.name} (${this.index.count}), but has ${v.length}` };
    }
    return super.find(v);
  }
  override mapIds(v: T[], rename: IdRenaming) {
    const out = new Array<T>(v.length);
    v.forEach((x, i) => (out[rename(this.index.name, i)] = this.element.mapIds(x, rename)));
    return out;
  }
}

function product<T>(factors: readonly (readonly unknown[])[], build: (picks: unknown[]) => T): T[] | undefined {
  const size = factors.reduce((n, f) => n * f.length, 1);
  if (size > DOMAIN_LIMIT) return undefined;
  let picks: unknown[][] = [[]];
  for (const f of factors) picks = picks.flatMap((p) => f.map((x) => [...p, x]));
  return picks.map(build);
}

type Types = readonly Type<unknown>[];
type InferAll<Ts extends Types> = { -readonly [I in keyof Ts]: Infer<Ts[I]> };

class TupleType<Ts extends Types> extends BaseType<InferAll<Ts>> {
  readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  constructor(readonly elements: Ts) {
    super();
    this.description = `[${elements.map((e) => e.description).join(", ")}]`;
    this.idSets = mergeIdSets(elements);
  }
  layout(): Layout {
    return { kind: "tuple", elements: this.elements };
  }
  override signature(v: InferAll<Ts>, name: string, id: number): Value {
    return this.without(name) ? (v as Value) : this.elements.map((e, i) => e.signature(v[i], name, id));
  }
  find(v: unknown) {
    if (!Array.isArray(v) || v.length !== this.elements.length) return mismatch("", `a tuple ${this.description}`, v);
    for (let i = 0; i < v.length; i++) {
      const p = this.elements[i]!.find(v[i]);
      if (p) return at(`[${i}]`, p);
    }
    return undefined;
  }
  override domain() {
    const factors = this.elements.map((e) => e.domain());
    if (factors.some((f) => f === undefined)) return undefined;
    return product(factors as unknown[][], (picks) => picks as InferAll<Ts>);
  }
  override toItf(v: InferAll<Ts>) {
    return { "#tup": this.elements.map((e, i) => e.toItf(v[i])) };
  }
  override fromItf(json: unknown, path: string) {
    const xs = itfArray(json, path, "#tup");
    if (xs.length !== this.elements.length) itfFail({ path, problem: `should be a tuple of ${this.elements.length}, but has ${xs.length} elements` });
    return xs.map((x, i) => this.elements[i]!.fromItf(x, jsonPath(jsonPath(path, "#tup"), i))) as InferAll<Ts>;
  }
  override mapIds(v: InferAll<Ts>, rename: IdRenaming) {
    return this.idSets.size === 0 ? v : (this.elements.map((e, i) => e.mapIds(v[i], rename)) as InferAll<Ts>);
  }
}

/** Marks a record field that may be absent. */
export class Optional<T> {
  readonly optional = true;
  constructor(readonly type: Type<T>) {}
}

export type Fields = { readonly [key: string]: Type<unknown> | Optional<unknown> };
type OptionalKeys<F> = { [K in keyof F]: F[K] extends Optional<unknown> ? K : never }[keyof F];
type RequiredKeys<F> = Exclude<keyof F, OptionalKeys<F>>;
type InferField<X> = X extends Optional<infer T> ? T : Infer<X>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type RecordOf<F extends Fields> = Simplify<
  { -readonly [K in RequiredKeys<F>]: InferField<F[K]> } & { -readonly [K in OptionalKeys<F>]?: InferField<F[K]> }
>;

export interface Field {
  readonly key: string;
  readonly type: Type<unknown>;
  readonly optional: boolean;
}

export class RecordType<F extends Fields> extends BaseType<RecordOf<F>> {
  readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  readonly fieldList: readonly Field[];
  private readonly byKey: ReadonlyMap<string, Field>;

  private readonly build: (s: object, patch: object) => RecordOf<F>;

  constructor(readonly fields: F) {
    super();
    this.fieldList = Object.entries(fields).map(([key, f]) =>
      f instanceof Optional ? { key, type: f.type, optional: true } : { key, type: f, optional: false },
    );
    this.build = compileWith(this.fieldList) as (s: object, patch: object) => RecordOf<F>;
    this.byKey = new Map(this.fieldList.map((f) => [f.key, f]));
    const shown = this.fieldList.map((f) => `${f.key}${f.optional ? "?" : ""}: ${f.type.description}`);
    this.description = shown.length === 0 ? "{}" : `{ ${shown.join(", ")} }`;
    this.idSets = mergeIdSets(this.fieldList.map((f) => f.type));
    for (const f of this.fieldList) {
      if (f.key.startsWith("#")) throw new ValueError(`t.record field "${f.key}"`, "starts with '#', which ITF reserves");
    }
  }

  layout(): Layout {
    return { kind: "record", fields: this.fieldList };
  }

  /**
   * A copy of `s` with the fields of `patch` replaced, or `s` itself if nothing changes (explorers
   * skip such self-loops without hashing them). Prefer it to `{ ...s, x }` in `next` functions: it
   * builds every record of this type with one object shape, which V8 handles an order of magnitude
   * faster than repeated spreads.
   */
  with(s: RecordOf<F>, patch: Partial<RecordOf<F>>): RecordOf<F> {
    return this.build(s, patch);
  }

  /** A compiled `(s, v) => s with field key = v`, for code that replaces one field at a time. */
  setter(key: keyof F & string): (s: RecordOf<F>, v: unknown) => RecordOf<F> {
    if (!this.byKey.has(key)) throw new ValueError(`setter("${key}")`, `is not a field of ${this.description}`);
    if (this.fieldList.some((f) => f.optional)) {
      const build = this.build;
      return (s, v) => build(s, { [key]: v });
    }
    const fields = this.fieldList.map((f) => `${JSON.stringify(f.key)}: ${f.key === key ? "v" : `s[${JSON.stringify(f.key)}]`}`);
    return new Function("s", "v", `return { ${fields.join(", ")} };`) as (s: RecordOf<F>, v: unknown) => RecordOf<F>;
  }


  find(v: unknown): Problem | undefined {
    if (typeof v !== "object" || v === null || Array.isArray(v) || !isPlainObject(v)) {
      return mismatch("", `a record ${this.description}`, v);
    }
    const rec = v as Record<string, unknown>;
    for (const key in rec) {
      if (!this.byKey.has(key)) return { path: propertyPath("", key), problem: `is not a field of ${this.description}` };
    }
    for (const f of this.fieldList) {
      const x = rec[f.key];
      if (x === undefined && !(f.key in rec)) {
        if (f.optional) continue;
        return { path: propertyPath("", f.key), problem: `is missing (a field of ${this.description})` };
      }
      const p = f.type.find(x);
      if (p) return at(propertyPath("", f.key), p);
    }
    return undefined;
  }

  override domain() {
    const factors = this.fieldList.map((f) => {
      const d = f.type.domain();
      return d && f.optional ? [ABSENT, ...d] : d;
    });
    if (factors.some((d) => d === undefined)) return undefined;
    return product(factors as unknown[][], (picks) => {
      const out: Record<string, unknown> = {};
      picks.forEach((x, i) => {
        if (x !== ABSENT) out[this.fieldList[i]!.key] = x;
      });
      return out as RecordOf<F>;
    });
  }

  override toItf(v: RecordOf<F>) {
    const out: Record<string, ItfValue> = {};
    const rec = v as Record<string, unknown>;
    for (const f of this.fieldList) if (f.key in rec) out[f.key] = f.type.toItf(rec[f.key]);
    return out;
  }

  override fromItf(json: unknown, path: string) {
    if (!isItfObject(json) || Object.keys(json).some((k) => k.startsWith("#"))) {
      itfFail({ path, problem: `should be a record ${this.description}, but is ${describeJson(json)}` });
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(json)) {
      if (!this.byKey.has(key)) itfFail({ path: jsonPath(path, key), problem: `is not a field of ${this.description}` });
    }
    for (const f of this.fieldList) {
      if (!(f.key in json)) {
        if (!f.optional) itfFail({ path: jsonPath(path, f.key), problem: `is missing (a field of ${this.description})` });
        continue;
      }
      out[f.key] = f.type.fromItf(json[f.key], jsonPath(path, f.key));
    }
    return out as RecordOf<F>;
  }

  override signature(v: RecordOf<F>, name: string, id: number): Value {
    if (this.without(name)) return v as Value;
    const rec = v as Record<string, unknown>;
    const out: Record<string, Value> = {};
    for (const f of this.fieldList) if (f.key in rec) out[f.key] = f.type.signature(rec[f.key], name, id);
    return out;
  }

  override mapIds(v: RecordOf<F>, rename: IdRenaming) {
    if (this.idSets.size === 0) return v;
    this.renamer ??= compileMapIds(this.fieldList);
    return this.renamer(v, rename) as RecordOf<F>;
  }

  /** Compiled on first use: `mapIds` building every renamed record with one object shape. */
  private renamer: ((v: object, rename: IdRenaming) => object) | undefined;
}

const ABSENT = Symbol("absent");

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Compiles `(s, patch) => record` for one record type. Generated code gives every record of the
 * type one object shape (a literal with the fields in declaration order); the keys are embedded
 * with JSON.stringify, so any field name is safe.
 */
/** `(v, rename) => v with its fields' ids renamed`, compiled: fields without ids are copied as they are. */
function compileMapIds(fields: readonly Field[]): (v: object, rename: IdRenaming) => object {
  const key = (f: Field) => JSON.stringify(f.key);
  const value = (f: Field, i: number) => (f.type.idSets.size === 0 ? `v[${key(f)}]` : `T[${i}].mapIds(v[${key(f)}], r)`);
  const required = fields.flatMap((f, i) => (f.optional ? [] : [`${key(f)}: ${value(f, i)}`]));
  const optional = fields.flatMap((f, i) => (f.optional ? [`if (v[${key(f)}] !== undefined) o[${key(f)}] = ${value(f, i)};`] : []));
  const build = new Function("T", "v", "r", `const o = { ${required.join(", ")} }; ${optional.join(" ")} return o;`);
  const types = fields.map((f) => f.type);
  return (v, rename) => build(types, v, rename) as object;
}

function compileWith(fields: readonly Field[]): (s: object, patch: object) => object {
  const key = (f: Field) => JSON.stringify(f.key);
  const picks = fields.map((f, i) => `const v${i} = p[${key(f)}] !== undefined ? p[${key(f)}] : s[${key(f)}];`);
  const unchanged = fields.map((f, i) => `v${i} === s[${key(f)}]`).join(" && ") || "true";
  const required = fields.flatMap((f, i) => (f.optional ? [] : [`${key(f)}: v${i}`]));
  const optional = fields.flatMap((f, i) => (f.optional ? [`if (v${i} !== undefined) o[${key(f)}] = v${i};`] : []));
  const body = `${picks.join(" ")} if (${unchanged}) return s; const o = { ${required.join(", ")} }; ${optional.join(" ")} return o;`;
  return new Function("s", "p", body) as (s: object, patch: object) => object;
}

class UnionType<Ts extends Types> extends BaseType<Infer<Ts[number]>> {
  readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  /** For a union of records sharing a literal field (a tagged union): that field, and member by tag. */
  private readonly tag: { key: string; members: ReadonlyMap<Primitive, Type<unknown>> } | undefined;

  constructor(readonly members: Ts) {
    super();
    this.description = members.map(wrapped).join(" | ");
    this.idSets = mergeIdSets(members);
    this.tag = findTag(members);
  }

  layout(): Layout {
    const tag = this.tag && { key: this.tag.key, values: this.members.map((m) => [...this.tag!.members].find(([, x]) => x === m)![0]) };
    return { kind: "union", members: this.members, tag };
  }

  private memberFor(v: unknown): Type<unknown> | undefined {
    if (this.tag) {
      const tagValue = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[this.tag.key] : undefined;
      return this.tag.members.get(tagValue as Primitive);
    }
    return this.members.find((m) => m.find(v) === undefined);
  }

  find(v: unknown) {
    if (this.tag) {
      const member = this.memberFor(v);
      if (member) return member.find(v);
      const tags = [...this.tag.members.keys()].map((x) => formatValue(x)).join(", ");
      return mismatch("", `a record whose ${this.tag.key} is one of ${tags}`, v);
    }
    return this.memberFor(v) ? undefined : mismatch("", this.description, v);
  }

  override domain() {
    const parts = this.members.map((m) => m.domain());
    if (parts.some((p) => p === undefined)) return undefined;
    const all = (parts as unknown[][]).flat();
    return all.length > DOMAIN_LIMIT ? undefined : (all as Infer<Ts[number]>[]);
  }

  override toItf(v: Infer<Ts[number]>) {
    return this.memberFor(v)!.toItf(v);
  }

  override fromItf(json: unknown, path: string) {
    if (this.tag) {
      const tagJson = isItfObject(json) ? json[this.tag.key] : undefined;
      const member = [...this.tag.members].find(([tag]) => valueToItfEquals(tag, tagJson))?.[1];
      if (member && !(this.tag.key === "tag" && quintSum(json))) return member.fromItf(json, path) as Infer<Ts[number]>;
      const sum = quintSum(json);
      if (sum) return this.fromQuintSum(sum, path);
    }
    for (const m of this.members) {
      try {
        return m.fromItf(json, path) as Infer<Ts[number]>;
      } catch (e) {
        if (!(e instanceof TraceFormatError)) throw e;
      }
    }
    return itfFail({ path, problem: `should be ${this.description}, but is ${describeJson(json)}` });
  }

  /** A Quint sum value ({"tag": case, "value": …}) as the record of its case. */
  private fromQuintSum(sum: QuintSum, path: string): Infer<Ts[number]> {
    const { key, members } = this.tag!;
    const member = [...members].find(([tag]) => tag === sum.tag)?.[1];
    if (!(member instanceof RecordType)) {
      const tags = [...members.keys()].map((x) => formatValue(x)).join(", ");
      return itfFail({ path: jsonPath(path, "tag"), problem: `should be one of ${tags}, but is ${JSON.stringify(sum.tag)}` });
    }
    const fields = member.fieldList.map((f) => f.key).filter((k) => k !== key);
    return member.fromItf({ [key]: sum.tag, ...caseFields(sum, fields, path) }, path) as Infer<Ts[number]>;
  }

  override mapIds(v: Infer<Ts[number]>, rename: IdRenaming) {
    return this.idSets.size === 0 ? v : (this.memberFor(v)!.mapIds(v, rename) as Infer<Ts[number]>);
  }

  override signature(v: Infer<Ts[number]>, name: string, id: number): Value {
    return this.without(name) ? (v as Value) : this.memberFor(v)!.signature(v, name, id);
  }

}

function valueToItfEquals(v: Primitive, json: unknown): boolean {
  return JSON.stringify(valueToItf(v)) === JSON.stringify(json);
}

function findTag(members: Types): { key: string; members: Map<Primitive, Type<unknown>> } | undefined {
  if (members.length < 2 || !members.every((m) => m instanceof RecordType)) return undefined;
  const records = members as readonly RecordType<Fields>[];
  for (const f of records[0]!.fieldList) {
    const literals = records.map((r) => r.fieldList.find((g) => g.key === f.key && !g.optional)?.type);
    if (!literals.every((l) => l instanceof LiteralType)) continue;
    const tags = new Map<Primitive, Type<unknown>>();
    literals.forEach((l, i) => tags.set((l as LiteralType<Primitive>).literal, records[i]!));
    if (tags.size === records.length) return { key: f.key, members: tags };
  }
  return undefined;
}

class SetType<T extends Value> extends BaseType<ISet<T>> {
  readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  constructor(readonly element: Type<T>) {
    super();
    this.description = `Set<${element.description}>`;
    this.idSets = element.idSets;
  }
  layout(): Layout {
    return { kind: "set", element: this.element };
  }
  override signature(v: ISet<T>, name: string, id: number): Value {
    return this.without(name) ? v : sortedValues(v.toArray().map((x) => this.element.signature(x, name, id)));
  }
  find(v: unknown) {
    if (!(v instanceof ISet)) return mismatch("", `an ISet ${this.description}`, v);
    return findInElements(v.toArray(), this.element, (i) => `.elements[${i}]`);
  }
  override toItf(v: ISet<T>) {
    return { "#set": v.toArray().map((x) => this.element.toItf(x)) };
  }
  override fromItf(json: unknown, path: string) {
    return ISet.from(itfArray(json, path, "#set").map((x, i) => this.element.fromItf(x, jsonPath(jsonPath(path, "#set"), i))));
  }
  override mapIds(v: ISet<T>, rename: IdRenaming) {
    return this.idSets.size === 0 ? v : v.map((x) => this.element.mapIds(x, rename));
  }
}

class MapType<K extends Value, V extends Value> extends BaseType<IMap<K, V>> {
  readonly description: string;
  override readonly idSets: ReadonlyMap<string, number>;
  constructor(
    readonly key: Type<K>,
    readonly value: Type<V>,
  ) {
    super();
    this.description = `Map<${key.description}, ${value.description}>`;
    this.idSets = mergeIdSets([key, value]);
  }
  layout(): Layout {
    return { kind: "map", key: this.key, value: this.value };
  }
  override signature(v: IMap<K, V>, name: string, id: number): Value {
    if (this.without(name)) return v;
    return sortedValues([...v].map(([k, x]) => [this.key.signature(k, name, id), this.value.signature(x, name, id)]));
  }
  find(v: unknown) {
    if (!(v instanceof IMap)) return mismatch("", `an IMap ${this.description}`, v);
    let i = 0;
    for (const [k, x] of v) {
      const pk = this.key.find(k);
      if (pk) return at(`.keys[${i}]`, pk);
      const px = this.value.find(x);
      if (px) return at(`.get(${formatValue(k)})`, px);
      i++;
    }
    return undefined;
  }
  override toItf(v: IMap<K, V>) {
    return { "#map": [...v].map(([k, x]) => [this.key.toItf(k), this.value.toItf(x)]) };
  }
  override fromItf(json: unknown, path: string) {
    return IMap.from(itfMapEntries(json, path).map(([k, x, at]) => [this.key.fromItf(k, jsonPath(at, 0)), this.value.fromItf(x, jsonPath(at, 1))]));
  }
  override mapIds(v: IMap<K, V>, rename: IdRenaming) {
    if (this.idSets.size === 0) return v;
    return IMap.from([...v].map(([k, x]) => [this.key.mapIds(k, rename), this.value.mapIds(x, rename)]));
  }
}

function wrapped(type: Type<unknown>): string {
  return type instanceof UnionType ? `(${type.description})` : type.description;
}

type VariantCases = { readonly [tag: string]: Fields };
type VariantOf<K extends string, C extends VariantCases> = {
  [Tag in keyof C & string]: Simplify<{ -readonly [P in K]: Tag } & RecordOf<C[Tag]>>;
}[keyof C & string];

/** The value-type constructors. */
export const t = {
  bool: (): Type<boolean> => new BoolType(),
  /** An integer, optionally within inclusive bounds. */
  int: (min?: number, max?: number): Type<number> => new IntType(min, max),
  bigint: (): Type<bigint> => new BigIntType(),
  string: (): Type<string> => new StringType(),
  literal: <const L extends Primitive>(literal: L): Type<L> => new LiteralType(literal),
  enum: <const E extends readonly string[]>(...values: E): Type<E[number]> => new EnumType(values),
  /** `count` interchangeable ids 0..count-1 (a scalarset): symmetry reduction may permute them. */
  ids: (name: string, count: number): IdsType => new IdsType(name, count),
  array: <T>(element: Type<T>): Type<T[]> => new ArrayType(element),
  /** A list with one element per id of `index`; renaming ids moves the elements. */
  table: <T>(index: IdsType, element: Type<T>): Type<T[]> => new TableType(index, element),
  tuple: <const Ts extends Types>(...elements: Ts): Type<InferAll<Ts>> => new TupleType(elements),
  record: <const F extends Fields>(fields: F): RecordType<F> => new RecordType(fields),
  optional: <T>(type: Type<T>): Optional<T> => new Optional(type),
  union: <const Ts extends Types>(...members: Ts): Type<Infer<Ts[number]>> => new UnionType(members),
  /** A tagged union of records: `t.variant("type", { Commit: {}, Prepared: { rm: RM } })`. */
  variant: <const K extends string, const C extends VariantCases>(key: K, cases: C): Type<VariantOf<K, C>> =>
    new UnionType(
      Object.entries(cases).map(([tag, fields]) => new RecordType({ [key]: new LiteralType(tag), ...fields })),
    ) as unknown as Type<VariantOf<K, C>>,
  set: <T extends Value>(element: Type<T>): Type<ISet<T>> => new SetType(element),
  map: <K extends Value, V extends Value>(key: Type<K>, value: Type<V>): Type<IMap<K, V>> => new MapType(key, value),
  /** Any canonical value. */
  value: (): Type<Value> => new AnyValueType(),
};

export type { IdsType };
