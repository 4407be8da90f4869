// Renaming the ids of a state for symmetry reduction, remembering what it renamed.
//
// `Type.mapIds` rebuilds every part of the state in which an id occurs. Successive states share
// most of their parts (a step changes one process's stack, the others stay the same objects), and
// the same few renamings come back again and again (three ids have six), so the elements of a
// table indexed by the id set are renamed once per renaming and remembered (per position).

import type { IdRenaming, Type } from "../ioa/index.ts";

/** `v` with each id `i` of the set renamed to `newId[i]`. */
export type Renamer = (v: unknown, newId: readonly number[]) => unknown;

export function idRenamer(type: Type<unknown>, name: string): Renamer {
  if (!type.idSets.has(name)) return (v) => v;
  const layout = type.layout();
  if (layout.kind === "record") {
    const fields = layout.fields.map((f) => ({ key: f.key, rename: idRenamer(f.type, name) }));
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
    const element = remembered(idRenamer(layout.element, name), layout.index.count);
    return (v, newId) => {
      const xs = v as readonly unknown[];
      const out = new Array<unknown>(xs.length);
      for (let i = 0; i < xs.length; i++) out[newId[i]!] = element(xs[i], i, newId);
      return out;
    };
  }
  return (v, newId) => type.mapIds(v, renaming(name, newId));
}

function renaming(name: string, newId: readonly number[]): IdRenaming {
  return (set, id) => (set === name ? newId[id]! : id);
}

/**
 * `rename` of the elements of a table, remembered per position: the last element seen there and
 * its renamings (by renaming). The successors of one state, keyed one after another, share the
 * elements of the processes that did not move.
 */
function remembered(rename: Renamer, count: number): (v: unknown, at: number, newId: readonly number[]) => unknown {
  const last = new Array<unknown>(count).fill(undefined);
  const renamings = Array.from({ length: count }, () => new Map<number, unknown>());
  return (v, at, newId) => {
    if (typeof v !== "object" || v === null) return rename(v, newId);
    let code = 0;
    for (let i = 0; i < count; i++) code = code * count + newId[i]!;
    const known = renamings[at]!;
    if (v !== last[at]) {
      last[at] = v;
      known.clear();
    }
    let out = known.get(code);
    if (out === undefined) known.set(code, (out = rename(v, newId)));
    return out;
  };
}
