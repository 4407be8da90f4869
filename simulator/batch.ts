// A batch of runs: run i of a batch with seed S has seed S + i, so any one run can be repeated on
// its own. The batch stops at the first run that breaks a property, shrinks it, and reports it with
// the coverage of every run made.

import { Random, TroupeError, type Action } from "../ioa/index.ts";
import { Coverage, type CoverageSummary } from "./coverage.ts";
import { Simulation, type Run, type SimulationOptions } from "./run.ts";
import { shrinkRun, type ShrinkOptions, type Shrunk } from "./shrink.ts";

export interface Progress {
  readonly runs: number;
  readonly total: number;
  readonly steps: number;
  /** The batch has stopped at a failing run and is shrinking it. */
  readonly shrinking?: boolean;
}

export interface BatchOptions<S, A extends Action> extends SimulationOptions<S, A> {
  /** How many runs at most (default 1000). */
  readonly runs?: number;
  /** The batch's seed (default: a fresh one, reported). */
  readonly seed?: number;
  /** Shrink a failing run (default true), with these options. */
  readonly shrink?: boolean | ShrinkOptions;
  /** Called after every run. */
  readonly onProgress?: (progress: Progress) => void;
}

export interface BatchResult<S, A extends Action> {
  /** As the checker says it: "holds" when no run broke a property (in these runs), else "violated". */
  readonly verdict: "holds" | "violated";
  readonly seed: number;
  /** Runs made, the failing one included. */
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly coverage: CoverageSummary;
  /** The failing run as found, and shrunk. */
  readonly failing?: Run<S, A>;
  readonly shrunk?: Shrunk<S, A>;
  /** The first run of the batch, to look at when nothing failed. */
  readonly first: Run<S, A>;
  readonly simulation: Simulation<S, A>;
}

export const DEFAULT_RUNS = 1000;

/** Runs a batch; the same options and seed give the same result. */
export function simulate<S, A extends Action>(options: BatchOptions<S, A>): BatchResult<S, A> {
  const started = performance.now();
  if (options.runs !== undefined && !(Number.isSafeInteger(options.runs) && options.runs >= 1)) throw new TroupeError(`a batch makes at least one run, not ${options.runs}`);
  const simulation = new Simulation(options);
  const coverage = new Coverage(simulation);
  const seed = options.seed ?? Random.freshSeed();
  const total = options.runs ?? DEFAULT_RUNS;
  let first: Run<S, A> | undefined;
  let failing: Run<S, A> | undefined;
  let steps = 0;
  let runs = 0;
  while (runs < total && failing === undefined) {
    const run = simulation.run((seed + runs) | 0);
    runs++;
    steps += run.execution.actions.length;
    coverage.add(run);
    first ??= run;
    if (run.failure) failing = run;
    options.onProgress?.({ runs, total, steps });
  }
  const shrink = options.shrink ?? true;
  if (failing && shrink !== false) options.onProgress?.({ runs, total, steps, shrinking: true });
  const shrunk = failing && shrink !== false ? shrinkRun(simulation, failing, shrink === true ? {} : shrink) : undefined;
  const result = {
    verdict: failing ? "violated" : "holds",
    seed,
    runs,
    steps,
    seconds: (performance.now() - started) / 1000,
    coverage: coverage.summary(),
    first: first!,
    simulation,
  } as const;
  return { ...result, ...(failing && { failing }), ...(shrunk && { shrunk }) };
}
