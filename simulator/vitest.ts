// Simulating your own models inside vitest, in the spirit of @fast-check/vitest: a test that runs a
// batch and, when a property breaks, fails with the shrunk counterexample and the seed that repeats
// it.
//
//   import { simulates } from "troupe/simulator/vitest";
//   simulates("two-phase keeps its RMs consistent", twoPhase, { params: { rms: 4 }, runs: 500 });
//
// or, inside a test of your own: `assertSimulation(model, options)`. A batch's seed is fresh each
// time unless you give one (`seed`, or the TROUPE_SEED environment variable); a failure says which
// seed repeats the failing run alone. With `out` (or TROUPE_SIM_OUT) the counterexample is also
// written there as ITF, with the HTML report.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import {
  diffValues,
  formatAction,
  formatChange,
  instantiate,
  isModel,
  TroupeError,
  writeItfFile,
  type Action,
  type Built,
  type Model,
  type ModelInstance,
  type ParamDefaults,
  type ParamValue,
  type Value,
} from "../ioa/index.ts";
import { simulate, type BatchOptions, type BatchResult } from "./batch.ts";
import { htmlReport } from "./report/html.ts";
import type { Run } from "./run.ts";
import { describeShrunk } from "./shrink.ts";
import { runToItf } from "./trace.ts";

export type SimulationTarget<S, A extends Action> = Model<ParamDefaults, S, A> | ModelInstance<S, A> | Built<S, A>;

export interface SimulationTestOptions<S, A extends Action> extends Omit<BatchOptions<S, A>, "automaton" | "properties"> {
  /** Parameters of a model given as a Model (not yet instantiated). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Write the counterexample (ITF) and the HTML report into this folder on failure. */
  readonly out?: string;
}

/** The batch failed: the message holds the shrunk run; `seed` repeats the failing run on its own. */
export class SimulationFailure extends Error {
  override name = "SimulationFailure";
  constructor(
    message: string,
    readonly seed: number,
    readonly batchSeed: number,
  ) {
    super(message);
  }
}

/** Runs a batch; throws a SimulationFailure when a property breaks, else returns the result. */
export function assertSimulation<S, A extends Action>(target: SimulationTarget<S, A>, options: SimulationTestOptions<S, A> = {}): BatchResult<S, A> {
  const { automaton, properties, name, params } = resolve(target, options.params);
  const seed = options.seed ?? seedFromEnvironment();
  const result = simulate({ ...options, automaton, properties, ...(seed !== undefined && { seed }) });
  if (!result.failing) return result;
  const out = options.out ?? process.env.TROUPE_SIM_OUT;
  if (out) writeFailure(out, name, params, result);
  throw new SimulationFailure(describeFailure(name, result, out), result.failing.seed, result.seed);
}

/** Registers a vitest test that simulates `target` and fails with its shrunk counterexample. */
export function simulates<S, A extends Action>(title: string, target: SimulationTarget<S, A>, options: SimulationTestOptions<S, A> = {}): void {
  test(title, () => {
    assertSimulation(target, options);
  });
}

function resolve<S, A extends Action>(target: SimulationTarget<S, A>, params: Readonly<Record<string, ParamValue>> | undefined) {
  if (isModel(target)) {
    const instance = instantiate(target, params ?? {});
    return { ...instance, name: instance.model.name, params: instance.params };
  }
  if (params !== undefined) throw new TroupeError("params apply to a model; this target is already built");
  const name = "model" in target ? target.model.name : target.automaton.name;
  return { automaton: target.automaton, properties: target.properties ?? {}, name, params: "params" in target ? target.params : {} };
}

function seedFromEnvironment(): number | undefined {
  const raw = process.env.TROUPE_SEED;
  if (raw === undefined || raw === "") return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new TroupeError(`TROUPE_SEED should be an integer, got "${raw}"`);
  return seed;
}

function describeFailure<S, A extends Action>(name: string, result: BatchResult<S, A>, out: string | undefined): string {
  const failing = result.failing!;
  const shown = result.shrunk?.run ?? failing;
  const failure = shown.failure ?? failing.failure!;
  return [
    `simulation of ${name}: ${failure.property} broke in run ${result.runs} (seed ${failing.seed}) after ${failing.execution.actions.length} steps: ${failure.message}`,
    result.shrunk ? `shrunk to ${describeShrunk(result.shrunk)}:` : "the run:",
    ...runLines(shown),
    `repeat this run alone with { seed: ${failing.seed}, runs: 1 } (or TROUPE_SEED=${failing.seed}), the whole batch with { seed: ${result.seed} }`,
    ...(out ? [`wrote the counterexample and the report to ${out}`] : []),
  ].join("\n");
}

function runLines<S, A extends Action>(run: Run<S, A>): string[] {
  const { states, actions } = run.execution;
  return actions.flatMap((a, i) => [
    `  ${i + 1}. ${formatAction(a, { maxLength: 100 })}  at ${run.choices[i]!.time} ms`,
    ...diffValues(states[i] as Value, states[i + 1] as Value).map((c) => `       ${formatChange(c, { maxLength: 100 })}`),
  ]);
}

function writeFailure<S, A extends Action>(dir: string, model: string, params: Readonly<Record<string, ParamValue>>, result: BatchResult<S, A>): void {
  mkdirSync(dir, { recursive: true });
  const shown = result.shrunk?.run ?? result.failing!;
  writeItfFile(join(dir, `${model}.counterexample.itf.json`), runToItf(result.simulation, shown, { model, params, originalLength: result.failing!.execution.actions.length }));
  writeFileSync(join(dir, `${model}.report.html`), htmlReport(result, { model, params }));
}
