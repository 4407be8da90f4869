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
//
// Candidates are compared by the fingerprint of the renamed state, computed without building it
// (renamed fingerprints: an id hashed as its new name, a table read in its new order). With one id
// set and a state type with parts (ioa/incremental-fingerprint), the representative is never
// built at all: its key is that fingerprint, whose parts remember what they hashed for the last
// few objects and renamings (a step changes one process's stack; the others are the same objects).
// With two ids it is simply the least of the two renamed fingerprints: no signatures at all.

import { NOT_A_VALUE } from "../ioa/hash.ts";
import { DefinitionError, IncrementalFingerprint, range, typedFingerprinter, ValueError, type Type } from "../ioa/index.ts";
import { renamedFingerprinter } from "../ioa/typed-fingerprint.ts";
import type { Canonicalizer } from "./node-key.ts";
import { idRenamer, type Renamer } from "./rename-ids.ts";
import { signatureLanes } from "./signature-lanes.ts";

const MAX_CANDIDATES = 720;
/** Up to this many ids, a representative's key is the least over every renaming rather than sorted by signatures (for three, six renamed fingerprints cost more than the signatures). */
const ALL_PERMUTATIONS_UP_TO = 2;

export function symmetryReduction<S>(type: Type<S>): Canonicalizer<S> {
  if (type.idSets.size === 0) {
    throw new DefinitionError("--symmetry: the model's state has no interchangeable ids; declare process ids with t.ids(name, count)");
  }
  const sets = [...type.idSets].map(([name, count]) => new IdSet(type, name, count));
  const incremental = IncrementalFingerprint.of(type);
  if (sets.length === 1 && incremental) {
    const [set] = sets as [IdSet<S>];
    const keyOf = incremental.renamed(set.name);
    if (set.count <= ALL_PERMUTATIONS_UP_TO) {
      // Few ids: the least key over every renaming, which needs no signatures.
      const every = [...permutations(range(set.count))].map((newId) => set.permutation(newId));
      const candidate = new Int32Array(2);
      return {
        key: (s, out) => {
          keyOf(s, out, every[0]!.newId, every[0]!.inverse);
          for (let k = 1; k < every.length; k++) {
            keyOf(s, candidate, every[k]!.newId, every[k]!.inverse);
            if (compareLanes(candidate[0]!, candidate[1]!, out[0]!, out[1]!) < 0) out.set(candidate);
          }
        },
      };
    }
    return {
      key: (s, out) => {
        const best = set.canonical(s, keyOf);
        keyOf(s, out, best.newId, best.inverse);
      },
    };
  }
  return {
    representative: (state) => {
      let s = state;
      for (const set of sets) s = set.representative(s);
      return s;
    },
  };
}

/** A permutation of ids: `newId[i]` is id i's new name; one object per permutation, so that parts remember renamings by identity. */
interface Permutation {
  readonly newId: readonly number[];
  readonly inverse: readonly number[];
}

/** Writes the fingerprint of `s` renamed by a permutation to `out`. */
type RenamedKey<S> = (s: S, out: Int32Array, newId: readonly number[], inverse: readonly number[]) => void;

type Lanes = readonly [number, number];

function compareLanes(xa: number, xb: number, ya: number, yb: number): number {
  if (xa !== ya) return xa >>> 0 < ya >>> 0 ? -1 : 1;
  if (xb !== yb) return xb >>> 0 < yb >>> 0 ? -1 : 1;
  return 0;
}

const compareLanePairs = (x: Lanes, y: Lanes): number => compareLanes(x[0], x[1], y[0], y[1]);

const scratch = new Int32Array(2);

/** One id set of the state's type: its signature function, renamed fingerprint and renamer (compiled once), and its permutations. */
class IdSet<S> {
  private readonly signature: (v: unknown, a: Int32Array, b: Int32Array) => void;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  /** Scratch for `canonical`: the ids in canonical order, and each id's place in it. */
  private readonly order: Int32Array;
  private readonly position: number[];
  private readonly permutations = new Map<number, Permutation>();
  private readonly fingerprint: RenamedKey<S>;
  private readonly rename: Renamer;

  constructor(
    private readonly type: Type<S>,
    readonly name: string,
    readonly count: number,
  ) {
    this.signature = signatureLanes(type as Type<unknown>, name, count);
    this.a = new Int32Array(count);
    this.b = new Int32Array(count);
    this.order = new Int32Array(count);
    this.position = range(count);
    const renamed = renamedFingerprinter(type as Type<unknown>, name);
    const checked = typedFingerprinter(type);
    this.fingerprint = (s, out, newId, inverse) => {
      try {
        renamed(s, out, 0, newId, inverse);
      } catch (e) {
        if (e !== NOT_A_VALUE) throw e;
        checked(s, out, 0); // names the path of what does not fit the type
        throw new ValueError("state", "does not fit its type");
      }
    };
    this.rename = idRenamer(type as Type<unknown>, name);
  }

