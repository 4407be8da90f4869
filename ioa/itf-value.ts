// Values in the Informal Trace Format (ITF, Apalache ADR-015): the JSON form of one value.
//
// Integers are always `{"#bigint": "…"}`; sets are `{"#set": […]}` and maps `{"#map": [[k, v], …]}`,
// both written in canonical order so that equal values give identical JSON; tuples are `{"#tup": …}`;
// records are JSON objects and lists are JSON arrays. This file converts without type information;
// `types.ts` refines it (tuples, exact integer kinds) when the type of a value is known.

import { TraceFormatError } from "./errors.ts";
import { IMap, ISet, type Value, type ValueRecord } from "./value.ts";

export type ItfValue = boolean | string | readonly ItfValue[] | { readonly [key: string]: ItfValue };

export function integerToItf(n: number | bigint): ItfValue {
  return { "#bigint": String(n) };
}

export function valueToItf(v: Value): ItfValue {
  switch (typeof v) {
    case "boolean":
    case "string":
      return v;
    case "number":
    case "bigint":
      return integerToItf(v);
  }
  if (Array.isArray(v)) return v.map(valueToItf);
  if (v instanceof ISet) return { "#set": v.toArray().map(valueToItf) };
  if (v instanceof IMap) return { "#map": [...v].map(([k, x]) => [valueToItf(k), valueToItf(x)]) };
  const out: Record<string, ItfValue> = {};
  for (const [k, x] of Object.entries(v as ValueRecord)) out[k] = valueToItf(x);
  return out;
}

/** Appends a key or index to a JSON path such as `$.states[2].queue`. */
export function jsonPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function fail(path: string, problem: string): never {
  throw new TraceFormatError(path, problem);
}

export function isItfObject(j: unknown): j is Record<string, unknown> {
  return typeof j === "object" && j !== null && !Array.isArray(j);
}

/** Reads an ITF integer (`{"#bigint": "…"}`, or a legacy JSON number) as a bigint. */
export function itfInteger(j: unknown, path: string): bigint {
  if (typeof j === "number") {
    if (!Number.isSafeInteger(j)) fail(path, `expected an integer, found ${j}`);
    return BigInt(j);
  }
  if (isItfObject(j) && typeof j["#bigint"] === "string" && Object.keys(j).length === 1) {
    const digits = j["#bigint"];
    if (!/^-?[0-9]+$/.test(digits)) fail(jsonPath(path, "#bigint"), `"${digits}" is not an integer`);
    return BigInt(digits);
  }
  return fail(path, `expected an integer {"#bigint": "…"}, found ${describeJson(j)}`);
}

/** An ITF integer as a number when it is a safe integer, otherwise as a bigint. */
function itfIntegerValue(j: unknown, path: string): number | bigint {
  const n = itfInteger(j, path);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Reads an ITF list-like form: a JSON array (`list`), or the array inside `{"#tup"|"#set": …}`. */
export function itfArray(j: unknown, path: string, form: "list" | "#tup" | "#set" | "#map"): unknown[] {
  if (form === "list") {
    if (!Array.isArray(j)) fail(path, `expected a list, found ${describeJson(j)}`);
    return j;
  }
  if (!isItfObject(j) || !Array.isArray(j[form]) || Object.keys(j).length !== 1) {
    fail(path, `expected {"${form}": […]}, found ${describeJson(j)}`);
  }
  return j[form] as unknown[];
}

/** Reads the `[key, value]` pairs of an ITF map. */
export function itfMapEntries(j: unknown, path: string): [unknown, unknown, string][] {
  return itfArray(j, path, "#map").map((pair, i) => {
    const at = jsonPath(jsonPath(path, "#map"), i);
    if (!Array.isArray(pair) || pair.length !== 2) fail(at, `expected a [key, value] pair, found ${describeJson(pair)}`);
    return [pair[0], pair[1], at];
  });
}

export function valueFromItf(j: unknown, path: string): Value {
  switch (typeof j) {
    case "boolean":
    case "string":
      return j;
    case "number":
      return itfIntegerValue(j, path);
  }
  if (Array.isArray(j)) return j.map((x, i) => valueFromItf(x, jsonPath(path, i)));
  if (!isItfObject(j)) return fail(path, `expected an ITF value, found ${describeJson(j)}`);
  if ("#bigint" in j) return itfIntegerValue(j, path);
  if ("#tup" in j) return itfArray(j, path, "#tup").map((x, i) => valueFromItf(x, jsonPath(jsonPath(path, "#tup"), i)));
  if ("#set" in j) return ISet.from(itfArray(j, path, "#set").map((x, i) => valueFromItf(x, jsonPath(jsonPath(path, "#set"), i))));
  if ("#map" in j) return IMap.from(itfMapEntries(j, path).map(([k, x, at]) => [valueFromItf(k, jsonPath(at, 0)), valueFromItf(x, jsonPath(at, 1))]));
  if ("#unserializable" in j) return fail(path, `holds a value its writer could not serialize, ${JSON.stringify(j["#unserializable"])}: Troupe cannot read it back`);
  // Apalache's unit value; Quint's is the empty tuple.
  if (j.tag === "UNIT" && Object.keys(j).length === 1) return [];
  const out: Record<string, Value> = {};
  for (const [k, x] of Object.entries(j)) {
    if (k.startsWith("#")) fail(jsonPath(path, k), `"${k}" is not an ITF form (expected #bigint, #tup, #set, #map)`);
    out[k] = valueFromItf(x, jsonPath(path, k));
  }
  return out;
}

export function describeJson(j: unknown): string {
  if (j === undefined) return "nothing";
  const text = JSON.stringify(j);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
