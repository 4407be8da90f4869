// Executions as ITF traces (the Informal Trace Format that Apalache and Quint write), so that a
// Troupe counterexample opens in the tools users already have, and a trace file replays here.
//
// The state variables of a trace are the fields of the automaton's state record (for a
// composition: one per component). Each state also records the action that produced it, in the
// variables Quint uses for model-based testing: `mbt::actionTaken` holds the action name ("init"
// for the first state) and `mbt::nondetPicks` its parameters, each as `{"tag": "Some", "value": v}`.
// Every trace Troupe writes validates against `trace.schema.json`; reading checks the schema first
// and then the types, and a failure names the JSON path.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020, ErrorObject } from "ajv/dist/2020.js";
import type { Action, Params } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { withLines } from "./json-locate.ts";
import { TraceFormatError } from "./errors.ts";
import type { Execution, Lasso } from "./execution.ts";
import { jsonPath, type ItfValue } from "./itf-value.ts";
import { RecordType, type Type } from "./types.ts";
import schema from "./trace.schema.json" with { type: "json" };

export const ACTION_VAR = "mbt::actionTaken";
export const PICKS_VAR = "mbt::nondetPicks";
export const INIT_ACTION = "init";
const FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html";

export interface TraceMeta {
  readonly source?: string;
  readonly status?: "ok" | "violation" | "error";
  readonly description?: string;
  readonly troupe?: {
    readonly model?: string;
    readonly params?: Record<string, unknown>;
    readonly seed?: number;
    readonly property?: string;
    readonly reason?: string;
  };
}

export interface ItfTrace {
  readonly "#meta": Record<string, unknown>;
  readonly vars: readonly string[];
  readonly states: readonly Record<string, unknown>[];
  readonly loop?: number;
}

/** The state variables of an automaton: its state record's fields, or a single `state`. */
function stateVars(type: Type<unknown>): readonly string[] | undefined {
  return type instanceof RecordType ? type.fieldList.map((f) => f.key) : undefined;
}

export function toItf<S, A extends Action>(automaton: Automaton<S, A>, execution: Execution<S, A>, meta: TraceMeta = {}): ItfTrace {
  const fields = stateVars(automaton.stateType);
  const vars = fields ?? ["state"];
  const paramTypes = new Map<string, ReadonlyMap<string, Type<unknown>> | undefined>();
  const paramsOf = (name: string) => {
    if (!paramTypes.has(name)) paramTypes.set(name, paramFields(automaton, name));
    return paramTypes.get(name);
  };
  const states = execution.states.map((s, i) => {
    const itf = automaton.stateType.toItf(s);
    const values = fields ? (itf as Record<string, ItfValue>) : { state: itf };
    const a = i === 0 ? undefined : execution.actions[i - 1]!;
    return { "#meta": { index: i }, ...values, [ACTION_VAR]: a ? a.name : INIT_ACTION, [PICKS_VAR]: a ? picksToItf(paramsOf(a.name), a) : {} };
  });
  return {
    "#meta": {
      format: "ITF",
      "format-description": FORMAT_DESCRIPTION,
      ...(meta.source !== undefined && { source: meta.source }),
      status: meta.status ?? "ok",
      description: meta.description ?? `Created by Troupe from ${automaton.name}`,
      troupe: { automaton: automaton.name, ...meta.troupe },
    },
    vars: [...vars, ACTION_VAR, PICKS_VAR],
    states,
    ...(isLasso(execution) && { loop: execution.loop }),
  };
}

/** A lasso's `loop` is the index of the state the trace returns to: its last state is that state again. */
function isLasso<S, A extends Action>(execution: Execution<S, A>): execution is Lasso<S, A> {
  return typeof (execution as Partial<Lasso<S, A>>).loop === "number";
}

function picksToItf(fields: ReadonlyMap<string, Type<unknown>> | undefined, a: Action): Record<string, ItfValue> {
  const picks: Record<string, ItfValue> = {};
  for (const [key, value] of Object.entries(a)) {
    if (key === "name") continue;
    const type = fields?.get(key);
    picks[key] = { tag: "Some", value: type ? type.toItf(value) : (value as ItfValue) };
  }
  return picks;
}

function paramFields(automaton: Automaton<unknown, Action>, name: string): ReadonlyMap<string, Type<unknown>> | undefined {
  const params = automaton.actions.get(name)?.params;
  return params instanceof RecordType ? new Map(params.fieldList.map((f) => [f.key, f.type])) : undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * The schema's validator, loaded and compiled when first needed (compiling it costs a tenth of a
 * second, and loading Ajv's eighty modules a little less, of every start-up that never reads or
 * writes a trace).
 */
let compiled: ReturnType<Ajv2020["compile"]> | undefined;
function validator(): ReturnType<Ajv2020["compile"]> {
  if (compiled) return compiled;
  const { Ajv2020 } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  return (compiled = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema));
}

function pointerToPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, seg) => jsonPath(path, /^\d+$/.test(seg) ? Number(seg) : seg), "$");
}

