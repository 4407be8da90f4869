// Outgoing packets, batched: each packet's header stack is encoded once and copied into a datagram
// per destination; a destination's datagram leaves when the next packet would not fit, or when the
// outbox is flushed — on the next turn of the event loop (so that under load the packets of many
// runs share a datagram), or at the end of every run when latency matters more than throughput.
// A packet too large for a datagram leaves at once in piece datagrams (wire.ts), after what was
// batched for the same destination.

import { Buffer } from "node:buffer";
import type { ISet } from "../ioa/index.ts";
import type { Packet } from "../layers/message.ts";
import type { Counters } from "./counters.ts";
import type { Transport } from "./transport.ts";
import { packetLength, putPacket, type Wire } from "./wire.ts";

interface Pending {
  readonly buf: Buffer;
  length: number;
  count: number;
}

export class Outbox {
  private readonly prefix: Uint8Array;
  /** Where the first packet goes: after the prefix and the two bytes of the count. */
  private readonly start: number;
  private readonly pending: (Pending | undefined)[];
  private readonly dirty: number[] = [];
  private scheduled = false;
  /** The id of the next packet sent in pieces. */
  private nextPieced = 0;
  private readonly flushAll = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(
    private readonly wire: Wire,
    private readonly rank: number,
    n: number,
    private readonly transport: Transport,
    private readonly counters: Counters,
    /** Send at the end of every run instead of on the next turn of the event loop. */
    private readonly immediate: boolean,
    /** Called before any datagram leaves (the trace is written ahead of what others can see). */
    private readonly beforeSend: () => void = () => {},
  ) {
    this.prefix = wire.prefix(rank);
    this.start = this.prefix.length + 2;
    this.pending = Array(n).fill(undefined);
  }

  /** Queues `packet` for each destination; false when it is too large for any datagram (it is counted, not sent). */
  add(dests: ISet<number>, packet: Packet): boolean {
    const header = this.wire.headerBytes(packet);
    const payload = packet.payload;
    const size = packetLength(header, payload);
    const max = this.wire.maxDatagram;
    if (this.start + size > max) return this.addInPieces(dests, header, payload);
    // A datagram that is full leaves with every other being filled: the casts in them go to every
    // member together. (Sending it alone, while another member's waited for the next turn of the
    // event loop, let a third member deliver a cast and gossip so before that member had it: the
    // gossip made it ask for the cast again — hundreds of needless NAKs and recasts in a loaded
    // group, no datagram lost.)
    for (const to of dests) {
      const p = this.pending[to];
      if (p !== undefined && p.count > 0 && p.length + size > max) {
        this.flush();
        break;
      }
    }
    for (const to of dests) {
      const p = this.pending[to] ?? this.open(to);
      if (p.count === 0) this.dirty.push(to);
      p.length = putPacket(p.buf, p.length, header, payload);
      p.count++;
    }
    this.counters.packetsOut++;
    return true;
  }

  /** Sends a packet too large for a datagram in pieces; false when it is too large even for those. */
  private addInPieces(dests: ISet<number>, header: Uint8Array, payload: string | undefined): boolean {
    const pieces = this.wire.pieces(this.rank, this.nextPieced++, header, payload);
    if (pieces === undefined) {
      this.counters.packetsTooLarge++;
      return false;
    }
    this.beforeSend();
    for (const to of dests) {
      const p = this.pending[to];
      if (p !== undefined && p.count > 0) this.send(to, p);
      for (const piece of pieces) {
        this.counters.datagramsOut++;
        this.counters.bytesOut += piece.length;
        this.transport.send(to, piece);
      }
    }
    this.counters.packetsOut++;
    this.counters.pieces.packetsOut++;
    return true;
  }

  /** A run ended: send now, or on the next turn of the event loop. */
  ranToCompletion(): void {
    if (this.dirty.length === 0) return;
    if (this.immediate) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushAll);
    }
  }

  /** Sends every datagram being filled. */
  flush(): void {
    for (const to of this.dirty) {
      const p = this.pending[to]!;
      if (p.count > 0) this.send(to, p);
    }
    this.dirty.length = 0;
  }

  private open(to: number): Pending {
    const buf = Buffer.allocUnsafe(this.wire.maxDatagram);
    buf.set(this.prefix, 0);
    const p = { buf, length: this.start, count: 0 };
    this.pending[to] = p;
    return p;
  }

  private send(to: number, p: Pending): void {
    this.beforeSend();
    p.buf[this.start - 2] = p.count >>> 8;
    p.buf[this.start - 1] = p.count & 0xff;
    const datagram = Buffer.allocUnsafe(p.length);
    p.buf.copy(datagram, 0, 0, p.length);
    p.length = this.start;
    p.count = 0;
    this.counters.datagramsOut++;
    this.counters.bytesOut += datagram.length;
    this.transport.send(to, datagram);
  }
}
