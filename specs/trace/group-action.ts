// Reading one group action from JSON: the shared core of the JSON-lines reader and the ITF reader.
//
// Process ids are non-negative integers (JSON numbers, or ITF's {"#bigint": "…"}) or names (strings,
// numbered by a ProcessNames table shared by every file of a group); a view's
// `members` and `transitional` are sets of process ids, written as JSON arrays (or ITF's
// {"#set": […]}); a message is any value in ITF's JSON form (plain JSON for strings, integers,
// booleans, lists and records; {"#set": …}, {"#map": …}, {"#tup": …}, {"#bigint": …} for the rest).
// Every problem is a TraceFormatError naming the JSON path of the field at fault.

import { ISet, TraceFormatError, valueFromItf, type Value } from "../../ioa/index.ts";
import { GROUP_ACTIONS, type GroupAction, type GroupActionName, type ProcessId, type View } from "../group.ts";
import { ProcessNames } from "./process-names.ts";

const FIELDS: { readonly [N in GroupActionName]: readonly string[] } = {
  cast: ["p", "msg"],
  deliver: ["p", "from", "msg"],
  safe: ["p", "from", "msg"],
  view: ["p", "view"],
  crash: ["p"],
  recover: ["p"],
};

export function isGroupActionName(name: string): name is GroupActionName {
  return name in FIELDS;
}

/** The fields a group action has (besides its name). */
export function groupActionFields(name: GroupActionName): readonly string[] {
  return FIELDS[name];
}

const VIEW_FIELDS = ["id", "members", "transitional", "kind"];

function fail(path: string, problem: string): never {
  throw new TraceFormatError(path, problem);
}

function show(j: unknown): string {
  const text = j === undefined ? "missing" : JSON.stringify(j);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isObject(j: unknown): j is Record<string, unknown> {
  return typeof j === "object" && j !== null && !Array.isArray(j);
}

/** A non-negative integer: a JSON number or {"#bigint": "…"}. */
function natural(j: unknown, path: string, what: string): number {
  const raw = isObject(j) && typeof j["#bigint"] === "string" && Object.keys(j).length === 1 ? Number(j["#bigint"]) : j;
  if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 0) fail(path, `should be ${what} (a non-negative integer), but is ${show(j)}`);
  return raw;
}

/** A process id: a non-negative integer, or a name numbered by `names`. */
function processId(j: unknown, path: string, names: ProcessNames): ProcessId {
  const named = names.id(j, path);
  if (named !== undefined) return named;
  const raw = isObject(j) && typeof j["#bigint"] === "string" && Object.keys(j).length === 1 ? Number(j["#bigint"]) : j;
  if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 0) fail(path, `should be a process id (a non-negative integer or a name), but is ${show(j)}`);
  return names.integer(raw, path);
}

function processIds(j: unknown, path: string, names: ProcessNames): ISet<ProcessId> {
  const list = Array.isArray(j) ? j : isObject(j) && Array.isArray(j["#set"]) && Object.keys(j).length === 1 ? (j["#set"] as unknown[]) : undefined;
  if (!list) return fail(path, `should be a list of process ids such as [0, 1], but is ${show(j)}`);
  const ids = list.map((x, i) => processId(x, `${path}[${i}]`, names));
  const twice = ids.findIndex((x, i) => ids.indexOf(x) !== i);
  if (twice >= 0) fail(path, `lists process ${show(list[twice])} twice`);
  return ISet.from(ids);
}

function viewOf(j: unknown, path: string, names: ProcessNames): View {
  if (!isObject(j)) return fail(path, `should be a view {"id": …, "members": […]}, but is ${show(j)}`);
  const extra = Object.keys(j).find((k) => !VIEW_FIELDS.includes(k));
  if (extra !== undefined) fail(`${path}.${extra}`, `is not a field of a view (its fields are ${VIEW_FIELDS.join(", ")})`);
  if (j.kind !== undefined && j.kind !== "transitional") fail(`${path}.kind`, `should be "transitional" (or absent), but is ${show(j.kind)}`);
  return {
    id: natural(j.id, `${path}.id`, "a view id"),
    members: processIds(j.members, `${path}.members`, names),
    ...(j.transitional !== undefined && { transitional: processIds(j.transitional, `${path}.transitional`, names) }),
    ...(j.kind !== undefined && { kind: "transitional" as const }),
  };
}

/** A group action from its name and its fields (raw JSON); `path` locates the fields. */
export function decodeGroupAction(name: unknown, fields: Record<string, unknown>, path: string, namePath = `${path}.name`, names = new ProcessNames()): GroupAction<Value> {
  if (typeof name !== "string" || !(name in FIELDS)) fail(namePath, `should be one of ${GROUP_ACTIONS.join(", ")}, but is ${show(name)}`);
  const expected = FIELDS[name as GroupActionName];
  const extra = Object.keys(fields).find((k) => !expected.includes(k));
  if (extra !== undefined) fail(`${path}.${extra}`, `is not a field of ${name} (its fields are ${expected.join(", ")})`);
  const missing = expected.find((k) => !(k in fields));
  if (missing !== undefined) fail(`${path}.${missing}`, `is missing (${name} has ${expected.join(", ")})`);
  const p = processId(fields.p, `${path}.p`, names);
  switch (name as GroupActionName) {
    case "cast":
      return { name: "cast", p, msg: valueFromItf(fields.msg, `${path}.msg`) };
    case "deliver":
    case "safe":
      return { name: name as "deliver" | "safe", p, from: processId(fields.from, `${path}.from`, names), msg: valueFromItf(fields.msg, `${path}.msg`) };
    case "view":
      return { name: "view", p, view: viewOf(fields.view, `${path}.view`, names) };
    case "crash":
    case "recover":
      return { name: name as "crash" | "recover", p };
  }
}
