// An intruder on the network of a model (Dolev–Yao style, with the powers a real one on a LAN has
// without a member's keys): it sees every packet the members transmit and remembers the first
// `memory` of them; then, within a budget of `injections`, it puts packets on the wire addressed to
// any member and claiming to come from any other — a remembered packet as it was (a replay, into
// any later view too), a remembered packet with its payload altered (tampering), or one of the
// packets `forgeries` lists (made without a member's key: sealed under a key of its own, or not
// sealed at all). It cannot make a packet that needs a key it does not have: nothing here can.
//
// The network takes what it injects as packets in flight (network.ts, `inject`), subject to the
// network's faults like any other.

import { appendTo, automaton, range, t, type IdsType, type Type } from "../ioa/index.ts";
import type { Packet } from "./message.ts";

export interface IntruderOptions {
  /** Packets it may inject in a run. */
  readonly injections: number;
  /** Packets it remembers: the first ones transmitted. */
  readonly memory: number;
  /** Packets it can make without a member's key. */
  readonly forgeries: readonly Packet[];
}

/** A packet like `packet`, its payload altered (a byte appended: enough to break any seal). */
export function tampered(packet: Packet): Packet {
  return { headers: packet.headers, payload: `${packet.payload ?? ""}~` };
}

export function intruder(P: IdsType, PacketType: Type<Packet>, options: IntruderOptions) {
  const State = t.record({ captured: t.array(PacketType), injections: t.int(0) });
  const n = P.count;
  const pairs = range(n).flatMap((p) => range(n).filter((from) => from !== p).map((from) => ({ p, from })));
  return automaton("intruder", State)
    .start({ captured: [], injections: options.injections })
    .input("transmit", { p: P, dests: t.set(P), packet: PacketType }, {
      owner: "p",
      next: (s, { packet }) => (s.injections === 0 || s.captured.length >= options.memory || s.captured.includes(packet) ? s : State.with(s, { captured: appendTo(s.captured, packet) })),
    })
    .output("inject", { p: P, from: P, packet: PacketType }, {
      kind: "fault",
      details: ({ p, from, packet }) => ({ fault: "inject", process: p, peer: from, message: packet }),
      enabled: (s) => {
        if (s.injections === 0) return [];
        const packets = [...s.captured, ...s.captured.map(tampered), ...options.forgeries];
        return packets.flatMap((packet) => pairs.map(({ p, from }) => ({ p, from, packet })));
      },
      next: (s) => State.with(s, { injections: s.injections - 1 }),
    });
}
