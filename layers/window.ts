// A window of messages: a sequence numbered by seqno that grows at its end and is cut at its
// front (MNAK's casts until they are stable), kept as a kernel value that an append does not copy
// whole.
//
// The items sit in chunks of CHUNK seqnos aligned on multiples of CHUNK: chunk k holds the
// window's items among seqnos kCHUNK … (k+1)CHUNK − 1. So the shape of a window is a function of
// its items and its end — one value per window, as the checker's fingerprints need — and an append
// copies one chunk and the list of chunks, not every item: under load, when thousands of casts
// wait for stability, that is the difference between constant and linear work per cast. Callers
// keep the window's end (the seqno after its last item); the window itself stores only items.

import { appendTo, t, type Type } from "../ioa/index.ts";

export type Window<T> = readonly (readonly T[])[];

/** Seqnos per chunk: an append copies at most this many items, plus one slot per chunk. */
export const CHUNK = 128;

export function windowType<T>(item: Type<T>): Type<Window<T>> {
  return t.array(t.array(item)) as unknown as Type<Window<T>>;
}

/** How many items the window holds. */
export function windowSize<T>(w: Window<T>): number {
  if (w.length === 0) return 0;
  if (w.length === 1) return w[0]!.length;
  return w[0]!.length + (w.length - 2) * CHUNK + w[w.length - 1]!.length;
}

/** `w`, which ends before seqno `end`, with `x` at seqno `end`. */
export function appended<T>(w: Window<T>, end: number, x: T): Window<T> {
  if (end % CHUNK === 0 || w.length === 0) return appendTo(w, [x]);
  const out = w.slice();
  out[out.length - 1] = appendTo(w[w.length - 1]!, x);
  return out;
}

/** `w`, which ends before seqno `end`, without its items before seqno `start`. */
export function droppedBefore<T>(w: Window<T>, end: number, start: number): Window<T> {
  const first = end - windowSize(w);
  if (start <= first) return w;
  if (start >= end) return [];
  const whole = Math.floor(start / CHUNK) - Math.floor(first / CHUNK);
  const out = w.slice(whole);
  out[0] = out[0]!.slice(start % CHUNK - (whole === 0 ? first % CHUNK : 0));
  return out;
}

/** Calls `f` on each item of `w`, which ends before seqno `end`, with its seqno, oldest first; only those from `lo` and before `hi` if given. */
export function forEachInWindow<T>(w: Window<T>, end: number, f: (x: T, seqno: number) => void, lo = 0, hi = end): void {
  const first = end - windowSize(w);
  const base = Math.floor(first / CHUNK);
  for (let seqno = Math.max(lo, first); seqno < Math.min(hi, end); seqno++) {
    const chunk = Math.floor(seqno / CHUNK) - base;
    f(w[chunk]![chunk === 0 ? seqno - first : seqno % CHUNK]!, seqno);
  }
}
