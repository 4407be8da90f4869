import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendTo, replaceAt } from "../../ioa/index.ts";
import { valueArb } from "../support/arbitraries.ts";

describe("sequence helpers", () => {
  it("appendTo is [...list, x] in a new array, and leaves the list as it was", () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 8 }), valueArb, (list, x) => {
        const before = [...list];
        const out = appendTo(list, x);
        expect(out).toEqual([...list, x]);
        expect(out).not.toBe(list);
        expect(list).toEqual(before);
        expect(Object.keys(out)).toEqual(Object.keys([...list, x]));
      }),
    );
  });

  it("replaceAt answers the same list when it already holds the element", () => {
    const list = [1, 2, 3];
    expect(replaceAt(list, 1, 2)).toBe(list);
    expect(replaceAt(list, 1, 5)).toEqual([1, 5, 3]);
  });
});
