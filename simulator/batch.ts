// A batch of runs: run i of a batch with seed S has seed S + i, so any one run can be repeated on
// its own. The batch stops at the first run that breaks a property, shrinks it, and reports it with
// the coverage of every run made. Runs may also be made elsewhere, in ranges (`tallyRuns`, in a
// worker thread), and merged into the batch in order (parallel.ts).

import { Random, TroupeError, type Action } from "../ioa/index.ts";
import { Coverage, type CoverageCounts, type CoverageSummary } from "./coverage.ts";
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
  readonly suspects: readonly SuspectRun[];
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

/** The seed of run `index` of the batch seeded `seed`. */
const runSeed = (seed: number, index: number): number => (seed + index) | 0;

/** A suspect run, by its seed. */
export interface SuspectRun {
  readonly seed: number;
  readonly suspect: Suspect;
}

/**
 * What a range of a batch's runs found, as plain data (it crosses threads: see parallel.ts). A
 * range stops at its first failing run, its last.
 */
export interface RunsTally {
  /** The index in the batch of the range's first run. */
  readonly from: number;
  /** The runs made, with their number and steps. */
  readonly coverage: CoverageCounts;
  /** The index in the batch of the run that broke a property. */
  readonly failing?: number;
  /** The first few suspect runs. */
  readonly suspects: readonly SuspectRun[];
}

/** Makes runs `from` to `from + count - 1` of the batch seeded `seed`, up to the first that fails. */
export function tallyRuns<S, A extends Action>(simulation: Simulation<S, A>, seed: number, from: number, count: number): RunsTally {
  const tally = new Tally(simulation);
  for (let i = from; i < from + count && tally.failing === undefined; i++) tally.add(simulation.run(runSeed(seed, i)), i);
  return { from, coverage: tally.coverage.counts(), suspects: tally.suspects, ...(tally.failing && { failing: tally.failing.index }) };
}

/** What runs add up to: their number and steps, their coverage, the first few suspects, the first failure. */
class Tally<S, A extends Action> {
  readonly coverage: Coverage<S, A>;
  failing: { readonly index: number; readonly run: Run<S, A> | undefined } | undefined;
  readonly suspects: SuspectRun[] = [];

  constructor(simulation: Simulation<S, A>) {
    this.coverage = new Coverage(simulation);
  }

  /** Runs made or merged so far, and their steps: as the coverage counts them. */
  get runs(): number {
    return this.coverage.runs;
  }

  get steps(): number {
    return this.coverage.steps;
  }

  /** A run made here, the `index`-th of the batch. */
  add(run: Run<S, A>, index: number): void {
    this.coverage.add(run);
    if (run.failure) this.failing = { index, run };
    this.keepSuspects((run.suspects ?? []).map((suspect) => ({ seed: run.seed, suspect })));
  }

  /** Runs made elsewhere, which come next in the batch. */
  merge(tally: RunsTally): void {
    this.coverage.merge(tally.coverage);
    if (tally.failing !== undefined) this.failing = { index: tally.failing, run: undefined };
    this.keepSuspects(tally.suspects);
  }

  private keepSuspects(suspects: readonly SuspectRun[]): void {
    for (const s of suspects) if (this.suspects.length < SUSPECTS_KEPT) this.suspects.push(s);
  }
}

/**
 * A batch in progress: runs made one at a time here, or ranges of them made elsewhere and merged
 * in order; then the result (with the failing run shrunk).
 */
export class Batch<S, A extends Action> {
  private readonly started = performance.now();
  readonly simulation: Simulation<S, A>;
  private readonly tally: Tally<S, A>;
  readonly seed: number;
  readonly total: number;
  private first: Run<S, A> | undefined;

  constructor(private readonly options: BatchOptions<S, A>) {
    if (options.runs !== undefined && !(Number.isSafeInteger(options.runs) && options.runs >= 1)) throw new TroupeError(`a batch makes at least one run, not ${options.runs}`);
    this.simulation = new Simulation(options);
    this.tally = new Tally(this.simulation);
    this.seed = options.seed ?? Random.freshSeed();
    this.total = options.runs ?? DEFAULT_RUNS;
  }

  /** Runs made (or merged) so far. */
  get runs(): number {
    return this.tally.runs;
  }

  /** Every run made, or one failed. */
  get over(): boolean {
    return this.tally.runs >= this.total || this.tally.failing !== undefined;
  }

  /** Makes the next run; false once the batch is over. */
  next(): boolean {
    if (this.over) return false;
    const run = this.simulation.run(this.seedOf(this.tally.runs));
    this.tally.add(run, this.tally.runs);
    this.first ??= run;
    this.progress();
    return true;
  }

  /** Merges the runs a range made elsewhere; it must start where the batch is. */
  merge(tally: RunsTally): void {
    if (tally.from !== this.tally.runs) throw new Error(`runs merged out of order: ${tally.from} after ${this.tally.runs}`);
    this.tally.merge(tally);
    this.progress();
  }

  private seedOf(index: number): number {
    return runSeed(this.seed, index);
  }

  private progress(): void {
    this.options.onProgress?.({ runs: this.tally.runs, total: this.total, steps: this.tally.steps });
  }

  result(stopped?: "interrupted"): BatchResult<S, A> {
    const { runs, steps } = this.tally;
    const { total, options } = this;
    // Runs made elsewhere are made again here from their seeds, for the ones the result shows.
    const failing = this.tally.failing && (this.tally.failing.run ?? this.simulation.run(this.seedOf(this.tally.failing.index)));
    const first = this.first ?? (failing && this.tally.failing!.index === 0 ? failing : this.simulation.run(this.seed));
    const shrink = options.shrink ?? true;
    if (failing && shrink !== false) options.onProgress?.({ runs, total, steps, shrinking: true });
    const shrunk = failing && shrink !== false ? shrinkRun(this.simulation, failing, shrink === true ? {} : shrink) : undefined;
    const result = {
      verdict: failing ? "violated" : "holds",
      seed: this.seed,
      runs,
      steps,
      seconds: (performance.now() - this.started) / 1000,
      coverage: this.tally.coverage.summary(),
      first,
      simulation: this.simulation,
      suspects: this.tally.suspects,
    } as const;
    return { ...result, ...(failing && { failing }), ...(shrunk && { shrunk }), ...(stopped && { stopped }) };
  }
}
