import { describe, expect, it } from "vitest";
import { enabledActions, fingerprint, formatAction, IMap, ISet, t, valuesEqual, type Automaton } from "../../ioa/index.ts";
import { fromApplication, headersType, packetType, type Packet } from "../../layers/message.ts";
import { network, NO_FAULTS, type FaultBudget } from "../../layers/network.ts";

const P = t.ids("P", 3);
const Packet = packetType(headersType([]));
const packet = (payload: string): Packet => ({ headers: fromApplication(), payload });

function net(budget: Partial<FaultBudget> = {}) {
  return network(P, Packet, { ...NO_FAULTS, ...budget });
}

type Net = ReturnType<typeof net>;
type NetState = Net extends Automaton<infer S, infer _> ? S : never;

const names = (a: Net, s: NetState) => enabledActions(a, s).map((x) => formatAction(x));

describe("the network", () => {
  it("carries a transmitted packet to each destination, in any order, and identical packets in flight as one", () => {
    const a = net();
    let s = a.step(a.startStates()[0]!, { name: "transmit", p: 0, dests: ISet.of(1, 2), packet: packet("x") });
    s = a.step(s, { name: "transmit", p: 0, dests: ISet.of(1), packet: packet("x") });
    s = a.step(s, { name: "transmit", p: 0, dests: ISet.of(1), packet: packet("y") });
    expect(names(a, s).sort()).toEqual([
      'arrive(p: 1, from: 0, packet: { headers: { origin: "application" }, payload: "x" })',
      'arrive(p: 1, from: 0, packet: { headers: { origin: "application" }, payload: "y" })',
      'arrive(p: 2, from: 0, packet: { headers: { origin: "application" }, payload: "x" })',
    ]);
    const after = a.step(s, { name: "arrive", p: 1, from: 0, packet: packet("x") });
    expect(after.flights.size).toBe(2);
    expect(a.details({ name: "arrive", p: 1, from: 0, packet: packet("x") })).toEqual({ kind: "deliver", process: 1, peer: 0, message: packet("x") });
  });

  it("drops and duplicates only within its budget", () => {
    const a = net({ drops: 1, duplicates: 1 });
    let s = a.step(a.startStates()[0]!, { name: "transmit", p: 0, dests: ISet.of(1), packet: packet("x") });
    expect(names(a, s).filter((x) => !x.startsWith("arrive"))).toEqual([
      'drop(p: 1, from: 0, packet: { headers: { origin: "application" }, payload: "x" })',
      'duplicate(p: 1, from: 0, packet: { headers: { origin: "application" }, payload: "x" })',
    ]);
    s = a.step(s, { name: "duplicate", p: 1, from: 0, packet: packet("x") });
    expect([...s.flights.values()]).toEqual([2]);
    s = a.step(s, { name: "drop", p: 1, from: 0, packet: packet("x") });
    expect([...s.flights.values()]).toEqual([1]);
    expect(s.budget).toEqual({ ...NO_FAULTS });
    expect(names(a, s)).toEqual(['arrive(p: 1, from: 0, packet: { headers: { origin: "application" }, payload: "x" })']);
    expect(a.details({ name: "drop", p: 1, from: 0, packet: packet("x") })).toMatchObject({ kind: "fault", fault: "drop", process: 1, peer: 0 });
  });

  it("loses what crosses a partition until it heals, and what is sent to a crashed process", () => {
    const a = net({ partitions: 1, crashes: 1, recoveries: 1 });
    const start = a.startStates()[0]!;
    const sides = enabledActions(a, start).filter((x) => x.name === "partition");
    // Each of the 3 ways to split 3 processes in two, once.
    expect(sides.map((x) => formatAction(x)).sort()).toEqual(["partition(side: Set{0, 1})", "partition(side: Set{0, 2})", "partition(side: Set{0})"]);
    // A fault plan finds the split it asks for by the components the action reports.
    expect(a.details({ name: "partition", side: ISet.of(0, 2) })).toMatchObject({ kind: "fault", fault: "partition", components: [[0, 2], [1]] });
    expect(a.details({ name: "heal" })).toMatchObject({ fault: "heal", components: [[0, 1, 2]] });
    let s = a.step(start, { name: "transmit", p: 0, dests: ISet.of(1, 2), packet: packet("x") });
    s = a.step(s, { name: "partition", side: ISet.of(0, 1) });
    expect([...s.flights.keys()].map((f) => f.to)).toEqual([1]);
    s = a.step(s, { name: "transmit", p: 2, dests: ISet.of(0, 1), packet: packet("y") });
    expect(s.flights.size).toBe(1);
    expect(names(a, s)).toContain("heal");
    expect(names(a, s).some((x) => x.startsWith("partition"))).toBe(false);
    s = a.step(s, { name: "heal" });
    s = a.step(s, { name: "crash", p: 1 });
    expect(s.flights.size).toBe(0);
    expect(a.step(s, { name: "transmit", p: 0, dests: ISet.of(1), packet: packet("z") })).toBe(s);
    expect(names(a, s)).toEqual(["recover(p: 1)"]);
    s = a.step(s, { name: "recover", p: 1 });
    expect(names(a, s)).toEqual([]);
    expect(s.flights.size).toBe(0);
  });

  it("offers the same action objects while a packet flies, values like any other, also for keys it cannot mark", () => {
    const a = net({ drops: 1 });
    const s = a.step(a.startStates()[0]!, { name: "transmit", p: 0, dests: ISet.of(1, 2), packet: packet("x") });
    const offered = enabledActions(a, s);
    const later = a.step(s, offered.find((x) => x.name === "arrive" && x.p === 2)!);
    const still = enabledActions(a, later).find((x) => x.name === "arrive");
    expect(still).toBe(offered.find((x) => x.name === "arrive" && x.p === 1));
    // What the network remembers on its actions is no part of their value.
    const plain = { name: "arrive", p: 1, from: 0, packet: packet("x") } as const;
    expect(valuesEqual(still!, plain)).toBe(true);
    expect(fingerprint(still!)).toBe(fingerprint(plain));
    expect(JSON.stringify(still)).toBe(JSON.stringify(plain));
    expect(a.step(later, plain)).toEqual(a.step(later, still!));
    // Drops too are the same objects while the packet flies (made when first asked for), and are taken like any other.
    const drop = enabledActions(a, later).find((x) => x.name === "drop");
    expect(enabledActions(a, later).find((x) => x.name === "drop")).toBe(drop);
    expect(drop).toBe(offered.find((x) => x.name === "drop" && x.p === 1));
    expect(a.step(later, drop!)).toEqual(a.step(later, { name: "drop", p: 1, from: 0, packet: packet("x") }));
    // A state built with frozen keys: the same actions and steps, made afresh.
    const frozen = { ...s, flights: IMap.from([...s.flights].map(([f, n]) => [Object.freeze({ from: f.from, to: f.to, packet: f.packet }), n] as const)) };
    const again = enabledActions(a, frozen);
    expect(again.map((x) => formatAction(x))).toEqual(offered.map((x) => formatAction(x)));
    expect(a.step(frozen, again[0]!).flights.size).toBe(1);
  });
});
