// The set of visited states: 64-bit fingerprints in one typed array, open addressing with linear
// probing. Eight bytes a state (at a load factor below one half), no objects, no strings — the
// structure TLC calls its FPSet and Spin its hash table. When asked (liveness checking needs the
// graph of states, not only the set), each slot also holds a value: the node the state became.

const EMPTY = 0;
/**
 * Fingerprints in the cache of those added or found lately: 128 KB, which stays in the processor's
 * cache. A search generates most states many times over, and mostly soon after the first: two
 * actions that commute from a state lead to one state through two sibling states, expanded one
 * shortly after the other (two-phase commit generates each of its states ten times). Such a
 * repeat is answered by the cache instead of a probe of the table, which is far too big to stay
 * in the processor's cache: each probe there is a miss.
 */
const RECENT = 1 << 14;

export class FingerprintSet {
  private slots: Int32Array;
  private values: Int32Array | undefined;
  private mask: number;
  private count = 0;
  /** Fingerprints known to be in the set, at a place chosen by their bits (direct-mapped). */
  private readonly recent = new Int32Array(2 * RECENT);

  constructor(expected = 1 << 16, withValues = false) {
    let capacity = 1 << 10;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.values = withValues ? new Int32Array(capacity) : undefined;
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Whether the next new fingerprint doubles the table. */
  get aboutToGrow(): boolean {
    return (this.count + 1) * 2 >= this.mask;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength + (this.values?.byteLength ?? 0);
  }

  /**
   * Adds the fingerprint (a, b); true if it was not there yet. The all-zero fingerprint marks empty
   * slots, so it is stored as (0, 1): merging it with (0, 1) costs a 2^-64 chance, like any collision.
   */
  add(a: number, b: number): boolean {
    if (a === EMPTY && b === EMPTY) b = 1;
    const recent = this.recent;
    const r = 2 * ((b ^ (a >>> 15)) & (RECENT - 1));
    if (recent[r] === a && recent[r + 1] === b) return false;
    recent[r] = a;
    recent[r + 1] = b;
    const i = this.slotFor(a, b);
    if (this.slots[2 * i + 1] !== EMPTY || this.slots[2 * i] !== EMPTY) return false;
    this.fill(i, a, b);
    return true;
  }

  /**
   * For a set made `withValues`: adds (a, b) with `value` and answers -1 if it was new, or answers
   * the value it was added with.
   */
  addOrFind(a: number, b: number, value: number): number {
    if (a === EMPTY && b === EMPTY) b = 1;
    const i = this.slotFor(a, b);
    if (this.slots[2 * i + 1] !== EMPTY || this.slots[2 * i] !== EMPTY) return this.values![i]!;
    this.fill(i, a, b);
    this.values![i] = value;
    return -1;
  }

  /** The slot holding (a, b), or the empty slot where it belongs (after growing, if the table is half full). */
  private slotFor(a: number, b: number): number {
    if (this.count * 2 >= this.mask) this.grow();
    const slots = this.slots;
    const mask = this.mask;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const x = slots[2 * i]!;
      const y = slots[2 * i + 1]!;
      if ((x === EMPTY && y === EMPTY) || (x === a && y === b)) return i;
      i = (i + 1) & mask;
    }
  }

  private fill(i: number, a: number, b: number): void {
    this.slots[2 * i] = a;
    this.slots[2 * i + 1] = b;
    this.count++;
  }

  has(a: number, b: number): boolean {
    return this.slotOf(a, b) >= 0;
  }

  /** For a set made `withValues`: the value (a, b) was added with, or -1 if it is not in the set. */
  find(a: number, b: number): number {
    const i = this.slotOf(a, b);
    return i < 0 ? -1 : this.values![i]!;
  }

  /** The slot holding (a, b), or -1. */
  private slotOf(a: number, b: number): number {
    if (a === EMPTY && b === EMPTY) b = 1;
    const slots = this.slots;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const x = slots[2 * i]!;
      const y = slots[2 * i + 1]!;
      if (x === EMPTY && y === EMPTY) return -1;
      if (x === a && y === b) return i;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldValues = this.values;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    this.values = oldValues && new Int32Array(this.mask + 1);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a === EMPTY && b === EMPTY) continue;
      const j = this.slotFor(a, b);
      this.fill(j, a, b);
      if (oldValues) this.values![j] = oldValues[i / 2]!;
    }
  }
}
