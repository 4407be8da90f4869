// The fingerprint of a search node: the automaton's state (by its typed fingerprint, after mapping
// it to its symmetry representative when asked) together with the monitors' states.
//
// The state's fingerprint is incremental (ioa/incremental-fingerprint) when its type has parts worth
// it. Without symmetry reduction the search says which state the next ones came from (`from`), with
// the lanes of its parts (and their sum) kept beside it in the frontier, and only the parts a step
// changed are hashed again. With it, a representative is compared with the representative keyed before it:
// successors of one state usually sort the ids alike, and the renamed parts of the processes that
// did not move are then the same objects (symmetry.ts remembers them).

import { finalizeA, finalizeB } from "../ioa/hash.ts";
import { fingerprintInto, IncrementalFingerprint, typedFingerprinter, type Type, type Value } from "../ioa/index.ts";

export type Canonicalizer<S> = (s: S, monitors: readonly Value[] | undefined) => { state: S; monitors: readonly Value[] | undefined };

export class NodeKeys<S> {
  /** Lanes per state kept for its successors (`IncrementalFingerprint.width`), or 0 when keys are not incremental. */
  readonly width: number;
  /** What the state last keyed leaves for its successors (when incremental): what the frontier keeps. */
  readonly lanes: Int32Array;
  private readonly incremental: IncrementalFingerprint<S> | undefined;
  private readonly fingerprint: (s: S, out: Int32Array, at: number) => void;
  private readonly monitorLanes = new Int32Array(2);
  private parent: S | undefined;
  private parentLanes: Int32Array | undefined;
  private parentAt = 0;
  /** With symmetry: the representative keyed last and its lanes (in one of two buffers; the next is written to the other). */
  private previous: S | undefined;
  private previousLanes: Int32Array | undefined;
  private current: Int32Array;
  private other: Int32Array;

  constructor(
    type: Type<S>,
    private readonly canonical?: Canonicalizer<S>,
  ) {
    this.fingerprint = typedFingerprinter(type);
    this.incremental = IncrementalFingerprint.of(type, { remember: canonical !== undefined });
    this.width = this.incremental && !canonical ? this.incremental.width : 0;
    this.lanes = new Int32Array(this.width);
    this.current = new Int32Array(this.incremental?.width ?? 0);
    this.other = new Int32Array(this.incremental?.width ?? 0);
  }

  /**
   * The states keyed next are successors of `s`, whose lanes are `lanes[at..at + width]`
   * (as `this.lanes` held them when `s` was keyed); without `lanes`, states are keyed from scratch.
   */
  from(s: S, lanes: Int32Array | undefined, at: number): void {
    if (!this.incremental || this.canonical || lanes === undefined) {
      this.parentLanes = undefined;
      return;
    }
    this.parent = s;
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
      const current = this.current;
      this.incremental.fingerprint(s, out, current, this.previous, this.previousLanes, 0);
      this.previous = s;
      this.previousLanes = current;
      this.current = this.other;
      this.other = current;
    } else if (this.incremental) {
      this.incremental.fingerprint(s, out, this.lanes, this.parent, this.parentLanes, this.parentAt);
    } else this.fingerprint(s, out, 0);
    if (monitors === undefined) return;
    const m = this.monitorLanes;
    fingerprintInto(monitors as Value, m, 0);
    out[0] = out[0]! ^ finalizeA((m[0]! + 0x3c6ef372) | 0);
    out[1] = out[1]! ^ finalizeB((m[1]! + 0x0f1bbcdc) | 0);
  }
}
