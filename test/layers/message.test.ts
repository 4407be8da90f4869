import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkValue, type Value } from "../../ioa/index.ts";
import type { CastEvent, SendEvent } from "../../layers/event.ts";
import { APPLICATION, bodyOf, carrying, pop, push } from "../../layers/message.ts";

const header = fc.option(fc.oneof(fc.string(), fc.integer(), fc.record({ type: fc.constantFrom("Data", "Nak"), seqno: fc.nat() })), { nil: undefined });

describe("header stacks", () => {
  it("pop returns what push pushed, last first, and the message as it was before", () => {
    fc.assert(
      fc.property(fc.array(header, { maxLength: 8 }), fc.option(fc.string(), { nil: undefined }), fc.boolean(), (headers, payload, fromApplication) => {
        const start: CastEvent = { type: "Cast", ...(fromApplication && { above: APPLICATION }), ...(payload !== undefined && { payload }) };
        const pushed = [start];
        for (const h of headers) pushed.push(push(pushed[pushed.length - 1]!, h));
        checkValue(pushed[pushed.length - 1] as unknown as Value);
        let ev = pushed[pushed.length - 1]!;
        for (let i = headers.length - 1; i >= 0; i--) {
          const popped = pop<CastEvent, unknown>(ev);
          expect(popped.header).toEqual(headers[i]);
          expect(popped.ev).toEqual(pushed[i]);
          // Only the layer whose own message it is (the first to push) sees it as its own.
          expect(popped.own).toBe(i === 0 && !fromApplication);
          ev = popped.ev;
        }
        expect(ev).toEqual(start);
      }),
    );
  });

  it("writes no field for an absent header or an absent rest, so a message is a value", () => {
    const own = push<SendEvent, undefined>({ type: "Send", peer: 1 }, undefined);
    expect(own).toEqual({ type: "Send", peer: 1, above: {} });
    expect(Object.keys(own.above as object)).toEqual([]);
    expect(carrying({ type: "Cast", above: APPLICATION, payload: "m" } as CastEvent, undefined)).toEqual({ type: "Cast", payload: "m" });
    expect(bodyOf({ type: "Cast", peer: 2, payload: "m" } as CastEvent)).toEqual({ payload: "m" });
  });

  it("refuses to pop a message with no headers", () => {
    expect(() => pop({ type: "Cast", payload: "m" } as CastEvent)).toThrow("pop: a Cast event without headers");
  });
});
