// A message as the application receives it: who sent it, its sequence number there, and its bytes
// (made from the stack's message string, the envelope that holds it, only when asked for).

import { Buffer } from "node:buffer";
import { payloadOf } from "./envelope.ts";

/** A message's identity in the group: its sender and the sender's sequence number for it. */
export interface MessageId {
  readonly sender: number;
  readonly seq: number;
}

export class Delivery implements MessageId {
  private bytes: Uint8Array | undefined;

  constructor(
    readonly sender: number,
    readonly seq: number,
    private readonly msg: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** The payload. */
  get data(): Uint8Array {
    return (this.bytes ??= payloadOf(this.msg, this.start, this.end));
  }

  /** The payload as UTF-8 text. */
  text(): string {
    const d = this.data;
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString("utf8");
  }

  /** The payload as JSON (what `castJson`/`sendJson` sent). */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}
