// A cache by object identity of the most recent objects, for explorers' hot paths.

/**
 * Values remembered by object, for the most recent objects: a Map forgotten whole when it fills
 * up, since a WeakMap costs several times more to fill (and to collect) than a Map, and objects
 * last only a run or so. Kept small (a run or two of new actions): objects it holds on to live
 * into the old generation, which costs more than looking a few of them up again (16,384 made
 * runs slower than a WeakMap did when the heap was large).
 */
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
