// Incremental fingerprints: re-hash only the parts of a state that a step changed.
//
// A composite state is a record of components, and some components are tables with one state
// per process. A step builds a new state that shares every part it did not change with the state
// before (the same objects: compose, replicate and the stack rebuild only what changed). So the
// fingerprint here is two-level: each part — a field of the state's record, or one process's
// element of a table field whose elements are big enough to be worth it — has its typed
// fingerprint, and the state's fingerprint folds the parts' fingerprints in order. Given the
// state a successor came from, with its parts and their fingerprints, a part that is the very
// same object is not hashed again.
//
// It is a different function from `typedFingerprinter` (it folds parts' fingerprints rather than
// their words), equal on equal states and telling different states apart like any 64-bit
// fingerprint; what must hold is that the incremental answer equals the answer from scratch, which
// the tests check as a law on random executions.

import { finalizeA, finalizeB, foldA, foldB } from "./hash.ts";
import { ValueError } from "./errors.ts";
import { typedFingerprinter, typedFingerprintWeight } from "./typed-fingerprint.ts";
import { assertType, type Type } from "./types.ts";
import { checkValue } from "./value.ts";

/** Table elements of fewer words than this are hashed with their table as one part. */
const PART_FROM = 8;

type Fingerprint = (v: unknown, out: Int32Array, at: number) => void;

interface FieldParts {
  readonly key: string;
  readonly optional: boolean;
  /** One part per element (a table of big elements), or the field as one part (-1). */
  readonly elements: number;
  readonly fingerprint: Fingerprint;
}

export class IncrementalFingerprint<S> {
  /** How many parts a state has. */
  readonly parts: number;
  private readonly fields: readonly FieldParts[];
  private readonly scratch = new Int32Array(2);

  /**
   * Undefined when it would not pay: the type is not a record, or has no table of big elements
   * (for a small state such as two-phase commit's, one straight-line typed fingerprint is faster
   * than looking at parts).
   */
  static of<S>(type: Type<S>): IncrementalFingerprint<S> | undefined {
    const layout = type.layout();
    if (layout.kind !== "record") return undefined;
    const f = new IncrementalFingerprint(type);
    return f.fields.some((x) => x.elements >= 0) ? f : undefined;
  }

  private constructor(private readonly type: Type<S>) {
    const layout = type.layout();
    if (layout.kind !== "record") throw new Error("IncrementalFingerprint: not a record type");
    this.fields = layout.fields.map((f) => {
      const inner = f.type.layout();
      const split = !f.optional && inner.kind === "table" && typedFingerprintWeight(inner.element) >= PART_FROM;
      return split && inner.kind === "table"
        ? { key: f.key, optional: false, elements: inner.index.count, fingerprint: typedFingerprinter(inner.element, `state.${f.key}[]`) as Fingerprint }
        : { key: f.key, optional: f.optional, elements: -1, fingerprint: typedFingerprinter(f.type, `state.${f.key}`) as Fingerprint };
    });
    this.parts = this.fields.reduce((n, f) => n + (f.elements < 0 ? 1 : f.elements), 0);
  }

  /** Writes the parts of `s`, in order, to `into`. */
  split(s: S, into: unknown[]): void {
    const rec = s as Record<string, unknown>;
    let k = 0;
    for (const f of this.fields) {
      const x = rec[f.key];
      if (f.elements < 0) into[k++] = x;
      else {
        const xs = x as readonly unknown[];
        for (let i = 0; i < f.elements; i++) into[k++] = xs[i];
      }
    }
  }

  /**
   * Writes the fingerprint of `s` to `out[0..1]`, and its parts and their lanes to `parts` and
   * `lanes` (two per part). With the parts and lanes of a state `s` came from (`parentLanes` from
   * `parentAt`), parts that are the same objects there are not hashed again.
   */
  fingerprint(s: S, out: Int32Array, parts: unknown[], lanes: Int32Array, parentParts?: readonly unknown[], parentLanes?: Int32Array, parentAt = 0): void {
    this.checkShape(s);
    this.split(s, parts);
    const scratch = this.scratch;
    let k = 0;
    let a = 0x2f1a6c0e;
    let b = 0x13c6ef37;
    for (const f of this.fields) {
      const n = f.elements < 0 ? 1 : f.elements;
      for (let i = 0; i < n; i++, k++) {
        const x = parts[k];
        let la: number, lb: number;
        if (parentParts !== undefined && parentParts[k] === x) {
          la = parentLanes![parentAt + 2 * k]!;
          lb = parentLanes![parentAt + 2 * k + 1]!;
        } else if (x === undefined && f.optional) {
          la = 0;
          lb = 1;
        } else {
          f.fingerprint(x, scratch, 0);
          la = scratch[0]!;
          lb = scratch[1]!;
        }
        lanes[2 * k] = la;
        lanes[2 * k + 1] = lb;
        a = foldA(foldA(a, la), lb);
        b = foldB(foldB(b, la), lb);
      }
    }
    out[0] = finalizeA(a ^ this.parts);
    out[1] = finalizeB((b + this.parts) | 0);
  }

  /** The record has exactly the declared fields, and split tables one element per id. */
  private checkShape(s: S): void {
    if (typeof s !== "object" || s === null) return this.fail(s);
    const rec = s as Record<string, unknown>;
    let present = 0;
    for (const f of this.fields) {
      const x = rec[f.key];
      if (x === undefined) {
        if (!f.optional) return this.fail(s);
        continue;
      }
      present++;
      if (f.elements >= 0 && (!Array.isArray(x) || x.length !== f.elements)) return this.fail(s);
    }
    let keys = 0;
    for (const _ in rec) keys++;
    if (keys !== present) this.fail(s);
  }

  private fail(s: unknown): never {
    assertType(this.type, s, "state");
    checkValue(s, "state");
    throw new ValueError("state", `does not fit ${this.type.description}`);
  }
}
