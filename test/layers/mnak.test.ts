import { describe, expect, it } from "vitest";
import type { Event } from "../../layers/event.ts";
import { enabledActions } from "../../ioa/index.ts";
import { fromApplication } from "../../layers/message.ts";
import { LAG_NAK, mnak, RECAST_LIMIT } from "../../layers/mnak.ts";
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

  it("recasts on its timer the oldest casts not yet stable, at most RECAST_LIMIT, in order, and only unstable ones once stability moves", () => {
    const s = after(many);
    expect(recasts(a.step(s, { name: "timer", timer: "retransmit" }))).toEqual(Array.from({ length: RECAST_LIMIT }, (_, i) => [i, `m${i}`]));
    const stable = a.step(s, { name: "fromBelow", ev: { type: "Stable", stability: [many - 5, 0], numCasts: [many, 0] } });
    expect(recasts(a.step({ ...stable, toBelow: [] }, { name: "timer", timer: "retransmit" })).map(([seqno]) => seqno)).toEqual(Array.from({ length: 5 }, (_, i) => many - 5 + i));
    const fewer = a.step(s, { name: "fromBelow", ev: { type: "Stable", stability: [CHUNK + 3, 0], numCasts: [many, 0] } });
    expect(recasts(a.step({ ...fewer, toBelow: [] }, { name: "timer", timer: "retransmit" })).map(([seqno]) => seqno)).toEqual(Array.from({ length: RECAST_LIMIT }, (_, i) => CHUNK + 3 + i));
  });

  it("recasts what a NAK asks for, at most RECAST_LIMIT of it from its start, and nothing once it is all stable", () => {
    const s = after(many);
    const nak = (lo: number, hi: number): Event => ({ type: "Send", peer: 1, unreliable: true, above: { origin: "mnak", mnak: { type: "Nak", lo, hi } } as never });
    expect(recasts(a.step(s, { name: "fromBelow", ev: nak(CHUNK - 1, CHUNK) }))).toEqual([[CHUNK - 1, `m${CHUNK - 1}`]]);
    expect(recasts(a.step(s, { name: "fromBelow", ev: nak(CHUNK - 1, CHUNK + 25) }))).toEqual(Array.from({ length: 26 }, (_, i) => [CHUNK - 1 + i, `m${CHUNK - 1 + i}`]));
    expect(recasts(a.step(s, { name: "fromBelow", ev: nak(5, many) })).map(([seqno]) => seqno)).toEqual(Array.from({ length: RECAST_LIMIT }, (_, i) => 5 + i));
    const stable = a.step(s, { name: "fromBelow", ev: { type: "Stable", stability: [many, 0], numCasts: [many, 0] } });
    expect(stable.layer.sent).toEqual([]);
    expect(recasts(a.step(stable, { name: "fromBelow", ev: nak(0, many) }))).toEqual([]);
    expect(enabledActions(a, stable).some((x) => x.name === "timer")).toBe(false);
  });

  it("drops a cast that claims to come from this very process from below", () => {
    const s = after(2);
    const forged: Event = { type: "Cast", peer: 0, payload: "x", above: { origin: "application", mnak: { type: "Data", seqno: 2 } } as never };
    expect(a.step(s, { name: "fromBelow", ev: forged }).layer).toBe(s.layer);
  });
});

describe("mnak's NAKs for casts that arrive early", () => {
  const b = mnak().automaton(2, 1);
  const data = (seqno: number): Event => ({ type: "Cast", peer: 0, payload: `m${seqno}`, above: { origin: "application", mnak: { type: "Data", seqno } } as never });
  const naks = (s: ReturnType<typeof b.step>) => s.toBelow.map((e) => (e as unknown as { above: { mnak: { lo: number; hi: number } } }).above.mnak).map(({ lo, hi }) => [lo, hi]);
  const arriving = (seqnos: readonly number[]) => seqnos.reduce((s, seqno) => b.step({ ...s, toAbove: [] }, { name: "fromBelow", ev: data(seqno) }), b.startStates()[0]!);

  it("asks for each gap once, when a cast first shows it: the casts behind a lost run of casts do not ask again", () => {
    // 0 and 1 lost; 2 shows them missing, 3 and 4 show nothing new; 6 shows 5 missing; 5 fills a gap.
    expect(naks(arriving([2, 3, 4, 6, 5]))).toEqual([
      [0, 2],
      [5, 6],
    ]);
  });

  it("delivers what the gaps held back once they are filled, and asks for nothing it has", () => {
    const s = arriving([2, 3, 1, 0]);
    expect(naks(s)).toEqual([[0, 2]]);
    expect(s.layer.next).toEqual([4, 0]);
  });

  it("asks for at most LAG_NAK of the casts a Stable event says some member has, whatever it asked for before", () => {
    const s = arriving([2]);
    const told = b.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: { type: "Stable", stability: [0, 0], numCasts: [5, 0] } });
    expect(naks(told)).toEqual([[0, LAG_NAK]]);
    const fewer = b.step({ ...s, toBelow: [] }, { name: "fromBelow", ev: { type: "Stable", stability: [0, 0], numCasts: [1, 0] } });
    expect(naks(fewer)).toEqual([[0, 1]]);
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
