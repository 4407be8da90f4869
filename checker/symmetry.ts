// Symmetry reduction. The ids of a `t.ids` set are interchangeable: renaming them maps reachable
// states to reachable states, and every property the model states about "all processes" is blind
// to the renaming. So the checker stores one representative per orbit — the state with its ids
// renamed into a canonical order — while it keeps exploring real states (the trail records real
// steps, so every counterexample replays on the model as it is).
//
// The canonical order sorts ids by their signature: the state as seen from that id, with the
// other ids of its set made indistinguishable (see Type.signature). Ids with different signatures
// play different roles. Ids with equal signatures are usually interchangeable outright (swapping
// two RMs that are in the same situation changes nothing): when every adjacent swap within such a
// tie leaves the state unchanged, any order of them gives the same representative. Otherwise the
// orders of the tie are tried (up to MAX_CANDIDATES) and the one with the least fingerprint wins;
// past that bound the representative may not be unique, which costs reduction, never soundness.

import { DefinitionError, IncrementalFingerprint, range, typedFingerprinter, type Type } from "../ioa/index.ts";
import type { Canonicalizer } from "./node-key.ts";
import { idRenamer, type Renamer } from "./rename-ids.ts";
import { signatureLanes } from "./signature-lanes.ts";

const MAX_CANDIDATES = 720;

export function symmetryReduction<S>(type: Type<S>, monitors: number): Canonicalizer<S> {
  if (type.idSets.size === 0) {
    throw new DefinitionError("--symmetry: the model's state has no interchangeable ids; declare process ids with t.ids(name, count)");
  }
  if (monitors > 0) {
    throw new DefinitionError("--symmetry cannot be combined with the model's trace monitors: their states are untyped, so they cannot be renamed with the processes");
  }
  const sets = [...type.idSets].map(([name, count]) => new IdSet(type, name, count));
  return (state, monitors) => {
    let s = state;
    for (const set of sets) s = set.canonical(s);
    return { state: s, monitors };
  };
}

type Lanes = readonly [number, number];

function compareLanes(x: Lanes, y: Lanes): number {
  if (x[0] !== y[0]) return x[0] >>> 0 < y[0] >>> 0 ? -1 : 1;
  if (x[1] !== y[1]) return x[1] >>> 0 < y[1] >>> 0 ? -1 : 1;
  return 0;
}

const scratch = new Int32Array(2);
const fingerprints = new WeakMap<Type<unknown>, (v: unknown, out: Int32Array) => void>();

/**
 * A fingerprint of `s` to compare candidate representatives by: the incremental one with its parts
 * remembered when the type has parts (a swap of two processes' stacks then hashes nothing new),
 * else the typed one.
 */
function typedLanes<S>(type: Type<S>, s: S): Lanes {
  let fingerprint = fingerprints.get(type as Type<unknown>);
  if (fingerprint === undefined) fingerprints.set(type as Type<unknown>, (fingerprint = candidateFingerprint(type as Type<unknown>)));
  fingerprint(s, scratch);
  return [scratch[0]!, scratch[1]!];
}

function candidateFingerprint(type: Type<unknown>): (v: unknown, out: Int32Array) => void {
  const incremental = IncrementalFingerprint.of(type, { remember: true });
  if (incremental === undefined) {
    const typed = typedFingerprinter(type);
    return (v, out) => typed(v, out, 0);
  }
  const lanes = new Int32Array(incremental.width);
  return (v, out) => incremental.fingerprint(v, out, lanes);
}

const renamers = new WeakMap<Type<unknown>, Map<string, Renamer>>();

/** `s` with the ids of set `name` renamed so that `newId[old]` is each id's new name. */
function renamed<S>(type: Type<S>, s: S, name: string, newId: readonly number[]): S {
  let byName = renamers.get(type as Type<unknown>);
  if (byName === undefined) renamers.set(type as Type<unknown>, (byName = new Map()));
  let rename = byName.get(name);
  if (rename === undefined) byName.set(name, (rename = idRenamer(type as Type<unknown>, name)));
  return rename(s, newId) as S;
}

