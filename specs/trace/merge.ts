// Merging the trace files of a group into one trace.
//
// Each file holds actions in the order they happened (a running node writes its own), and that
// order is kept. Across files the merge takes, at each step, one file's next action among those
// that are ready: a delivery is ready once its message's cast is in the merged trace, a safe
// indication once every member of the process's view has delivered the message; anything else is
// always ready. Among ready actions it takes the earliest by time when they all carry a time,
// otherwise the one from the first file. So the merge never puts a delivery before its cast, nor a
// safe indication before the deliveries it vouches for, and follows the clocks where it can.
// Readiness only ever grows, so a greedy merge finds an order whenever one exists; when no action
// is ready (a delivery of a message nobody cast) it takes the first file's next action and leaves
// the verdict to the checkers.

import { fingerprintString, type ISet, type Value } from "../../ioa/index.ts";
import { initialView, type GroupAction, type ProcessId } from "../group.ts";
import type { RecordedEvent } from "./recorded.ts";

export function mergeRecordings(files: readonly (readonly RecordedEvent[])[], processes: number): RecordedEvent[] {
  if (files.length === 1) return [...files[0]!];
  const next = files.map(() => 0);
  const merged: RecordedEvent[] = [];
  const known = new Knowledge(processes);
  const total = files.reduce((sum, f) => sum + f.length, 0);
  while (merged.length < total) {
    const heads = files.flatMap((f, i) => (next[i]! < f.length ? [{ i, e: f[next[i]!]! }] : []));
    const ready = heads.filter(({ e }) => known.ready(e.action));
    const pick = earliest(ready.length > 0 ? ready : heads.slice(0, 1));
    merged.push(pick.e);
    known.learn(pick.e.action);
    next[pick.i]!++;
  }
  return merged;
}

function earliest(candidates: readonly { i: number; e: RecordedEvent }[]) {
  if (candidates.every(({ e }) => e.time !== undefined)) return candidates.reduce((a, b) => (b.e.time! < a.e.time! ? b : a));
  return candidates[0]!;
}

/** What the merged trace so far has shown: casts, deliveries, and each process's view (messages keyed by fingerprint). */
class Knowledge {
  private readonly cast = new Set<string>();
  private readonly delivered = new Map<ProcessId, Set<string>>();
  private readonly views = new Map<ProcessId, ISet<ProcessId>>();

  constructor(private readonly n: number) {}

  ready(a: GroupAction<Value>): boolean {
    if (a.name !== "deliver" && a.name !== "safe") return true;
    const m = key(a.from, a.msg);
    if (!this.cast.has(m)) return false;
    if (a.name === "deliver") return true;
    const members = this.views.get(a.p) ?? initialView(this.n).members;
    return members.every((r) => this.delivered.get(r)?.has(m) === true);
  }

  learn(a: GroupAction<Value>): void {
    if (a.name === "cast") this.cast.add(key(a.p, a.msg));
    if (a.name === "view") this.views.set(a.p, a.view.members);
    if (a.name !== "deliver") return;
    const mine = this.delivered.get(a.p) ?? new Set<string>();
    mine.add(key(a.from, a.msg));
    this.delivered.set(a.p, mine);
  }
}

function key(from: ProcessId, msg: Value): string {
  return fingerprintString({ from, msg });
}
