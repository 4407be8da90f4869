import { describe, expect, it } from "vitest";
import { InternedValues } from "../../checker/interned-values.ts";

describe("interned values", () => {
  it("keep the first object of each value, find it and its copies by identity, and number values in the order met", () => {
    const values = new InternedValues<unknown>();
    const first = { n: 1 };
    const copy = { n: 1 };
    expect(values.known(first)).toBe(-1);
    expect(values.add(first, 11, 12)).toBe(0);
    expect(values.add(copy, 11, 12)).toBe(0);
    expect(values.object(0)).toBe(first);
    expect([values.known(first), values.known(copy), values.known({ n: 1 })]).toEqual([0, 0, -1]);
    expect(values.add({ n: 2 }, 21, 22)).toBe(1);
    expect(values.add(7, 31, 32)).toBe(2);
    expect(values.known(7)).toBe(-1);
    expect(values.size).toBe(3);
  });
});