function describeSchemaError(e: ErrorObject): string {
  switch (e.keyword) {
    case "required":
      return `is missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    case "additionalProperties":
      return `has an unexpected field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case "propertyNames":
      return `has a field "${(e.params as { propertyName: string }).propertyName}" that may not start with '#'`;
    case "if":
      return "is not an ITF value";
    case "type": {
      const types = String((e.params as { type: string | string[] }).type).split(",");
      return `should be ${types.map((x) => `${/^[aeiou]/.test(x) ? "an" : "a"} ${x}`).join(" or ")}`;
    }
    case "const":
      return `should be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    default:
      return e.message ?? `fails the ${e.keyword} rule of the trace schema`;
  }
}

/** Checks `json` against the trace schema; throws a TraceFormatError naming the JSON path. */
export function checkItfSchema(json: unknown, file?: string): asserts json is ItfTrace {
  const validate = validator();
  if (validate(json)) return;
  const errors = validate.errors ?? [];
  const deepest = errors.filter((e) => e.keyword !== "if").reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a), errors[0]!);
  throw new TraceFormatError(pointerToPath(deepest.instancePath), describeSchemaError(deepest), file);
}

/** Reads an ITF trace of `automaton` back into an execution, checking schema, variables and types. */
export function fromItf<S, A extends Action>(automaton: Automaton<S, A>, json: unknown, file?: string): Execution<S, A> {
  try {
    checkItfSchema(json, file);
    return decodeTrace(automaton, json);
  } catch (e) {
    if (e instanceof TraceFormatError && e.file === undefined && file !== undefined) throw new TraceFormatError(e.path, e.problem, file);
    throw e;
  }
}

function decodeTrace<S, A extends Action>(automaton: Automaton<S, A>, trace: ItfTrace): Execution<S, A> {
  const vars = stateVars(automaton.stateType);
  const expected = vars ?? ["state"];
  const declared = trace.vars.filter((v) => v !== ACTION_VAR && v !== PICKS_VAR);
  const missing = expected.find((v) => !declared.includes(v));
  if (missing !== undefined) throw new TraceFormatError("$.vars", `is missing "${missing}", a state variable of ${automaton.name}`);
  const extra = declared.find((v) => !expected.includes(v));
  if (extra !== undefined) throw new TraceFormatError("$.vars", `lists "${extra}", which is not a state variable of ${automaton.name}`);
  const states = trace.states.map((st, i) => decodeState(automaton, st, jsonPath("$.states", i), vars));
  const actions = trace.states.slice(1).map((st, i) => decodeAction(automaton, st, jsonPath("$.states", i + 1)));
  const first = trace.states[0]![ACTION_VAR];
  if (first !== undefined && first !== INIT_ACTION) throw new TraceFormatError(jsonPath(jsonPath("$.states", 0), ACTION_VAR), `should be "${INIT_ACTION}" in the first state`);
  if (trace.loop === undefined) return { states, actions };
  const lasso: Lasso<S, A> = { states, actions, loop: trace.loop };
  return lasso;
}

function decodeState<S>(automaton: Automaton<S, Action>, st: Record<string, unknown>, path: string, vars: readonly string[] | undefined): S {
  for (const v of vars ?? ["state"]) {
    if (!(v in st)) throw new TraceFormatError(path, `is missing the variable "${v}"`);
  }
  if (!vars) return automaton.stateType.fromItf(st.state, jsonPath(path, "state"));
  const record: Record<string, unknown> = {};
  for (const v of vars) record[v] = st[v];
  return automaton.stateType.fromItf(record, path);
}

function decodeAction<A extends Action>(automaton: Automaton<unknown, A>, st: Record<string, unknown>, path: string): A {
  const name = recordedAction(st, path);
  const info = automaton.actions.get(name);
  if (!info) throw new TraceFormatError(jsonPath(path, ACTION_VAR), `"${name}" is not an action of ${automaton.name}`);
  const fields = paramFields(automaton, name);
  const params = info.params.fromItf(actionPicks(st, path, fields && [...fields.keys()]), jsonPath(path, PICKS_VAR)) as Params;
  return { name, ...params } as A;
}

/**
 * The name of the action that produced a state. The ITF spec makes Quint's mbt variables optional,
 * but without them there is nothing to replay.
 */
export function recordedAction(st: Record<string, unknown>, path: string): string {
  const name = st[ACTION_VAR];
  if (typeof name === "string") return name;
  throw new TraceFormatError(path, `does not record the action that produced it ("${ACTION_VAR}"); to replay or validate a trace Quint writes, run it with \`quint run --mbt --out-itf …\``);
}

/**
 * The action's parameters from `mbt::nondetPicks`: the picks that were made ({"tag": "Some"}),
 * among them only the action's own parameters when they are known (Quint records every `nondet`
 * of the step, also those the action taken does not use).
 */
export function actionPicks(st: Record<string, unknown>, path: string, params: readonly string[] | undefined): Record<string, unknown> {
  const picks = (st[PICKS_VAR] ?? {}) as Record<string, { tag: string; value: unknown }>;
  const out: Record<string, unknown> = {};
  for (const [k, pick] of Object.entries(picks)) {
    if (pick.tag === "Some" && (params === undefined || params.includes(k))) out[k] = pick.value;
  }
  return out;
}

export function writeItfFile(file: string, trace: ItfTrace): void {
  writeFileSync(file, `${JSON.stringify(trace, null, 2)}\n`);
}

/** Reads and decodes a trace file; every problem is a TraceFormatError naming the file and the JSON path. */
export function readItfFile<S, A extends Action>(automaton: Automaton<S, A>, file: string): Execution<S, A> {
  const text = readFileSync(file, "utf8");
  return withLines(text, file, () => fromItf(automaton, parseJson(text, file), file));
}

export function parseJsonFile(file: string): unknown {
  return parseJson(readFileSync(file, "utf8"), file);
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TraceFormatError("$", `is not JSON: ${(e as Error).message}`, file);
  }
}
