// What the compilers of per-type code share (typed fingerprints, packed states): fresh local
// names, and constants handed to the compiled function as `K`.

export class CodeWriter {
  /** The constants the compiled code reads as `K[i]`. */
  readonly constants: unknown[] = [];
  private next = 0;

  /** A local name not used before in this code. */
  protected fresh(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  /** The expression reading `value` from the constants. */
  protected constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }
}

/**
 * `(v) => v[key]`, compiled for this one key: a read of a constant key has an inline cache of its
 * own, where one closure over varying keys would read every record type through one megamorphic load.
 */
export function fieldReader(key: string): (v: unknown) => unknown {
  return new Function("v", `return v[${JSON.stringify(key)}];`) as (v: unknown) => unknown;
}
