// Small helpers on sequences of values, for properties such as "received is a prefix of sent".

import { valuesEqual, type Value } from "./value.ts";

export function isPrefixOf(prefix: readonly Value[], of: readonly Value[]): boolean {
  if (prefix.length > of.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== of[i] && !valuesEqual(prefix[i]!, of[i]!)) return false;
  return true;
}

/** 0, 1, …, n - 1. */
export function range(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * `list` with `x` at its end, in an array of exactly that length. States hold their lists for as
 * long as they are explored, and `[...list, x]` makes an array with room for a dozen more
 * elements (V8 grows it as it appends): a model's lists would carry that spare room.
 */
export function appendTo<T>(list: readonly T[], x: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = x;
  return out;
}

/** `list` with element `i` replaced by `x`; the same list if it already holds `x` there. */
export function replaceAt<T>(list: readonly T[], i: number, x: T): T[] {
  if (list[i] === x) return list as T[];
  const out = list.slice();
  out[i] = x;
  return out;
}
