// Small helpers on sequences of values, for properties such as "received is a prefix of sent".

import { valuesEqual, type Value } from "./value.ts";

export function isPrefixOf(prefix: readonly Value[], of: readonly Value[]): boolean {
  return prefix.length <= of.length && prefix.every((x, i) => valuesEqual(x, of[i]!));
}

/** 0, 1, …, n - 1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** `list` with element `i` replaced by `x`; the same list if it already holds `x` there. */
export function replaceAt<T>(list: readonly T[], i: number, x: T): T[] {
  if (list[i] === x) return list as T[];
  const out = list.slice();
  out[i] = x;
  return out;
}
