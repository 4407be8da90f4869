// The fingerprint of a search node: the automaton's state (by its typed fingerprint, after mapping
// it to its symmetry representative when asked) together with the monitors' states.
//
// The state's fingerprint is incremental (ioa/incremental-fingerprint) when its type has parts worth
// it. Without symmetry reduction the search says which state the next ones came from (`from`), with
// the lanes of its parts kept beside it in the frontier, and only the parts a step changed are
// hashed again. With it, a representative is compared with the representative keyed before it:
// successors of one state usually sort the ids alike, and the renamed parts of the processes that
// did not move are then the same objects (symmetry.ts remembers them).

import { finalizeA, finalizeB } from "../ioa/hash.ts";
import { fingerprintInto, IncrementalFingerprint, typedFingerprinter, type Type, type Value } from "../ioa/index.ts";

export type Canonicalizer<S> = (s: S, monitors: readonly Value[] | undefined) => { state: S; monitors: readonly Value[] | undefined };

export class NodeKeys<S> {
  /** Lanes per state kept for its successors (two per part), or 0 when keys are not incremental. */
  readonly width: number;
  /** The part lanes of the state last keyed (when incremental): what the frontier keeps. */
  readonly lanes: Int32Array;
  private readonly incremental: IncrementalFingerprint<S> | undefined;
  private readonly fingerprint: (s: S, out: Int32Array, at: number) => void;
  private readonly monitorLanes = new Int32Array(2);
  private readonly parts: unknown[] = [];
  private readonly parentParts: unknown[] = [];
  private parentLanes: Int32Array | undefined;
  private parentAt = 0;
  /** With symmetry: the parts and lanes of the representative keyed last, and of the one keyed now. */
  private previous: { parts: unknown[]; lanes: Int32Array } = { parts: [], lanes: new Int32Array(0) };
  private current: { parts: unknown[]; lanes: Int32Array } = { parts: [], lanes: new Int32Array(0) };

  constructor(
    type: Type<S>,
    private readonly canonical?: Canonicalizer<S>,
  ) {
    this.fingerprint = typedFingerprinter(type);
    this.incremental = IncrementalFingerprint.of(type);
    this.width = this.incremental && !canonical ? 2 * this.incremental.parts : 0;
    this.lanes = new Int32Array(this.width);
    const lanes = 2 * (this.incremental?.parts ?? 0);
    this.previous.lanes = new Int32Array(lanes);
    this.current.lanes = new Int32Array(lanes);
  }

  /**
   * The states keyed next are successors of `s`, whose part lanes are `lanes[at..at + width]`
   * (as `this.lanes` held them when `s` was keyed); without `lanes`, states are keyed from scratch.
   */
  from(s: S, lanes: Int32Array | undefined, at: number): void {
    if (!this.incremental || this.canonical || lanes === undefined) {
      this.parentLanes = undefined;
      return;
    }
    this.incremental.split(s, this.parentParts);
    this.parentLanes = lanes;
    this.parentAt = at;
  }

  key(s: S, monitors: readonly Value[] | undefined, out: Int32Array): void {
    if (this.canonical) {
      const representative = this.canonical(s, monitors);
      s = representative.state;
      monitors = representative.monitors;
    }
    if (this.canonical && this.incremental) {
      const { previous, current } = this;
      this.incremental.fingerprint(s, out, current.parts, current.lanes, previous.parts, previous.lanes, 0);
      this.previous = current;
      this.current = previous;
    } else if (this.incremental) {
      const parent = this.parentLanes;
      this.incremental.fingerprint(s, out, this.parts, this.lanes, parent && this.parentParts, parent, this.parentAt);
    } else this.fingerprint(s, out, 0);
    if (monitors === undefined) return;
    const m = this.monitorLanes;
    fingerprintInto(monitors as Value, m, 0);
    out[0] = out[0]! ^ finalizeA((m[0]! + 0x3c6ef372) | 0);
    out[1] = out[1]! ^ finalizeB((m[1]! + 0x0f1bbcdc) | 0);
  }
}
