// The values of one type met by a search, each kept as the first object met with it, by a small
// integer id (hash-consing): what interned-parts.ts and interned-monitors.ts share. A value is
// told by a 64-bit fingerprint, as states are in the visited set; an object met before, as the
// kept one or as a copy of it, is found by identity without one.

import { FingerprintSet } from "./fingerprint-set.ts";

export class InternedValues<V> {
  private readonly ids = new FingerprintSet(1 << 10, true);
  private readonly objects: V[] = [];
  private readonly kept = new Map<object, number>();
  private readonly copies = new WeakMap<object, number>();

  /** How many values were met. */
  get size(): number {
    return this.objects.length;
  }

  /** The id of `v` if it is an object met before (kept, or a copy of a kept one); else -1. */
  known(v: V): number {
    if (typeof v !== "object" || v === null) return -1;
    return this.kept.get(v) ?? this.copies.get(v) ?? -1;
  }

  /** The id of the value `v`, whose fingerprint is (`a`, `b`): the id of the object kept for it, or a new one with `v` kept. */
  add(v: V, a: number, b: number): number {
    const id = this.ids.addOrFind(a, b, this.objects.length);
    const object = typeof v === "object" && v !== null ? v : undefined;
    if (id >= 0) {
      if (object !== undefined) this.copies.set(object, id);
      return id;
    }
    this.objects.push(v);
    if (object !== undefined) this.kept.set(object, this.objects.length - 1);
    return this.objects.length - 1;
  }

  /** The object kept for id `id`. */
  object(id: number): V {
    return this.objects[id]!;
  }
}
