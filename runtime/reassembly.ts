// Reassembling packets that travelled in pieces (see wire.ts): per sender, the pieces of the few
// packets it sent last, until each packet is whole.
//
// Pieces come over UDP: lost, duplicated, reordered, or forged. Memory stays bounded whatever
// arrives: a sender has at most PACKETS_PER_SENDER packets in reassembly (a piece of a newer packet
// abandons the oldest), and a piece that disagrees with the others of its packet (another count)
// abandons that packet. A packet with a lost piece is never completed; it is abandoned once newer
// packets of its sender push it out, and counted.

import { Buffer } from "node:buffer";
import type { Piece } from "./wire.ts";

/** Packets of one sender being reassembled at once. */
export const PACKETS_PER_SENDER = 4;

interface Partial {
  readonly id: number;
  readonly pieces: (Uint8Array | undefined)[];
  have: number;
}

export interface ReassemblyCounts {
  /** Packets made whole. */
  reassembled: number;
  /** Packets given up: pushed out by newer ones, or with pieces that disagree. */
  abandoned: number;
}

export class Reassembly {
  private readonly partials = new Map<number, Partial[]>();

  constructor(private readonly counts: ReassemblyCounts) {}

  /** Takes a piece of `sender`'s; the packet's bytes once it is whole (each packet at most once). */
  add(sender: number, piece: Piece): Uint8Array | undefined {
    let partials = this.partials.get(sender);
    if (!partials) this.partials.set(sender, (partials = []));
    let partial = partials.find((p) => p.id === piece.id);
    if (partial && partial.pieces.length !== piece.count) {
      this.abandon(partials, partial);
      return undefined;
    }
    if (!partial) {
      if (partials.length === PACKETS_PER_SENDER) this.abandon(partials, partials[0]!);
      partial = { id: piece.id, pieces: Array(piece.count).fill(undefined), have: 0 };
      partials.push(partial);
    }
    if (partial.pieces[piece.index] !== undefined) return undefined;
    // Copied: the datagram's buffer is not ours to keep.
    partial.pieces[piece.index] = Uint8Array.from(piece.bytes);
    partial.have++;
    if (partial.have < partial.pieces.length) return undefined;
    partials.splice(partials.indexOf(partial), 1);
    this.counts.reassembled++;
    return Buffer.concat(partial.pieces as Uint8Array[]);
  }

  private abandon(partials: Partial[], partial: Partial): void {
    partials.splice(partials.indexOf(partial), 1);
    this.counts.abandoned++;
  }
}
