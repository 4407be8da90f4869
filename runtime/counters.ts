// What a member counts: datagrams and bytes in and out, every dropped datagram by its reason, and
// the packets its stack refused. A plain object of numbers, updated on the hot path.

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
  /** Deliveries whose message was not one a member makes (see envelope.ts): counted, not passed on. */
  badMessages: number;
  datagramsOut: number;
  bytesOut: number;
  packetsOut: number;
  /** Packets larger than a datagram may be, which could not be sent. */
  packetsTooLarge: number;
  /** Faults the fault-injecting transport applied to outgoing datagrams. */
  faults: { dropped: number; duplicated: number; delayed: number };
}

export function newCounters(): Counters {
  return {
    datagramsIn: 0,
    bytesIn: 0,
    accepted: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    packetsIn: 0,
    stackErrors: 0,
    badMessages: 0,
    datagramsOut: 0,
    bytesOut: 0,
    packetsOut: 0,
    packetsTooLarge: 0,
    faults: { dropped: 0, duplicated: 0, delayed: 0 },
  };
}

/** Every datagram dropped on receipt, whatever the reason. */
export function totalDropped(c: Counters): number {
  let sum = 0;
  for (const r of DROP_REASONS) sum += c.dropped[r];
  return sum;
}
