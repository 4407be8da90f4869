// Message packing (Horus's; Friedman and van Renesse, "Packing messages as a tool for boosting the
// performance of total ordering protocols"): the casts an application makes in one turn of the
// event loop go into the stack as one message, a pack (envelope.ts), up to a limit of bytes. What
// a stack spends on a message — a header at every layer, a sequence number, a place in every
// buffer, an acknowledgement, a packet on the wire — it then spends once for the pack; under load,
// that is most of what a member spends.
//
// A cast is never held longer than the turn it was made in: the pack goes into the stack when the
// turn's synchronous code is done (a microtask), or as soon as it is full, or as soon as the member
// gives the stack any other input — so a cast keeps its place among the member's sends, leaves,
// and packets taken in the same turn, and a cast made alone goes alone, at once.

import { packOverhead, sealLatin1, sealPack } from "./envelope.ts";

/** Casts the envelope of messages `first`..`first + count - 1` (recorded by the member, in order). */
export type CastEnvelope = (envelope: string, first: number, count: number) => void;

export class CastPacker {
  /** The sequence number of the first cast waiting. */
  private first = 0;
  private payloads: string[] = [];
  private bytes = 0;
  private scheduled = false;
  private readonly flushAtEndOfTurn = () => {
    this.scheduled = false;
    this.flush();
  };

  /**
   * `limit`: the most payload bytes in one pack (each with its length); 0 turns packing off, every
   * cast then an envelope of its own, cast at once.
   */
  constructor(
    private readonly limit: number,
    private readonly castEnvelope: CastEnvelope,
  ) {}

  /** Casts waiting to go into the stack at the end of the turn. */
  get waiting(): number {
    return this.payloads.length;
  }

  /** The cast numbered `seq` with this payload (one character per byte: envelope.ts's `latin1`). */
  add(seq: number, payload: string): void {
    if (this.limit === 0) return this.castEnvelope(sealLatin1(seq, payload), seq, 1);
    const size = payload.length + packOverhead(payload.length);
    // A pack's messages are numbered one after the other (envelope.ts).
    if (this.payloads.length > 0 && (this.bytes + size > this.limit || seq !== this.first + this.payloads.length)) this.flush();
    if (this.payloads.length === 0) this.first = seq;
    this.payloads.push(payload);
    this.bytes += size;
    if (this.bytes >= this.limit) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushAtEndOfTurn);
    }
  }

  /** Casts what waits now: one message alone, several as a pack. */
  flush(): void {
    const count = this.payloads.length;
    if (count === 0) return;
    const first = this.first;
    const envelope = count === 1 ? sealLatin1(first, this.payloads[0]!) : sealPack(first, this.payloads);
    this.payloads = [];
    this.bytes = 0;
    this.castEnvelope(envelope, first, count);
  }
}
