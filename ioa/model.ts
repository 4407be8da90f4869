// Models: an automaton, its named properties, and the parameters it is built from.
//
// A model module's default export is `model({ name, params: { rms: 3 }, build })`. Parameters have
// defaults whose types (integer, boolean, string) decide how `--param k=v` is read.

import type { Action } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { ParamError } from "./errors.ts";
import type { Properties } from "./property.ts";

export type ParamValue = number | boolean | string;
export type ParamDefaults = { readonly [name: string]: ParamValue };
type Widen<P extends ParamDefaults> = { -readonly [K in keyof P]: P[K] extends number ? number : P[K] extends boolean ? boolean : string };

export interface Built<S, A extends Action> {
  readonly automaton: Automaton<S, A>;
  readonly properties?: Properties<S, A>;
}

export interface Model<P extends ParamDefaults = ParamDefaults, S = unknown, A extends Action = Action> {
  readonly name: string;
  readonly description?: string;
  readonly params: P;
  /** One line per parameter, shown by `--help` and in errors. */
  readonly paramHelp?: { readonly [K in keyof P]?: string };
  build(params: Widen<P>): Built<S, A>;
}

export interface ModelInstance<S = unknown, A extends Action = Action> {
  readonly model: Model<ParamDefaults, S, A>;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly automaton: Automaton<S, A>;
  readonly properties: Properties<S, A>;
}

/** Pairs an automaton with its properties, typing the properties by the automaton's state and actions. */
export function withProperties<S, A extends Action>(automaton: Automaton<S, A>, properties: Properties<S, A>): Built<S, A> {
  return { automaton, properties };
}

export function model<const P extends ParamDefaults, S, A extends Action>(definition: Model<P, S, A>): Model<P, S, A> {
  for (const [k, v] of Object.entries(definition.params)) {
    if (typeof v === "number" && !Number.isSafeInteger(v)) throw new ParamError(`model ${definition.name}: parameter ${k} defaults to ${v}, not an integer`);
  }
  return definition;
}

export function isModel(x: unknown): x is Model {
  const m = x as Model | undefined;
  return typeof m === "object" && m !== null && typeof m.name === "string" && typeof m.params === "object" && typeof m.build === "function";
}

/** Reads `key=value` arguments (from repeated `--param` options) into a record. */
export function parseParamArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new ParamError(`--param expects key=value, got "${arg}"`);
    out[arg.slice(0, eq).trim()] = arg.slice(eq + 1).trim();
  }
  return out;
}

function parseParam(model: Model, name: string, raw: string | ParamValue): ParamValue {
  const fallback = model.params[name]!;
  if (typeof raw !== "string") {
    if (typeof raw !== typeof fallback) throw new ParamError(`parameter ${name} of model ${model.name} expects ${kindOf(fallback)}, got ${raw}`);
    return raw;
  }
  switch (typeof fallback) {
    case "number": {
      const n = Number(raw);
      if (raw === "" || !Number.isSafeInteger(n)) throw new ParamError(`parameter ${name} of model ${model.name} expects an integer, got "${raw}"`);
      return n;
    }
    case "boolean":
      if (raw === "true" || raw === "false") return raw === "true";
      throw new ParamError(`parameter ${name} of model ${model.name} expects true or false, got "${raw}"`);
    default:
      return raw;
  }
}

function kindOf(v: ParamValue): string {
  return typeof v === "number" ? "an integer" : typeof v === "boolean" ? "true or false" : "a string";
}

/** Builds a model with some parameters overridden; unknown names and ill-typed values are ParamErrors. */
export function instantiate<S, A extends Action>(
  model: Model<ParamDefaults, S, A>,
  overrides: Readonly<Record<string, string | ParamValue>> = {},
): ModelInstance<S, A> {
  const known = Object.keys(model.params);
  const params: Record<string, ParamValue> = { ...model.params };
  for (const [name, raw] of Object.entries(overrides)) {
    if (!(name in model.params)) {
      const list = known.length ? `its parameters are ${known.join(", ")}` : "it has no parameters";
      throw new ParamError(`model ${model.name} has no parameter "${name}"; ${list}`);
    }
    params[name] = parseParam(model, name, raw);
  }
  const built = buildWith(model, params, Object.keys(overrides));
  return { model, params, automaton: built.automaton, properties: built.properties ?? {} };
}

/**
 * Builds the model; when that fails with parameters the user set, the error names them, since a
 * value the model cannot take (rms=-3) usually surfaces deep inside its build (as t.ids("RM")).
 */
function buildWith<S, A extends Action>(model: Model<ParamDefaults, S, A>, params: Record<string, ParamValue>, set: readonly string[]) {
  try {
    return model.build(params as Widen<ParamDefaults>);
  } catch (e) {
    if (set.length === 0 || !(e instanceof Error)) throw e;
    const given = set.map((name) => `${name}=${String(params[name])}`).join(" ");
    throw new ParamError(`model ${model.name} cannot be built with ${given}: ${e.message}`, { cause: e });
  }
}
