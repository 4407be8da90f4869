import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkValue, t, type Value } from "../../ioa/index.ts";
import type { CastEvent, SendEvent } from "../../layers/event.ts";
import { bodyOf, carrying, fromApplication, headersType, pop, push } from "../../layers/message.ts";

const header = fc.option(fc.oneof(fc.string(), fc.integer(), fc.record({ type: fc.constantFrom("Data", "Nak"), seqno: fc.nat() })), { nil: undefined });
const layers = fc.uniqueArray(fc.constantFrom("top", "local", "frag", "stable", "pt2pt", "mnak", "bottom"), { minLength: 1 });

describe("header stacks", () => {
  it("hand each layer, popping on the way up, the header its peer pushed on the way down, and the message back as it was", () => {
    fc.assert(
      fc.property(layers, fc.array(header, { minLength: 7, maxLength: 7 }), fc.option(fc.string(), { nil: undefined }), fc.boolean(), (names, headers, payload, fromApp) => {
        const start: CastEvent = { type: "Cast", ...(fromApp && { above: fromApplication() }), ...(payload !== undefined && { payload }) };
        const pushed = [start];
        names.forEach((name, i) => pushed.push(push(pushed[i]!, name, headers[i])));
        checkValue(pushed[pushed.length - 1] as unknown as Value);
        let ev = pushed[pushed.length - 1]!;
        for (let i = names.length - 1; i >= 0; i--) {
          const popped = pop<CastEvent, unknown>(ev, names[i]!);
          expect(popped.header).toEqual(headers[i]);
          // The message is the first pusher's own, unless the application cast it.
          expect(popped.own).toBe(i === 0 && !fromApp);
          ev = popped.ev;
          if (i > 0) expect(ev).toEqual(pushed[i]);
        }
      }),
    );
  });

  it("are one record: a field per layer, typed by its header, and the origin", () => {
    const Headers = headersType([
      { name: "mnak", header: t.variant("type", { Data: { seqno: t.int(0) } }) },
      { name: "bottom", header: t.enum("Cast", "Send") },
    ]);
    expect(Headers.description).toBe('{ origin: "application" | "mnak" | "bottom", mnak?: { type: "Data", seqno: int ≥ 0 }, bottom?: "Cast" | "Send" }');
    const packet = push(push({ type: "Cast", above: fromApplication(), payload: "m" } as CastEvent, "mnak", { type: "Data", seqno: 0 }), "bottom", "Cast");
    expect(packet.above).toEqual({ origin: "application", mnak: { type: "Data", seqno: 0 }, bottom: "Cast" });
    expect(Headers.check(packet.above, "headers")).toBeUndefined();
    const own = push<SendEvent, unknown>({ type: "Send", peer: 1 }, "mnak", undefined);
    expect(own).toEqual({ type: "Send", peer: 1, above: { origin: "mnak" } });
    expect(() => headersType([{ name: "origin", header: t.int() }])).toThrow('a layer may not be called "origin": header stacks use that name');
  });

  it("write no field for what is absent, so a message is a value", () => {
    expect(carrying({ type: "Cast", above: fromApplication(), payload: "m" } as CastEvent, undefined)).toEqual({ type: "Cast", payload: "m" });
    expect(bodyOf({ type: "Cast", peer: 2, payload: "m" } as CastEvent)).toEqual({ payload: "m" });
    expect(() => pop({ type: "Cast", payload: "m" } as CastEvent, "mnak")).toThrow("pop: a Cast event without headers");
  });
});
