// What a member counts: datagrams and bytes in and out, every dropped datagram by its reason, and
// the packets its stack refused. A plain object of numbers, updated on the hot path.

import type { ReassemblyCounts } from "./reassembly.ts";
import { DROP_REASONS, type DropReason } from "./wire.ts";

export interface Counters {
  datagramsIn: number;
  bytesIn: number;
  /** Datagrams decoded whole and handed to the stack: datagramsIn = accepted + the sum of dropped. */
  accepted: number;
  dropped: Record<DropReason, number>;
  /** Packets handed to the stack (from accepted datagrams). */
  packetsIn: number;
  /** Packets the stack refused by throwing (its state is left as it was). */
  stackErrors: number;
  /** Packets reassembled from pieces that do not decode (the pieces of a forged packet, say). */
  badPackets: number;
  /** Deliveries whose message was not one a member makes (see envelope.ts): counted, not passed on. */
  badMessages: number;
  datagramsOut: number;
  bytesOut: number;
  packetsOut: number;
  /** Packets too large even for MAX_PIECES pieces, which could not be sent. */
  packetsTooLarge: number;
  /** Packets too large for one datagram, sent in pieces; piece datagrams in; and what became of the packets received in pieces. */
  pieces: { packetsOut: number; datagramsIn: number } & ReassemblyCounts;
  /** The join protocol: requests for a slot taken (as a contact), newcomers welcomed, refused (no slot), refused for want of a proof of the group's keys (a secure group), and join datagrams that made no sense here. */
  join: { requests: number; welcomed: number; refused: number; unauthorized: number; bad: number };
  /** Timers that went off more than their delay late (this process had no CPU for a while) and waited their delay again. */
  stalledTimers: number;
  /** Faults the fault-injecting transport applied to outgoing datagrams. */
  faults: { dropped: number; duplicated: number; delayed: number; partitioned: number };
}

export function newCounters(): Counters {
  return {
    datagramsIn: 0,
    bytesIn: 0,
    accepted: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    packetsIn: 0,
    stackErrors: 0,
    badPackets: 0,
    badMessages: 0,
    datagramsOut: 0,
    bytesOut: 0,
    packetsOut: 0,
    packetsTooLarge: 0,
    pieces: { packetsOut: 0, datagramsIn: 0, reassembled: 0, abandoned: 0 },
    join: { requests: 0, welcomed: 0, refused: 0, unauthorized: 0, bad: 0 },
    stalledTimers: 0,
    faults: { dropped: 0, duplicated: 0, delayed: 0, partitioned: 0 },
  };
}

/** Every datagram dropped on receipt, whatever the reason. */
export function totalDropped(c: Counters): number {
  let sum = 0;
  for (const r of DROP_REASONS) sum += c.dropped[r];
  return sum;
}
