// The fingerprint of a search node: the automaton's state (by its typed fingerprint, after mapping
// it to its symmetry representative when asked) together with the monitors' states.
//
// The state's fingerprint is incremental (ioa/incremental-fingerprint) when its type has parts worth
// it. Without symmetry reduction the search says which state the next ones came from (`from`), with
// the lanes of its parts (and their sum) kept beside it in the frontier, and only the parts a step
// changed are hashed again. With it, symmetry.ts writes the key of the state's representative
// itself when it can (one id set, a type with parts: the key is the renamed fingerprint, the
// representative is never built); otherwise it answers the representative, which is compared with
// the representative keyed before it: successors of one state usually sort the ids alike, and the
// renamed parts of the processes that did not move are then the same objects (rename-ids.ts remembers them).
//
// A state of layered processes (a group's stacks, applications and network) has its parts interned
// (interned-parts.ts): it is kept as the first objects met with its parts' values, and without
// symmetry its key is a fingerprint of their ids. The monitors' states are interned the same way
// (interned-monitors.ts), whatever the state.
//
// With symmetry reduction and trace monitors, the node — the state with the monitors' states, the
// monitors typed (monitored-nodes.ts) — is what is renamed and keyed, so that a renaming of the
// processes renames what the monitors remember of them too.
//
// A state whose type packs (packed-states.ts: two-phase commit's does, in two words up to 9 RMs)
// is keyed by its packing instead: packing is cheaper than hashing the state (its sets need not be
// hashed at all), and a packing of at most 64 bits, mixed by a bijection, is an exact key — no two
// states collide (but for the one pair the visited set stores alike: see fingerprint-set.ts). Without symmetry reduction the packing is also what the frontier keeps of
// the state (the lanes), so a state is packed once, for its key and its place in the level.

import { finalizeA, finalizeB, foldA, foldB, NOT_A_VALUE } from "../ioa/hash.ts";
import { IncrementalFingerprint, typedFingerprinter, ValueError, type Type, type Value } from "../ioa/index.ts";
import { InternedMonitors } from "./interned-monitors.ts";
import { InternedParts } from "./interned-parts.ts";
import { PackedStates } from "./packed-states.ts";
import type { MonitoredNodes } from "./monitored-nodes.ts";

/**
 * Symmetry reduction's part in keying a state: it writes the key of the state's representative
 * itself, or answers the representative, to be keyed as any state.
 */
export type Canonicalizer<S> = { readonly key: (s: S, out: Int32Array) => void } | { readonly representative: (s: S) => S };

/** Symmetry reduction of a search node with trace monitors: the state and the monitors' states renamed together (monitored-nodes.ts). */
export interface MonitoredCanonicalizer<S> {
  readonly canonical: Canonicalizer<unknown>;
  readonly nodes: MonitoredNodes<S>;
}

export class NodeKeys<S> {
  /** Lanes per state kept for its successors (the packing's words, or `IncrementalFingerprint.width`), or 0 when there are none (symmetry, or keys from scratch). */
  readonly width: number;
  /** What the state last keyed leaves for its successors (when incremental; its packing when `packed`): what the frontier keeps. */
  readonly lanes: Int32Array;
  /** The packing of the state type, when it packs: states (or their representatives) are keyed by it, and without symmetry `lanes` is the state's packing. */
  readonly packed: PackedStates<S> | undefined;
  /** Where a state is packed to be keyed: `lanes`, or with symmetry a buffer of its own. */
  private readonly packing: Int32Array;
  private readonly incremental: IncrementalFingerprint<S> | undefined;
  /**
   * A state of layered processes: its parts interned (interned-parts.ts), and without symmetry its
   * key a fingerprint of their ids. With symmetry the representative of the interned state is
   * keyed: interning spares steps and renamings there too.
   */
  private readonly interned: InternedParts<S> | undefined;
  /** The parts' ids of the state keyed last: `lanes`, or with symmetry a buffer of their own. */
  private readonly ids: Int32Array;
  /** With symmetry, where the interned parts' key goes (unused: the representative's is the state's). */
  private readonly partsKey = new Int32Array(2);
  private readonly fingerprint: (s: S, out: Int32Array, at: number) => void;
  private readonly monitorLanes = new Int32Array(2);
  /** The monitors' states, interned (interned-monitors.ts); and those of the state keyed last, as kept. */
  readonly monitors = new InternedMonitors();
  keptMonitors: readonly Value[] | undefined;
  private parent: S | undefined;
  private parentLanes: Int32Array | undefined;
  private parentAt = 0;
  /** With symmetry: the representative keyed last and its lanes (in one of two buffers; the next is written to the other). */
  private previous: S | undefined;
  private previousLanes: Int32Array | undefined;
  private current: Int32Array;
  private other: Int32Array;

  /** With symmetry reduction and trace monitors: the node's canonicalizer, and the fingerprint of its representative when it answers one. */
  private readonly monitored: (MonitoredCanonicalizer<S> & { readonly fingerprint: (node: unknown, out: Int32Array, at: number) => void }) | undefined;

