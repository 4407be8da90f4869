// The set of visited states: 64-bit fingerprints in one typed array, open addressing with linear
// probing. Eight bytes a state (at a load factor below one half), no objects, no strings — the
// structure TLC calls its FPSet and Spin its hash table.

const EMPTY = 0;

export class FingerprintSet {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1 << 16) {
    let capacity = 1 << 10;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /**
   * Adds the fingerprint (a, b); true if it was not there yet. The all-zero fingerprint marks empty
   * slots, so it is stored as (0, 1): merging it with (0, 1) costs a 2^-64 chance, like any collision.
   */
  add(a: number, b: number): boolean {
    if (a === EMPTY && b === EMPTY) b = 1;
    if (this.count * 2 >= this.mask) this.grow();
    const slots = this.slots;
    const mask = this.mask;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const x = slots[2 * i]!;
      const y = slots[2 * i + 1]!;
      if (x === EMPTY && y === EMPTY) {
        slots[2 * i] = a;
        slots[2 * i + 1] = b;
        this.count++;
        return true;
      }
      if (x === a && y === b) return false;
      i = (i + 1) & mask;
    }
  }

  has(a: number, b: number): boolean {
    if (a === EMPTY && b === EMPTY) b = 1;
    const slots = this.slots;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const x = slots[2 * i]!;
      const y = slots[2 * i + 1]!;
      if (x === EMPTY && y === EMPTY) return false;
      if (x === a && y === b) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a !== EMPTY || b !== EMPTY) this.add(a, b);
    }
  }
}
