// The fingerprint of a search node: the automaton's state (by its typed fingerprint, after mapping
// it to its symmetry representative when asked) together with the monitors' states.

import { finalizeA, finalizeB } from "../ioa/hash.ts";
import { fingerprintInto, typedFingerprinter, type Type, type Value } from "../ioa/index.ts";

export type NodeKey<S> = (s: S, monitors: readonly Value[] | undefined, out: Int32Array) => void;

export type Canonicalizer<S> = (s: S, monitors: readonly Value[] | undefined) => { state: S; monitors: readonly Value[] | undefined };

export function nodeKey<S>(type: Type<S>, canonical?: Canonicalizer<S>): NodeKey<S> {
  const monitorLanes = new Int32Array(2);
  const fingerprint = typedFingerprinter(type);
  const plain: NodeKey<S> = (s, monitors, out) => {
    fingerprint(s, out, 0);
    if (monitors === undefined) return;
    fingerprintInto(monitors as Value, monitorLanes, 0);
    out[0] = out[0]! ^ finalizeA((monitorLanes[0]! + 0x3c6ef372) | 0);
    out[1] = out[1]! ^ finalizeB((monitorLanes[1]! + 0x0f1bbcdc) | 0);
  };
  if (!canonical) return plain;
  return (s, monitors, out) => {
    const representative = canonical(s, monitors);
    plain(representative.state, representative.monitors, out);
  };
}