/** One id set of the state's type, with its signature function (compiled once). */
class IdSet<S> {
  private readonly signature: (v: unknown, a: Int32Array, b: Int32Array) => void;
  private readonly a: Int32Array;
  private readonly b: Int32Array;

  constructor(
    private readonly type: Type<S>,
    private readonly name: string,
    private readonly count: number,
  ) {
    this.signature = signatureLanes(type as Type<unknown>, name, count);
    this.a = new Int32Array(count);
    this.b = new Int32Array(count);
  }

  canonical(s: S): S {
    this.signature(s, this.a, this.b);
    const signatures = range(this.count).map((id): Lanes => [this.a[id]!, this.b[id]!]);
    return canonicalFor(this.type, s, this.name, this.count, signatures);
  }
}

function canonicalFor<S>(type: Type<S>, s: S, name: string, count: number, signatures: readonly Lanes[]): S {
  const order = range(count).sort((i, j) => compareLanes(signatures[i]!, signatures[j]!) || i - j);
  const newId = new Array<number>(count);
  order.forEach((old, position) => (newId[old] = position));
  const sorted = order.every((old, position) => old === position) ? s : renamed(type, s, name, newId);
  const ties = tiedPositions(order.map((id) => signatures[id]!));
  if (ties.length === 0) return sorted;
  const sortedLanes = typedLanes(type, sorted);
  const open = ties.filter((tie) => !interchangeable(type, sorted, sortedLanes, name, count, tie));
  return open.length === 0 ? sorted : leastRenaming(type, sorted, sortedLanes, name, count, open);
}

/** Runs of two or more positions whose ids have equal signatures. */
function tiedPositions(sortedSignatures: readonly Lanes[]): number[][] {
  const ties: number[][] = [];
  let run = [0];
  for (let p = 1; p <= sortedSignatures.length; p++) {
    if (p < sortedSignatures.length && compareLanes(sortedSignatures[p - 1]!, sortedSignatures[p]!) === 0) run.push(p);
    else {
      if (run.length > 1) ties.push(run);
      run = [p];
    }
  }
  return ties;
}

/** Whether swapping any two adjacent ids of the tie leaves the state as it is. */
function interchangeable<S>(type: Type<S>, s: S, lanes: Lanes, name: string, count: number, tie: readonly number[]): boolean {
  for (let j = 0; j + 1 < tie.length; j++) {
    const swap = range(count);
    swap[tie[j]!] = tie[j + 1]!;
    swap[tie[j + 1]!] = tie[j]!;
    if (compareLanes(typedLanes(type, renamed(type, s, name, swap)), lanes) !== 0) return false;
  }
  return true;
}

/** Tries the orders of the open ties (at most MAX_CANDIDATES) and keeps the least fingerprint. */
function leastRenaming<S>(type: Type<S>, s: S, lanes: Lanes, name: string, count: number, ties: readonly number[][]): S {
  let best = s;
  let bestLanes = lanes;
  let tried = 0;
  const assignment = range(count);
  const visit = (t: number): void => {
    if (tried >= MAX_CANDIDATES) return;
    if (t === ties.length) {
      tried++;
      const candidate = renamed(type, s, name, assignment);
      const candidateLanes = typedLanes(type, candidate);
      if (compareLanes(candidateLanes, bestLanes) < 0) {
        best = candidate;
        bestLanes = candidateLanes;
      }
      return;
    }
    for (const order of permutations(ties[t]!)) {
      if (tried >= MAX_CANDIDATES) break;
      ties[t]!.forEach((position, i) => (assignment[position] = order[i]!));
      visit(t + 1);
    }
  };
  visit(0);
  return best;
}

function* permutations(xs: readonly number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield [...xs];
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i]!, ...p];
  }
}
