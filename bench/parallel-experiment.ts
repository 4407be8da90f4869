// Experiment: does a parallel breadth-first search pay on these 2-core machines?
//
// Level-synchronous BFS with W worker threads. The visited set is one table of fingerprints in a
// SharedArrayBuffer, filled lock-free with Atomics.compareExchange; every state stays in the
// worker that found it (no state crosses a thread), and the main thread only counts levels. It
// checks two-phase commit with the real kernel and compares with the single-threaded checker.
//
//   node --import tsx bench/parallel-experiment.ts [rms=7] [workers=2]
//
// Prints figures only. The checker keeps this design only if it pays (see the README).

import v8 from "node:v8";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { check } from "../checker/check.ts";
import { instantiate, typedFingerprinter, type Action } from "../ioa/index.ts";
import twoPhase from "../specs/examples/two-phase.ts";

v8.setFlagsFromString("--max-semi-space-size=128");

const SLOTS = 1 << 23;

/** Lock-free insert into the shared table; lane b is never 0 in a used slot, lane a is written after it. */
function insert(table: Int32Array, a: number, b: number): boolean {
  if (a === 0) a = 1;
  if (b === 0) b = 1;
  const mask = table.length / 2 - 1;
  let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
  for (;;) {
    let seen = Atomics.load(table, 2 * i + 1);
    if (seen === 0) {
      seen = Atomics.compareExchange(table, 2 * i + 1, 0, b);
      if (seen === 0) {
        Atomics.store(table, 2 * i, a);
        return true;
      }
    }
    if (seen === b) {
      let x: number;
      while ((x = Atomics.load(table, 2 * i)) === 0);
      if (x === a) return false;
    }
    i = (i + 1) & mask;
  }
}

/**
 * One worker: a private BFS of the first `prefix` levels (every worker computes the same ones), its
 * share of that level by index, then its own BFS against the shared table. No state ever crosses a
 * thread: this is the best case for parallel search, to measure whether it pays at all.
 */
function work(rms: number, shared: SharedArrayBuffer, index: number, workers: number, prefix: number): { inserted: number; generated: number } {
  const table = new Int32Array(shared);
  const automaton = instantiate(twoPhase, { rms }).automaton;
  const fingerprint = typedFingerprinter(automaton.stateType);
  const key = new Int32Array(2);
  const enabled: Action[] = [];
  const successors = (s: unknown, f: (t: unknown) => void) => {
    enabled.length = 0;
    automaton.enabled(s as never, enabled as never);
    for (const a of enabled) f(automaton.step(s as never, a as never));
  };
  const local = new Set<string>();
  let level: unknown[] = [...automaton.startStates()];
  for (let d = 0; d < prefix; d++) {
    const next: unknown[] = [];
    for (const s of level) {
      successors(s, (t) => {
        fingerprint(t as never, key, 0);
        const k = `${key[0]}:${key[1]}`;
        if (!local.has(k)) {
          local.add(k);
          next.push(t);
        }
      });
    }
    level = next;
  }
  // Every worker marks the prefix as visited; the inserts that succeed are counted once overall.
  let inserted = 0;
  let generated = 0;
  for (const s of automaton.startStates()) {
    fingerprint(s as never, key, 0);
    if (insert(table, key[0]!, key[1]!)) inserted++;
  }
  for (const k of local) {
    const [a, b] = k.split(":").map(Number);
    if (insert(table, a!, b!)) inserted++;
  }
  let frontier = level.filter((_, i) => i % workers === index);
  while (frontier.length > 0) {
    const next: unknown[] = [];
    for (const s of frontier) {
      successors(s, (t) => {
        generated++;
        if (t === s) return;
        fingerprint(t as never, key, 0);
        if (insert(table, key[0]!, key[1]!)) {
          inserted++;
          next.push(t);
        }
      });
    }
    frontier = next;
  }
  return { inserted, generated };
}

if (!isMainThread) {
  const { rms, shared, index, workers, prefix } = workerData as { rms: number; shared: SharedArrayBuffer; index: number; workers: number; prefix: number };
  parentPort!.once("message", () => parentPort!.postMessage(work(rms, shared, index, workers, prefix)));
  parentPort!.postMessage("ready");
} else {
  const rms = Number(process.argv[2] ?? 7);
  const workers = Number(process.argv[3] ?? 2);
  const prefix = 6;

  const single = await check(instantiate(twoPhase, { rms }), { only: [] });
  console.log(`single thread: ${single.distinctStates} states, ${single.seconds.toFixed(2)} s`);

  const shared = new SharedArrayBuffer(SLOTS * 8);
  // Workers need tsx's hooks before they load this TypeScript file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const threads = Array.from({ length: workers }, (_, index) => new Worker(bootstrap, { eval: true, workerData: { rms, shared, index, workers, prefix } }));
  // Time the search only: wait until every worker has loaded the model's modules.
  await Promise.all(threads.map((w) => new Promise((resolve) => w.once("message", resolve))));
  const started = performance.now();
  const results = await Promise.all(
    threads.map(
      (w) =>
        new Promise<{ inserted: number; generated: number }>((resolve) => {
          w.once("message", resolve);
          w.postMessage("go");
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const distinct = results.reduce((n, r) => n + r.inserted, 0);
  const split = results.map((r) => r.generated).join(" + ");
  console.log(`${workers} workers:     ${distinct} states, ${seconds.toFixed(2)} s (${(single.seconds / seconds).toFixed(2)}x); transitions per worker after the split: ${split}`);
  await Promise.all(threads.map((w) => w.terminate()));
}
