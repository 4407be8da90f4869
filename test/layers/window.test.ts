import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { t, valuesEqual } from "../../ioa/index.ts";
import { appended, CHUNK, droppedBefore, forEachInWindow, windowSize, windowType, type Window } from "../../layers/window.ts";

/** A window and what it should hold: the items from seqno `first` to `end`, as a plain list. */
interface Model {
  w: Window<number>;
  first: number;
  end: number;
  items: number[];
}

type Op = { append: number } | { drop: number };

const ops = fc.array(fc.oneof(fc.record({ append: fc.integer() }), fc.record({ drop: fc.nat(3 * CHUNK) })), { maxLength: 600 });

function apply(m: Model, op: Op): Model {
  if ("append" in op) return { w: appended(m.w, m.end, op.append), first: m.first, end: m.end + 1, items: [...m.items, op.append] };
  const start = Math.min(m.end, m.first + op.drop);
  return { w: droppedBefore(m.w, m.end, start), first: start, end: m.end, items: m.items.slice(start - m.first) };
}

/** The window of `items` from seqno `first`, built by appending one at a time. */
function built(first: number, items: readonly number[]): Window<number> {
  return items.reduce<Window<number>>((w, x, i) => appended(w, first + i, x), []);
}

const listed = (w: Window<number>, end: number, lo?: number, hi?: number) => {
  const out: [number, number][] = [];
  forEachInWindow(w, end, (x, seqno) => out.push([seqno, x]), lo, hi);
  return out;
};

describe("a window of messages", () => {
  it("holds what was appended and not dropped, numbered by seqno, in one canonical shape", () => {
    fc.assert(
      fc.property(fc.nat(1000), ops, (start, script) => {
        let m: Model = { w: [], first: start, end: start, items: [] };
        for (const op of script) {
          m = apply(m, op);
          expect(windowSize(m.w)).toBe(m.items.length);
          expect(listed(m.w, m.end)).toEqual(m.items.map((x, i) => [m.first + i, x]));
          // However it was reached, the same items at the same seqnos make the same value.
          expect(valuesEqual(m.w as never, built(m.first, m.items) as never)).toBe(true);
          expect(windowType(t.int()).find(m.w)).toBeUndefined();
        }
      }),
    );
  });

  it("lists the items of a range of seqnos", () => {
    fc.assert(
      fc.property(fc.nat(500), fc.array(fc.integer(), { maxLength: 400 }), fc.nat(1000), fc.nat(1000), (first, items, lo, hi) => {
        const end = first + items.length;
        const expected = items.map((x, i): [number, number] => [first + i, x]).filter(([seqno]) => seqno >= lo && seqno < hi);
        expect(listed(built(first, items), end, lo, hi)).toEqual(expected);
      }),
    );
  });

  it("copies at most a chunk and the list of chunks to append, and shares the rest", () => {
    const w = built(0, Array.from({ length: 10 * CHUNK + 5 }, (_, i) => i));
    const next = appended(w, 10 * CHUNK + 5, -1);
    expect(next.slice(0, 10).every((chunk, k) => chunk === w[k])).toBe(true);
    expect(droppedBefore(next, 10 * CHUNK + 6, 0)).toBe(next);
  });
});
