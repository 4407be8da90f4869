// Values remembered by object identity, in a Map forgotten whole when it fills up: bounded memory,
// and none of a WeakMap's cost (several times a Map's to fill, and to collect). For caches whose
// objects recur soon or not at all — a simulator's actions for a run or two, a checker's interned
// parts.

export class Recent<K extends object, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit = 1024) {}

  get(k: K): V | undefined {
    return this.map.get(k);
  }

  set(k: K, v: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(k, v);
  }
}
