// A batch spread over several runners (worker threads: the command line makes them, since only it
// knows how to load the model in each). Runs are independent and each is made from its seed, so
// runners make ranges of the batch's runs, handed out in order, and the ranges are merged in order:
// the result is the one the batch gives made one run at a time here — the same runs counted, the
// same coverage, the same first failing run (the lowest index that fails: a range after it is
// dropped, one before it is awaited). The failing run is made again here from its seed, shrunk and
// reported as usual.

import type { Action } from "../ioa/index.ts";
import { Batch, type BatchOptions, type BatchResult, type RunsTally } from "./batch.ts";

/** Something that makes ranges of a batch's runs: `tallyRuns` of the same batch, elsewhere. */
export interface RunsRunner {
  runs(from: number, count: number): Promise<RunsTally>;
}

/** Runs in a range: enough that handing it out costs little, few enough that every runner has work to the end. */
export function rangeSize(total: number, runners: number): number {
  return Math.max(1, Math.min(64, Math.floor(total / (runners * 16))));
}

/** The batch of `options`, its runs made by `runners`; stopped between ranges by `signal`. */
export async function simulateAcross<S, A extends Action>(options: BatchOptions<S, A>, runners: readonly RunsRunner[], signal?: AbortSignal): Promise<BatchResult<S, A>> {
  const batch = new Batch(options);
  const size = rangeSize(batch.total, runners.length);
  const done = new Map<number, RunsTally>();
  let handedOut = 0;
  const more = () => !batch.over && !signal?.aborted && handedOut < batch.total;
  const work = async (runner: RunsRunner) => {
    while (more()) {
      const from = handedOut;
      const count = Math.min(size, batch.total - from);
      handedOut += count;
      done.set(from, await runner.runs(from, count));
      // Merged in order; a range that ends in a failure ends the batch, and later ranges are dropped.
      for (let next = done.get(batch.runs); next !== undefined && !batch.over; next = done.get(batch.runs)) {
        done.delete(next.from);
        batch.merge(next);
      }
    }
  };
  await Promise.all(runners.map(work));
  return batch.result(signal?.aborted && !batch.over ? "interrupted" : undefined);
}
