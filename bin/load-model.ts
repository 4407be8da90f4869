// Finding and loading a model module: a path to a .ts file, or the name of a built-in example.

import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { instantiate, isModel, parseParamArgs, TroupeError, type Model, type ModelInstance } from "../ioa/index.ts";
import { BUILT_IN_MODELS } from "./built-in-models.ts";
import { userLocation } from "./errors.ts";

/** A built-in model's name (`two-phase`, `fifo`), as opposed to a path: no slash, no extension. */
export function isModelName(spec: string): boolean {
  return !spec.includes("/") && !spec.includes("\\") && !spec.includes(".");
}

/** The model file at path `spec`, with symlinks resolved (Node loads a module from its real path, so must the package.json look-up). */
function modelFile(spec: string): string {
  const path = resolve(spec);
  if (!existsSync(path)) throw new TroupeError(`no model file at ${path}`);
  return realpathSync(path);
}

/** Node reads a .ts file as an ES module only inside a package whose package.json says so. */
function nearestPackageIsModule(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) return (JSON.parse(readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
    if (dirname(dir) === dir) return false;
  }
}

const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

export async function loadModel(spec: string): Promise<Model> {
  const module = await importModel(spec, isModelName(spec) ? builtIn(spec) : moduleFile(spec));
  if (!isModel(module.default)) {
    throw new TroupeError(`${spec}: its default export is not a model; end the file with \`export default model({ name, params, build })\``);
  }
  return module.default;
}

/** The import of built-in model `name`. */
function builtIn(name: string): () => Promise<{ default?: unknown }> {
  const load = BUILT_IN_MODELS[name];
  if (load === undefined) throw new TroupeError(`no built-in model named "${name}"; the built-in models are ${Object.keys(BUILT_IN_MODELS).join(", ")} (or give a path to a model file)`);
  return load;
}

/** The import of the model module at path `spec`, which must be an ES module. */
function moduleFile(spec: string): () => Promise<{ default?: unknown }> {
  const path = modelFile(spec);
  if (!MODULE_EXTENSIONS.some((ext) => path.endsWith(ext))) {
    throw new TroupeError(`${spec} is not a model: a model is a module (${MODULE_EXTENSIONS.join(", ")}) whose default export is model({ name, params, build })`);
  }
  if (path.endsWith(".ts") && !nearestPackageIsModule(path)) {
    throw new TroupeError(
      `${spec} would load as CommonJS, but models are ES modules: rename it to .mts, or add "type": "module" to the package.json of its folder`,
    );
  }
  return () => import(pathToFileURL(path).href) as Promise<{ default?: unknown }>;
}

/** Imports the model's module; what goes wrong while loading it is said in terms of the model file. */
async function importModel(spec: string, load: () => Promise<{ default?: unknown }>): Promise<{ default?: unknown }> {
  try {
    return await load();
  } catch (e) {
    throw new TroupeError(whyNotLoaded(spec, e), { cause: e });
  }
}

function whyNotLoaded(spec: string, e: unknown): string {
  if (!(e instanceof Error)) return `${spec} threw while loading: ${String(e)}`;
  const code = (e as { code?: string }).code;
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(e.message)?.[1];
  if (code === "ERR_MODULE_NOT_FOUND" && missing === "troupe") {
    return `${spec} imports "troupe", but Troupe is not installed for it: in the model's project run \`npm install troupe\` (or \`npm install path/to/troupe-<version>.tgz\`)`;
  }
  if (code === "ERR_MODULE_NOT_FOUND") return `${spec} imports ${missing ?? "a module"}, which cannot be found: ${e.message.split("\n")[0]}`;
  if (e.name === "TransformError" || e.name === "SyntaxError") return `${spec} does not compile: ${compileMessage(e)}`;
  const where = userLocation(e);
  return `${spec} threw while loading: ${e.name}: ${e.message}${where ? ` (at ${where})` : ""}`;
}

/** esbuild's "Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: …" → the located line. */
function compileMessage(e: Error): string {
  const located = e.message.split("\n").find((line) => /:\d+:\d+: ERROR: /.test(line));
  return located ?? e.message.split("\n")[0]!;
}

export async function loadInstance(spec: string, params: readonly string[]): Promise<ModelInstance> {
  return instantiate(await loadModel(spec), parseParamArgs(params));
}

/**
 * An instance to simulate. Patient timers (a timer waits until no packet is in flight) stand in
 * for time in the untimed checker: a timeout is longer than a round trip. The simulator has virtual
 * time, where that holds by the delays themselves, and where a busy group (heartbeats always in
 * flight) would keep a patient failure detector from ever firing: a model that has the parameter
 * runs without patience unless `patientTimers` is given.
 */
export async function loadSimulatedInstance(spec: string, params: readonly string[]): Promise<ModelInstance> {
  const model = await loadModel(spec);
  const given = parseParamArgs(params);
  const timed = "patientTimers" in model.params && !("patientTimers" in given) ? { ...given, patientTimers: "false" } : given;
  return instantiate(model, timed);
}
