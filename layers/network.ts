// The network that connects the stacks of a group, and its faults.
//
// A packet a stack transmits is in flight to each of its destinations, and arrives at each in any
// order. Faults are actions of the network, each enabled within a budget given as parameters, so
// that every execution has finitely many and exhaustive checks stay finite:
//
//   drop        a packet in flight is lost
//   duplicate   a packet in flight will arrive twice
//   partition   the group splits in two; packets between the sides are lost until `heal`
//   heal        the partition ends (one heal per partition)
//   crash       a process stops; packets to it are lost (its stack keeps its state)
//   recover     a crashed process resumes where it stopped
//
// In flight, identical packets from one process to another are one packet (with a count of 1 or,
// duplicated, 2): a stack that sends a packet again while the first is still in flight adds
// nothing, as a real network whose buffer holds the first would add nothing the receiver needs.
// That bounds what can be in flight, and makes a retransmission that changes nothing a self-loop.
//
// Fairness: each packet in flight is a task of its own (its destination, source and contents), so
// that a fair execution delivers every packet that is not lost — not merely some packet to each
// process, which a stream of heartbeats would satisfy while a cast waits forever.
//
// Crash and recover are the group interface's crash{p} and recover{p}, which the application and
// the stack of p take as inputs. A process that recovers resumes with its state, as a process that
// was suspended or cut off would; its stack hears of it (a Recover event), and a stack with views
// leaves the view it was in, as after a restart (membership.ts).

import { automaton, fingerprintString, IMap, ISet, range, t, type IdsType, type Infer, type Type, type Value } from "../ioa/index.ts";
import type { Packet } from "./message.ts";

// Hidden fields, keyed by symbols, which no operation on values sees (hashing, equality, type
// checks and encodings read string keys only): a flight's key holds its actions, and each action
// the key, so that a step finds the very key of its flight (a map finds a key it holds without
// hashing it). WeakMaps did the same at several times the cost of a field. A flight's drop and
// duplicate actions are made only when the fault budget allows them and they are asked for: most
// packets fly while the budget is spent, and an action made is an object kept for as long as its
// packet flies.
const ARRIVE = Symbol("arrive");
const DROP = Symbol("drop");
const DUPLICATE = Symbol("duplicate");
const FLIGHT = Symbol("flight");

export interface FaultBudget {
  readonly drops: number;
  readonly duplicates: number;
  readonly partitions: number;
  readonly crashes: number;
  readonly recoveries: number;
}

export const NO_FAULTS: FaultBudget = { drops: 0, duplicates: 0, partitions: 0, crashes: 0, recoveries: 0 };

/** The sides a group of `n` can split into: each proper subset containing process 0 names one partition. */
function sides(n: number): ISet<number>[] {
  const out: ISet<number>[] = [];
  for (let mask = 1; mask < 1 << n; mask += 2) if (mask !== (1 << n) - 1) out.push(ISet.from(range(n).filter((p) => mask & (1 << p))));
  return out;
}

export interface NetworkOptions {
  /**
   * Packets from outside the group can be put on the wire (an intruder's, layers/intruder.ts): the
   * input `inject{p, from, packet}` makes `packet` in flight to p, claiming to come from `from`.
   */
  readonly open?: boolean;
}

