// A fast-check arbitrary of the values of a kernel type, built from its layout (small collections
// and integers near the bounds, so that generated values exercise every branch of a codec).

import fc from "fast-check";
import { IMap, ISet, type Type, type Value } from "../../ioa/index.ts";
import { valueArb } from "./arbitraries.ts";

export function arbitraryOf<T>(type: Type<T>): fc.Arbitrary<T> {
  return build(type as Type<unknown>) as fc.Arbitrary<T>;
}

function build(type: Type<unknown>): fc.Arbitrary<unknown> {
  const layout = type.layout();
  switch (layout.kind) {
    case "bool":
      return fc.boolean();
    case "bigint":
      return fc.bigInt();
    case "string":
      return fc.string({ maxLength: 8 });
    case "value":
      return valueArb;
    case "int":
      return fc.integer({ min: Math.max(layout.min, Number.MIN_SAFE_INTEGER), max: Math.min(layout.max, Number.MAX_SAFE_INTEGER) });
    case "ids":
      return fc.integer({ min: 0, max: layout.count - 1 });
    case "literal":
      return fc.constant(layout.value);
    case "enum":
      return fc.constantFrom(...layout.values);
    case "array":
      return fc.array(build(layout.element), { maxLength: 3 });
    case "table":
      return fc.array(build(layout.element), { minLength: layout.index.count, maxLength: layout.index.count });
    case "tuple":
      return fc.tuple(...layout.elements.map(build));
    case "record": {
      const fields = Object.fromEntries(layout.fields.map((f) => [f.key, build(f.type)]));
      const required = layout.fields.filter((f) => !f.optional).map((f) => f.key);
      return fc.record(fields, { requiredKeys: required });
    }
    case "union":
      return fc.oneof(...layout.members.map(build));
    case "set":
      return fc.array(build(layout.element), { maxLength: 3 }).map((xs) => ISet.from(xs as Value[]));
    case "map":
      return fc.array(fc.tuple(build(layout.key), build(layout.value)), { maxLength: 3 }).map((es) => IMap.from(es as [Value, Value][]));
  }
}
