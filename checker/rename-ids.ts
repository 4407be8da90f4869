// Renaming the ids of a state for symmetry reduction, remembering what it renamed.
//
// `Type.mapIds` rebuilds every part of the state in which an id occurs. Successive states share
// most of their parts (a step changes one layer of one process's stack; the other layers and the
// other processes' stacks stay the same objects), and the same few renamings come back again and
// again (three ids have six), so the big parts of the state — a process's stack, its layers'
// states — are remembered by identity with their renamings for a while (values are immutable). A
// renamed state then shares its unchanged parts with the representatives renamed before it, which
// the fingerprint of the representative skips (node-key.ts).

import type { IdRenaming, Type } from "../ioa/index.ts";
import { typedFingerprintWeight } from "../ioa/typed-fingerprint.ts";

/** `v` with each id `i` of the set renamed to `newId[i]`. */
export type Renamer = (v: unknown, newId: readonly number[]) => unknown;

/** Parts at least this big (in typed-fingerprint words) are remembered… */
const REMEMBER_FROM = 3;
/** …down to this depth of records and tables (a process's stack is at 2, its layers' states at 4). */
const REMEMBER_DOWN_TO = 4;

export function idRenamer(type: Type<unknown>, name: string): Renamer {
  const rename = compile(type, name, 0);
  // One array per renaming, so that remembered renamings are found by identity.
  const renamings = new Map<string, readonly number[]>();
  return (v, newId) => {
    const key = newId.join();
    let canonical = renamings.get(key);
    if (canonical === undefined) renamings.set(key, (canonical = [...newId]));
    return rename(v, canonical);
  };
}

function compile(type: Type<unknown>, name: string, depth: number): Renamer {
  if (!type.idSets.has(name)) return (v) => v;
  const rename = walk(type, name, depth);
  return depth > 0 && depth <= REMEMBER_DOWN_TO && typedFingerprintWeight(type) >= REMEMBER_FROM ? remembered(rename) : rename;
}

function walk(type: Type<unknown>, name: string, depth: number): Renamer {
  const layout = type.layout();
  if (layout.kind === "record") {
    const fields = layout.fields.map((f) => ({ key: f.key, rename: compile(f.type, name, depth + 1) }));
    return (v, newId) => {
      const rec = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const x = rec[f.key];
        if (x !== undefined) out[f.key] = f.rename(x, newId);
      }
      return out;
    };
  }
  if (layout.kind === "table" && layout.index.name === name) {
    const element = compile(layout.element, name, depth + 1);
    return (v, newId) => {
      const xs = v as readonly unknown[];
      const out = new Array<unknown>(xs.length);
      for (let i = 0; i < xs.length; i++) out[newId[i]!] = element(xs[i], newId);
      return out;
    };
  }
  return (v, newId) => type.mapIds(v, renaming(name, newId));
}

function renaming(name: string, newId: readonly number[]): IdRenaming {
  return (set, id) => (set === name ? newId[id]! : id);
}

/** How many recent renamings each remembering part keeps (a few per process and renaming). */
const RECENT = 24;

/**
 * `rename`, remembered for the last few objects and renamings seen there (`newId` arrays are
 * canonical: compared by identity). A scan of a few recent entries is far cheaper than a WeakMap.
 */
function remembered(rename: Renamer): Renamer {
  const objects = new Array<unknown>(RECENT).fill(undefined);
  const renamings = new Array<readonly number[] | undefined>(RECENT).fill(undefined);
  const results = new Array<unknown>(RECENT).fill(undefined);
  let next = 0;
  return (v, newId) => {
    for (let k = 0; k < RECENT; k++) if (objects[k] === v && renamings[k] === newId) return results[k];
    const out = rename(v, newId);
    if (typeof v === "object" && v !== null) {
      objects[next] = v;
      renamings[next] = newId;
      results[next] = out;
      next = next + 1 === RECENT ? 0 : next + 1;
    }
    return out;
  };
}
