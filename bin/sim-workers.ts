// Worker threads for `troupe sim --workers n`. Each worker runs the CLI's entry (bin/troupe.js, with
// the command's arguments, so that it loads the model the same way: from the bundle, or a model
// file of the user's through tsx), which hands it to `serveSimWorker`: it loads the model, the
// scheduler and the fault plan as the command did, and makes ranges of the batch's runs on request
// (simulator/parallel.ts hands them out and merges them).

import { availableParallelism } from "node:os";
import { realpathSync } from "node:fs";
import { parentPort, Worker, workerData } from "node:worker_threads";
import { InvalidArgumentError } from "commander";
import { TroupeError, type Action } from "../ioa/index.ts";
import { parseFaultItems, Simulation, tallyRuns, type RunsRunner, type RunsTally } from "../simulator/index.ts";
import { loadSimulatedInstance } from "./load-model.ts";
import { loadScheduler } from "./scheduler-option.ts";

/** What a worker needs to make the same runs as the command: the model, its parameters, and the batch's settings. */
export interface SimWorkerSetup {
  readonly role: "sim";
  readonly model: string;
  readonly params: readonly string[];
  readonly scheduler: string;
  readonly faults: readonly string[];
  readonly steps: number;
  readonly seed: number;
}

interface Request {
  readonly from: number;
  readonly count: number;
}

type Reply = { readonly tally: RunsTally } | { readonly error: string };

/** `--workers`: a number of threads, or `auto` (as many as the machine has cores). */
export function workersOption(raw: string): number {
  if (raw.trim() === "auto") return availableParallelism();
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`--workers expects an integer ≥ 1 or auto, got "${raw}"`);
  return n;
}

/** `n` workers, each a runner of ranges of the batch's runs; `close` ends them. */
export function startSimWorkers(n: number, setup: SimWorkerSetup): { readonly runners: RunsRunner[]; close(): Promise<void> } {
  const entry = realpathSync(process.argv[1]!);
  const workers = Array.from({ length: n }, () => new Worker(entry, { argv: process.argv.slice(2), workerData: setup }));
  return {
    runners: workers.map((worker, i) => workerRunner(worker, i + 1)),
    close: async () => void (await Promise.all(workers.map((w) => w.terminate()))),
  };
}

/** A runner that asks one worker for one range at a time. */
function workerRunner(worker: Worker, number: number): RunsRunner {
  let pending: { resolve(tally: RunsTally): void; reject(e: Error): void } | undefined;
  /** Why the worker can answer no more, once it has stopped between two ranges. */
  let gone: string | undefined;
  const error = (message: string) => new TroupeError(`simulation worker ${number}: ${message}`);
  const fail = (message: string) => {
    pending?.reject(error(message));
    pending = undefined;
  };
  worker.on("message", (reply: Reply) => {
    if ("error" in reply) return fail(reply.error);
    pending?.resolve(reply.tally);
    pending = undefined;
  });
  worker.on("error", (e) => fail(e.message));
  worker.on("exit", (code) => {
    gone = `stopped (exit code ${code}) before it answered`;
    fail(gone);
  });
  return {
    runs: (from, count) =>
      new Promise<RunsTally>((resolve, reject) => {
        if (gone !== undefined) return reject(error(gone));
        pending = { resolve, reject };
        worker.postMessage({ from, count } satisfies Request);
      }),
  };
}

/** The worker's side: load what the command loaded, then make the ranges asked for until the thread is ended. */
export async function serveSimWorker(): Promise<void> {
  const setup = workerData as SimWorkerSetup;
  const port = parentPort!;
  let simulation: Simulation<unknown, Action> | undefined;
  let failed: string | undefined;
  try {
    const instance = await loadSimulatedInstance(setup.model, setup.params);
    const scheduler = await loadScheduler(setup.scheduler);
    simulation = new Simulation({ ...instance, plan: parseFaultItems(setup.faults), scheduler, steps: setup.steps });
  } catch (e) {
    failed = e instanceof Error ? e.message : String(e);
  }
  port.on("message", ({ from, count }: Request) => {
    try {
      if (failed !== undefined) throw new Error(failed);
      port.postMessage({ tally: tallyRuns(simulation!, setup.seed, from, count) } satisfies Reply);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
}