export function network(P: IdsType, PacketType: Type<Packet>, budget: FaultBudget, options: NetworkOptions = {}) {
  const Flight = t.record({ from: P, to: P, packet: PacketType });
  type Flight = Infer<typeof Flight>;
  const Budget = t.record({ drops: t.int(0), duplicates: t.int(0), partitions: t.int(0), crashes: t.int(0), recoveries: t.int(0) });
  const State = t.record({
    /** Packets in flight, each with how many copies will arrive (1, or 2 once duplicated). */
    flights: t.map(Flight, t.int(1, 2)),
    /** The two sides of the current partition; empty when the network is whole. */
    partition: t.set(t.set(P)),
    crashed: t.set(P),
    /** Faults still allowed. */
    budget: Budget,
  });
  type S = Infer<typeof State>;
  const spend = (s: S, fault: keyof FaultBudget) => Budget.with(s.budget, { [fault]: s.budget[fault] - 1 });
  const connected = (s: S, a: number, b: number) => s.partition.size === 0 || s.partition.some((side) => side.has(a) === side.has(b));
  /** The flights, less those `lost` picks out. */
  const without = (s: S, lost: (f: Flight) => boolean) => {
    let flights = s.flights;
    for (const f of s.flights.keys()) if (lost(f)) flights = flights.delete(f);
    return flights;
  };
  const removeOne = (s: S, f: Flight) => {
    const copies = s.flights.get(f)!;
    return State.with(s, { flights: copies === 1 ? s.flights.delete(f) : s.flights.set(f, 1) });
  };
  // The packets in flight as arrive, drop and duplicate actions: the same objects while a packet
  // flies (explorers remember facts about action objects).
  type Offer = { name: "arrive" | "drop" | "duplicate"; p: number; from: number; packet: Packet; [FLIGHT]?: Flight };
  type KeyWithOffers = Flight & { [ARRIVE]?: Offer; [DROP]?: Offer; [DUPLICATE]?: Offer };
  const offer = (f: Flight, name: Offer["name"]): Offer => ({ name, p: f.to, from: f.from, packet: f.packet, [FLIGHT]: f });
  /** The flight's arrive action, made once for the flight's key object (which stays in the map while the packet flies), and kept on it. */
  const arrivalOf = (f: KeyWithOffers): Offer => {
    let o = f[ARRIVE];
    if (o === undefined) {
      o = offer(f, "arrive");
      // All three fields at once, so that every key has one shape; a key that cannot take them
      // (frozen by whoever built the state) gets its actions afresh each time.
      if (Reflect.set(f, ARRIVE, o)) {
        f[DROP] = undefined;
        f[DUPLICATE] = undefined;
      }
    }
    return o;
  };
  /** The flight's drop or duplicate action, made when first asked for and kept on the key as its arrive action is. */
  const faultOf = (f: KeyWithOffers, name: "drop" | "duplicate"): Offer => {
    const field = name === "drop" ? DROP : DUPLICATE;
    let o = f[field];
    if (o === undefined) {
      o = offer(f, name);
      arrivalOf(f);
      if (f[ARRIVE] !== undefined) f[field] = o;
    }
    return o;
  };
  /** The arrive actions of a flights map, listed once per map (an array of exactly their number: it stays for as long as a state holds the map). */
  const computeArrivals = (flights: S["flights"]): readonly Offer[] => {
    const n = flights.size;
    const out = new Array<Offer>(n);
    for (let i = 0; i < n; i++) out[i] = arrivalOf(flights.keyAt(i)!);
    return out;
  };
  const arrivals = (s: S): readonly Offer[] => s.flights.derived(computeArrivals);
  /** The drop actions of the packets in flight, or the duplicate actions of those not duplicated yet: listed anew each time (the budget allows them only now and then). */
  const faults = (s: S, name: "drop" | "duplicate"): Offer[] => {
    const out: Offer[] = [];
    for (let i = 0; i < s.flights.size; i++) if (name === "drop" || s.flights.valueAt(i) === 1) out.push(faultOf(s.flights.keyAt(i)!, name));
    return out;
  };
  /** The key of the flight an action of a packet in flight names: the very object in the map when the action is one of its offers. */
  const flight = (a: Omit<Offer, "name">): Flight => a[FLIGHT] ?? { from: a.from, to: a.p, packet: a.packet };
  const packetParams = { p: P, from: P, packet: PacketType };
  const partitions = sides(P.count).map((side) => ({ name: "partition", side }) as const);
  const faultDetails = (fault: string) => ({ p, from, packet }: { p: number; from: number; packet: Packet }) => ({ fault, process: p, peer: from, message: packet });

  const closed = automaton("network", State)
    .start({ flights: IMap.empty(), partition: ISet.empty(), crashed: ISet.empty(), budget: { ...budget } })
    .input("transmit", { p: P, dests: t.set(P), packet: PacketType }, {
      owner: "p",
      next: (s, { p, dests, packet }) => {
        let flights = s.flights;
        for (const to of dests) {
          const f = { from: p, to, packet };
          if (!s.crashed.has(to) && connected(s, p, to) && !flights.has(f)) flights = flights.set(f, 1);
        }
        return State.with(s, { flights });
      },
    })
    .output("arrive", packetParams, {
      owner: "p",
      kind: "deliver",
      task: ({ p, from, packet }) => `arrive@${p}<-${from}:${fingerprintString(packet as unknown as Value)}`,
      details: ({ from, packet }) => ({ peer: from, message: packet }),
      enabled: arrivals,
      next: (s, a) => removeOne(s, flight(a)),
    })
    .internal("drop", packetParams, {
      kind: "fault",
      details: faultDetails("drop"),
      enabled: (s) => (s.budget.drops > 0 ? faults(s, "drop") : []),
      next: (s, a) => State.with(removeOne(s, flight(a)), { budget: spend(s, "drops") }),
    })
    .internal("duplicate", packetParams, {
      kind: "fault",
      details: faultDetails("duplicate"),
      enabled: (s) => (s.budget.duplicates > 0 ? faults(s, "duplicate") : []),
      next: (s, a) => State.with(s, { flights: s.flights.set(flight(a), 2), budget: spend(s, "duplicates") }),
    })
    .internal("partition", { side: t.set(P) }, {
      kind: "fault",
      details: ({ side }) => ({ fault: "partition", components: [side.toArray(), range(P.count).filter((q) => !side.has(q))] }),
      enabled: (s) => (s.budget.partitions > 0 && s.partition.size === 0 ? partitions : []),
      next: (s, { side }) => {
        const partition = ISet.of(side, ISet.from(range(P.count).filter((q) => !side.has(q))));
        const cut = { ...s, partition };
        return State.with(s, { partition, flights: without(s, (f) => !connected(cut, f.from, f.to)), budget: spend(s, "partitions") });
      },
    })
    .internal("heal", {}, {
      kind: "fault",
      details: () => ({ fault: "heal", components: [range(P.count)] }),
      pre: (s) => s.partition.size > 0,
      next: (s) => State.with(s, { partition: ISet.empty() }),
    })
    .output("crash", { p: P }, {
      owner: "p",
      kind: "fault",
      details: () => ({ fault: "crash" }),
      pre: (s, { p }) => s.budget.crashes > 0 && !s.crashed.has(p),
      next: (s, { p }) => State.with(s, { crashed: s.crashed.add(p), flights: without(s, (f) => f.to === p), budget: spend(s, "crashes") }),
    })
    .output("recover", { p: P }, {
      owner: "p",
      kind: "fault",
      details: () => ({ fault: "recover" }),
      pre: (s, { p }) => s.budget.recoveries > 0 && s.crashed.has(p),
      next: (s, { p }) => State.with(s, { crashed: s.crashed.delete(p), budget: spend(s, "recoveries") }),
    });
  if (!options.open) return closed;
  return closed.input("inject", packetParams, {
    owner: "p",
    next: (s, { p, from, packet }) => {
      const f = { from, to: p, packet };
      return s.crashed.has(p) || s.flights.has(f) ? s : State.with(s, { flights: s.flights.set(f, 1) });
    },
  });
}