  /** `s` with this set's ids renamed into their canonical order. */
  representative(s: S): S {
    const { newId } = this.canonical(s, this.fingerprint);
    return newId.every((x, i) => x === i) ? s : (this.rename(s, newId) as S);
  }

  /** The permutation that renames `s` into its representative; ties are decided by the least `fingerprint` of the renamed state. */
  canonical(s: S, fingerprint: RenamedKey<S>): Permutation {
    const { a, b, count, order, position } = this;
    this.signature(s, a, b);
    // The ids sorted by signature, then by id (an insertion sort: a handful of ids, at every state met).
    for (let id = 0; id < count; id++) {
      let p = id;
      for (; p > 0 && compareLanes(a[order[p - 1]!]!, b[order[p - 1]!]!, a[id]!, b[id]!) > 0; p--) order[p] = order[p - 1]!;
      order[p] = id;
    }
    let tied = false;
    for (let p = 0; p < count; p++) {
      const id = order[p]!;
      position[id] = p;
      if (p > 0 && a[id] === a[order[p - 1]!] && b[id] === b[order[p - 1]!]) tied = true;
    }
    const sorted = this.permutation(position);
    if (!tied) return sorted;
    const ties = tiedPositions(Array.from(order, (id): Lanes => [a[id]!, b[id]!]));
    const candidate = new Candidates(this, s, fingerprint, sorted);
    const open = ties.filter((tie) => !candidate.interchangeable(tie));
    return open.length === 0 ? sorted : candidate.least(open);
  }

  /** The permutation object for `newId` (made once). */
  permutation(newId: readonly number[]): Permutation {
    let code = 0;
    for (let i = 0; i < newId.length; i++) code = code * this.count + newId[i]!;
    let p = this.permutations.get(code);
    if (p === undefined) {
      const inverse = new Array<number>(newId.length);
      newId.forEach((x, i) => (inverse[x] = i));
      this.permutations.set(code, (p = { newId: [...newId], inverse }));
    }
    return p;
  }
}

/**
 * The renamings of `s` that differ from the sorted one only within ties: the sorted renaming
 * followed by a permutation of the positions within each tie.
 */
class Candidates<S> {
  private readonly sortedLanes: Lanes;

  constructor(
    private readonly set: IdSet<S>,
    private readonly s: S,
    private readonly fingerprint: RenamedKey<S>,
    private readonly sorted: Permutation,
  ) {
    this.sortedLanes = this.lanes(sorted);
  }

  /** The sorted renaming, then position p moved to `assignment[p]`. */
  private then(assignment: readonly number[]): Permutation {
    return this.set.permutation(this.sorted.newId.map((p) => assignment[p]!));
  }

  private lanes(p: Permutation): Lanes {
    this.fingerprint(this.s, scratch, p.newId, p.inverse);
    return [scratch[0]!, scratch[1]!];
  }

  /** Whether swapping any two adjacent positions of the tie leaves the representative as it is. */
  interchangeable(tie: readonly number[]): boolean {
    const n = this.sorted.newId.length;
    for (let j = 0; j + 1 < tie.length; j++) {
      const swap = range(n);
      swap[tie[j]!] = tie[j + 1]!;
      swap[tie[j + 1]!] = tie[j]!;
      if (compareLanePairs(this.lanes(this.then(swap)), this.sortedLanes) !== 0) return false;
    }
    return true;
  }

  /** Tries the orders of the open ties (at most MAX_CANDIDATES) and keeps the least fingerprint. */
  least(ties: readonly number[][]): Permutation {
    let best = this.sorted;
    let bestLanes = this.sortedLanes;
    let tried = 0;
    const assignment = range(this.sorted.newId.length);
    const visit = (t: number): void => {
      if (tried >= MAX_CANDIDATES) return;
      if (t === ties.length) {
        tried++;
        const candidate = this.then(assignment);
        const candidateLanes = this.lanes(candidate);
        if (compareLanePairs(candidateLanes, bestLanes) < 0) {
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
}

/** Runs of two or more positions whose ids have equal signatures. */
function tiedPositions(sortedSignatures: readonly Lanes[]): number[][] {
  const ties: number[][] = [];
  let run = [0];
  for (let p = 1; p <= sortedSignatures.length; p++) {
    if (p < sortedSignatures.length && compareLanePairs(sortedSignatures[p - 1]!, sortedSignatures[p]!) === 0) run.push(p);
    else {
      if (run.length > 1) ties.push(run);
      run = [p];
    }
  }
  return ties;
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
