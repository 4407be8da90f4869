// The JSON-lines form of a group trace, written by running nodes and read by `troupe validate`.
//
// One group action per line, as a JSON object:
//
//   {"name":"cast","p":0,"msg":{"sender":0,"seq":1},"time":1712.5}
//   {"name":"deliver","p":1,"from":0,"msg":{"sender":0,"seq":1}}
//   {"name":"safe","p":1,"from":0,"msg":{"sender":0,"seq":1}}
//   {"name":"view","p":1,"view":{"id":2,"members":[0,1],"transitional":[1]}}
//   {"name":"crash","p":2}
//   {"name":"recover","p":2}
//
// `name` is the action; `p` (and `from`) are process ids, non-negative integers or names; `msg` is any JSON
// value but null and fractions (in ITF's JSON form: a message that is a set is {"#set": […]}, an
// integer beyond 2^53 {"#bigint": "…"}; integers are read as numbers when they are safe integers,
// as ITF does without a type); a view's `members` and `transitional` set are arrays of process ids,
// `kind: "transitional"` marks a transitional configuration of extended virtual synchrony.
// `time` is optional: the recorder's clock in milliseconds (any origin; a finite number). No other
// field is allowed. Blank lines are skipped. A node's file holds its own actions in the order they
// happened; `mergeRecordings` merges the files of a group.

import { readFileSync } from "node:fs";
import { TraceFormatError, valueToItf, type Value } from "../../ioa/index.ts";
import type { GroupAction } from "../group.ts";
import { decodeGroupAction } from "./group-action.ts";
import { ProcessNames } from "./process-names.ts";
import type { RecordedEvent, Recording } from "./recorded.ts";

/** One line of the JSON-lines form (without the newline): how a running node records an action. */
export function toJsonLine(a: GroupAction<Value>, time?: number): string {
  const out: Record<string, unknown> = { name: a.name, p: a.p };
  if (a.name === "deliver" || a.name === "safe") out.from = a.from;
  if (a.name === "cast" || a.name === "deliver" || a.name === "safe") out.msg = valueToItfPlain(a.msg);
  if (a.name === "view") {
    const v = a.view;
    out.view = { id: v.id, members: v.members.toArray(), ...(v.transitional && { transitional: v.transitional.toArray() }), ...(v.kind && { kind: v.kind }) };
  }
  if (time !== undefined) out.time = time;
  return JSON.stringify(out);
}

/** ITF's JSON form, with safe integers as plain numbers (the readable form JSON lines use). */
function valueToItfPlain(v: Value): unknown {
  if (typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(valueToItfPlain);
  if (typeof v === "object" && v.constructor === Object) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, valueToItfPlain(x as Value)]));
  return valueToItf(v);
}

/** Reads a JSON-lines trace; a problem is a TraceFormatError naming the file, the line and the field. */
export function readJsonLines(file: string, text = readFileSync(file, "utf8"), names = new ProcessNames()): Recording {
  const events: RecordedEvent[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const where = `line ${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new TraceFormatError(where, `is not JSON: ${(e as Error).message}`, file);
    }
    events.push(eventFrom(json, file, where, `${file}:${i + 1}`, names));
  });
  return { file, events, skipped: new Map() };
}

function eventFrom(json: unknown, file: string, where: string, source: string, names: ProcessNames): RecordedEvent {
  try {
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new TraceFormatError("$", "should be a JSON object with a name, such as {\"name\":\"cast\",\"p\":0,\"msg\":1}");
    const { name, time, ...fields } = json as Record<string, unknown>;
    if (time !== undefined && (typeof time !== "number" || !Number.isFinite(time))) throw new TraceFormatError("$.time", `should be a number (milliseconds), but is ${JSON.stringify(time)}`);
    const action = decodeGroupAction(name, fields, "$", "$.name", names);
    return { action, source, ...(time !== undefined && { time: time as number }) };
  } catch (e) {
    if (e instanceof TraceFormatError) throw new TraceFormatError(`${where}, ${e.path}`, e.problem, file);
    throw e;
  }
}
