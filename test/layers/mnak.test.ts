import { describe, expect, it } from "vitest";
import type { Event } from "../../layers/event.ts";
import { enabledActions } from "../../ioa/index.ts";
import { fromApplication } from "../../layers/message.ts";
import { mnak } from "../../layers/mnak.ts";
import { CHUNK } from "../../layers/window.ts";

const a = mnak().automaton(2, 0);
type S = ReturnType<typeof a.step>;
const cast = (payload: string): Event => ({ type: "Cast", above: fromApplication(), payload });
const recasts = (s: S) => s.toBelow.filter((e) => e.type === "Cast").map((e) => [(e as unknown as { above: { mnak: { seqno: number } } }).above.mnak.seqno, (e as { payload: string }).payload]);

/** Process 0 after casting `count` messages m0, m1, …, with the queues emptied. */
function after(count: number): S {
  let s = a.startStates()[0]!;
  for (let i = 0; i < count; i++) s = a.step(s, { name: "fromAbove", ev: cast(`m${i}`) });
  return { ...s, toAbove: [], toBelow: [] };
}

describe("mnak's casts until they are stable", () => {
  const many = 3 * CHUNK + 7;

  it("recasts on its timer every cast not yet stable, in order, and only those once stability moves", () => {
    const s = after(many);
    expect(recasts(a.step(s, { name: "timer", timer: "retransmit" }))).toEqual(Array.from({ length: many }, (_, i) => [i, `m${i}`]));
    const stable = a.step(s, { name: "fromBelow", ev: { type: "Stable", stability: [CHUNK + 3, 0], numCasts: [many, 0] } });
    expect(recasts(a.step({ ...stable, toBelow: [] }, { name: "timer", timer: "retransmit" })).map(([seqno]) => seqno)).toEqual(Array.from({ length: many - CHUNK - 3 }, (_, i) => CHUNK + 3 + i));
  });

  it("recasts what a NAK asks for, and nothing once it is all stable", () => {
    const s = after(many);
    const nak: Event = { type: "Send", peer: 1, unreliable: true, above: { origin: "mnak", mnak: { type: "Nak", lo: CHUNK - 1, hi: CHUNK + 2 } } as never };
    expect(recasts(a.step(s, { name: "fromBelow", ev: nak }))).toEqual([CHUNK - 1, CHUNK, CHUNK + 1].map((i) => [i, `m${i}`]));
    const stable = a.step(s, { name: "fromBelow", ev: { type: "Stable", stability: [many, 0], numCasts: [many, 0] } });
    expect(stable.layer.sent).toEqual([]);
    expect(enabledActions(a, stable).some((x) => x.name === "timer")).toBe(false);
  });

  it("drops a cast that claims to come from this very process from below", () => {
    const s = after(2);
    const forged: Event = { type: "Cast", peer: 0, payload: "x", above: { origin: "application", mnak: { type: "Data", seqno: 2 } } as never };
    expect(a.step(s, { name: "fromBelow", ev: forged }).layer).toBe(s.layer);
  });
});

describe("mnak frozen by a view change", () => {
  it("passes Block on down, and from then on drops the casts that arrive: it neither delivers nor counts them", () => {
    const b = mnak().automaton(2, 1);
    const data = (seqno: number): Event => ({ type: "Cast", peer: 0, payload: `m${seqno}`, above: { origin: "application", mnak: { type: "Data", seqno } } as never });
    const live = b.step(b.startStates()[0]!, { name: "fromBelow", ev: data(0) });
    expect(live.toAbove.map((e) => e.type)).toEqual(["Cast", "Ack"]);
    const frozen = b.step({ ...live, toAbove: [] }, { name: "fromAbove", ev: { type: "Block" } });
    expect(frozen.toBelow).toEqual([{ type: "Block" }]);
    const after = b.step({ ...frozen, toBelow: [] }, { name: "fromBelow", ev: data(1) });
    expect(after.toAbove).toEqual([]);
    expect(after.layer.next).toEqual([1, 0]);
  });
});
