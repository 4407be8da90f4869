// Quint's sum types in ITF: `Prepared(0)` is {"tag": "Prepared", "value": {"#bigint": "0"}}, a case
// without data carries the unit value ({"#tup": []}, which Apalache writes as {"tag": "UNIT"}).
// Troupe's variants are records with a discriminator field instead ({"type": "Prepared", "rm": 0}),
// so reading a Quint sum as a `t.variant` maps its value onto the case's fields: nothing for unit,
// a record's fields by name, or the single field of a case that has one.

import { TraceFormatError } from "./errors.ts";
import { describeJson, isItfObject, jsonPath } from "./itf-value.ts";

export interface QuintSum {
  readonly tag: string;
  readonly value: unknown;
}

/** Quint's (or Apalache's) unit value. */
export function isItfUnit(json: unknown): boolean {
  if (!isItfObject(json)) return false;
  const keys = Object.keys(json);
  if (keys.length !== 1) return false;
  return (Array.isArray(json["#tup"]) && json["#tup"].length === 0) || json.tag === "UNIT";
}

/** `json` as a Quint sum value, or undefined if it is not one. */
export function quintSum(json: unknown): QuintSum | undefined {
  if (!isItfObject(json) || typeof json.tag !== "string") return undefined;
  const keys = Object.keys(json);
  if (keys.length === 2 && "value" in json) return { tag: json.tag, value: json.value };
  if (keys.length === 1 && json.tag !== "UNIT") return { tag: json.tag, value: { "#tup": [] } };
  return undefined;
}

/** The fields of a variant case, from the value a Quint sum carries for it. */
export function caseFields(sum: QuintSum, fields: readonly string[], path: string): Record<string, unknown> {
  const { tag, value } = sum;
  if (isItfUnit(value)) {
    if (fields.length === 0) return {};
    throw new TraceFormatError(jsonPath(path, "value"), `the case ${tag} carries nothing here, but has fields ${fields.join(", ")}`);
  }
  const isRecord = isItfObject(value) && Object.keys(value).every((k) => !k.startsWith("#"));
  if (isRecord && fields.length > 0 && Object.keys(value).every((k) => fields.includes(k))) return value;
  if (fields.length === 1) return { [fields[0]!]: value };
  const expected = fields.length === 0 ? "no value (unit)" : `a record with fields ${fields.join(", ")}`;
  throw new TraceFormatError(jsonPath(path, "value"), `the case ${tag} should carry ${expected}, but carries ${describeJson(value)}`);
}