  constructor(
    type: Type<S>,
    private readonly canonical?: Canonicalizer<S>,
    monitored?: MonitoredCanonicalizer<S>,
  ) {
    this.fingerprint = typedFingerprinter(type);
    this.monitored = monitored && { ...monitored, fingerprint: typedFingerprinter(monitored.nodes.type) };
    const reduced = canonical !== undefined || monitored !== undefined;
    this.packed = PackedStates.of(type);
    const keysItself = canonical !== undefined && "key" in canonical;
    this.interned = this.packed ? undefined : InternedParts.of(type);
    this.incremental = this.packed || keysItself || monitored || (this.interned && !canonical) ? undefined : IncrementalFingerprint.of(type, { remember: canonical !== undefined });
    this.width = reduced ? 0 : (this.packed?.words ?? this.interned?.parts ?? this.incremental?.width ?? 0);
    this.lanes = new Int32Array(this.width);
    this.ids = reduced && this.interned ? new Int32Array(this.interned.parts) : this.lanes;
    this.packing = reduced && this.packed ? new Int32Array(this.packed.words) : this.lanes;
    this.current = new Int32Array(this.incremental?.width ?? 0);
    this.other = new Int32Array(this.incremental?.width ?? 0);
  }

  /**
   * The states keyed next are successors of `s`, whose lanes are `lanes[at..at + width]`
   * (as `this.lanes` held them when `s` was keyed); without `lanes`, states are keyed from scratch.
   */
  from(s: S, lanes: Int32Array | undefined, at: number): void {
    if (this.width === 0 || lanes === undefined) {
      this.parentLanes = undefined;
      return;
    }
    this.parent = s;
    this.parentLanes = lanes;
    this.parentAt = at;
  }

  /**
   * Writes the key of `s` with `monitors` to `out[0..1]`; answers the state to keep: `s`, or with
   * interned parts, `s` made of the interned objects (and leaves the monitors to keep, interned,
   * in `keptMonitors`).
   */
  key(s: S, monitors: readonly Value[] | undefined, out: Int32Array): S {
    if (this.monitored) return this.monitoredKey(s, monitors!, out);
    const canonical = this.canonical;
    const kept = this.interned ? this.interned.intern(s, canonical ? this.partsKey : out, this.ids, this.parent, this.parentLanes, this.parentAt) : s;
    if (canonical && "key" in canonical) {
      canonical.key(kept, out);
      return kept;
    }
    if (canonical || !this.interned) this.stateKey(canonical ? canonical.representative(kept) : kept, out);
    this.keptMonitors = monitors;
    if (monitors === undefined) return kept;
    const m = this.monitorLanes;
    this.keptMonitors = this.monitors.intern(monitors, m);
    out[0] = out[0]! ^ finalizeA((m[0]! + 0x3c6ef372) | 0);
    out[1] = out[1]! ^ finalizeB((m[1]! + 0x0f1bbcdc) | 0);
    return kept;
  }

  /** `key` under symmetry reduction with monitors: the representative of the state and the monitors' states together is keyed. */
  private monitoredKey(s: S, monitors: readonly Value[], out: Int32Array): S {
    const kept = this.interned ? this.interned.intern(s, this.partsKey, this.ids, undefined, undefined, 0) : s;
    const keptMonitors = this.monitors.intern(monitors, this.monitorLanes);
    this.keptMonitors = keptMonitors;
    const { canonical, fingerprint, nodes } = this.monitored!;
    const node = nodes.node(kept, keptMonitors);
    if ("key" in canonical) canonical.key(node, out);
    else fingerprint(canonical.representative(node), out, 0);
    return kept;
  }

  /** Writes the key of the state `s` (its representative, with symmetry) by its packing or fingerprint. */
  private stateKey(s: S, out: Int32Array): void {
    if (this.packed) this.keyOfPacking(s, out);
    else if (this.canonical && this.incremental) {
      const current = this.current;
      this.incremental.fingerprint(s, out, current, this.previous, this.previousLanes, 0);
      this.previous = s;
      this.previousLanes = current;
      this.current = this.other;
      this.other = current;
    } else if (this.incremental) {
      this.incremental.fingerprint(s, out, this.lanes, this.parent, this.parentLanes, this.parentAt);
    } else this.fingerprint(s, out, 0);
  }

  /**
   * Packs `s` and writes its key: for one or two words a bijection of them (each step of the mix is
   * invertible), so distinct states have distinct keys; for more, a fingerprint of the words.
   */
  private keyOfPacking(s: S, out: Int32Array): void {
    const w = this.packing;
    try {
      this.packed!.pack(s, w, 0, this.parentLanes && this.parent, this.parentLanes, this.parentAt);
    } catch (e) {
      if (e !== NOT_A_VALUE) throw e;
      this.fingerprint(s, out, 0); // names the path of what does not fit the type
      throw new ValueError("state", "does not fit its type");
    }
    const n = w.length;
    if (n <= 2) {
      const a = finalizeA(w[0]! ^ Math.imul(n === 2 ? w[1]! : 0, 0x9e3779b1));
      out[0] = a;
      out[1] = finalizeB((n === 2 ? w[1]! : 0) ^ Math.imul(a, 0x85ebca6b));
      return;
    }
    let a = 0x6c62272e;
    let b = 0x07bb0142;
    for (let i = 0; i < n; i++) {
      a = foldA(a, w[i]!);
      b = foldB(b, w[i]!);
    }
    out[0] = finalizeA(a ^ n);
    out[1] = finalizeB((b + n) | 0);
  }
}
