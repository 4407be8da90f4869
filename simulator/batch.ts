// A batch of runs: run i of a batch with seed S has seed S + i, so any one run can be repeated on
// its own. The batch stops at the first run that breaks a property, shrinks it, and reports it with
// the coverage of every run made.

import { Random, TroupeError, type Action } from "../ioa/index.ts";
import { Coverage, type CoverageSummary } from "./coverage.ts";
import { Simulation, type Run, type SimulationOptions } from "./run.ts";
import { shrinkRun, type ShrinkOptions, type Shrunk } from "./shrink.ts";
import type { Suspect } from "./suspects.ts";

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
  /** The batch was stopped (Ctrl-C) before its last run. */
  readonly stopped?: "interrupted";
  /** Runs that left a liveness obligation pending a long time (suspects.ts): the first few, by seed; never failures. */
  readonly suspects: readonly { readonly seed: number; readonly suspect: Suspect }[];
}

/** Suspect runs a batch keeps, to report. */
const SUSPECTS_KEPT = 10;

export const DEFAULT_RUNS = 1000;

/** Runs a batch; the same options and seed give the same result. */
export function simulate<S, A extends Action>(options: BatchOptions<S, A>): BatchResult<S, A> {
  const batch = new Batch(options);
  while (batch.next());
  return batch.result();
}

/**
 * The same batch, pausing for the event loop now and then so that `signal` (Ctrl-C) can stop it
 * between runs; a batch stopped before its last run says so in `stopped`.
 */
export async function simulateUntil<S, A extends Action>(options: BatchOptions<S, A>, signal: AbortSignal): Promise<BatchResult<S, A>> {
  const batch = new Batch(options);
  let paused = performance.now();
  // At least one run, so that the result has a first run to show.
  while (batch.next() && !signal.aborted) {
    if (performance.now() - paused < PAUSE_EVERY_MS) continue;
    await new Promise((resume) => setImmediate(resume));
    paused = performance.now();
  }
  return batch.result(signal.aborted && !batch.over ? "interrupted" : undefined);
}

const PAUSE_EVERY_MS = 100;

/** A batch in progress: one run at a time, then the result (with the failing run shrunk). */
class Batch<S, A extends Action> {
  private readonly started = performance.now();
  readonly simulation: Simulation<S, A>;
  private readonly coverage: Coverage<S, A>;
  private readonly seed: number;
  private readonly total: number;
  private first: Run<S, A> | undefined;
  private failing: Run<S, A> | undefined;
  private steps = 0;
  private runs = 0;
  private readonly suspects: { seed: number; suspect: Suspect }[] = [];

  constructor(private readonly options: BatchOptions<S, A>) {
    if (options.runs !== undefined && !(Number.isSafeInteger(options.runs) && options.runs >= 1)) throw new TroupeError(`a batch makes at least one run, not ${options.runs}`);
    this.simulation = new Simulation(options);
    this.coverage = new Coverage(this.simulation);
    this.seed = options.seed ?? Random.freshSeed();
    this.total = options.runs ?? DEFAULT_RUNS;
  }

  /** Every run made, or one failed. */
  get over(): boolean {
    return this.runs >= this.total || this.failing !== undefined;
  }

  /** Makes the next run; false once the batch is over. */
  next(): boolean {
    if (this.over) return false;
    const run = this.simulation.run((this.seed + this.runs) | 0);
    this.runs++;
    this.steps += run.execution.actions.length;
    this.coverage.add(run);
    this.first ??= run;
    if (run.failure) this.failing = run;
    for (const suspect of run.suspects ?? []) if (this.suspects.length < SUSPECTS_KEPT) this.suspects.push({ seed: run.seed, suspect });
    this.options.onProgress?.({ runs: this.runs, total: this.total, steps: this.steps });
    return true;
  }

  result(stopped?: "interrupted"): BatchResult<S, A> {
    const { failing, runs, total, steps, options } = this;
    const shrink = options.shrink ?? true;
    if (failing && shrink !== false) options.onProgress?.({ runs, total, steps, shrinking: true });
    const shrunk = failing && shrink !== false ? shrinkRun(this.simulation, failing, shrink === true ? {} : shrink) : undefined;
    const result = {
      verdict: failing ? "violated" : "holds",
      seed: this.seed,
      runs,
      steps,
      seconds: (performance.now() - this.started) / 1000,
      coverage: this.coverage.summary(),
      first: this.first!,
      simulation: this.simulation,
      suspects: this.suspects,
    } as const;
    return { ...result, ...(failing && { failing }), ...(shrunk && { shrunk }), ...(stopped && { stopped }) };
  }
}
