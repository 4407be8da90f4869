// How an application message travels inside the stack: the message string a stack carries is the
// sender's sequence number (a varint, one character per byte) followed by the payload bytes, one
// character per byte (latin1). The sequence number makes every message unique per sender, as the
// group interface requires of message identities ({sender, seq} in recorded traces), and it comes
// from the sender, so a recorded trace shows what the stack did, not what a receiver assumed.

import { Buffer } from "node:buffer";

export interface Opened {
  readonly seq: number;
  /** Where the payload starts in the message string. */
  readonly start: number;
}

/** The message string of the sender's `seq`-th message with this payload. */
export function seal(seq: number, payload: Uint8Array): string {
  let prefix = "";
  while (seq >= 0x80) {
    prefix += String.fromCharCode((seq & 0x7f) | 0x80);
    seq = Math.floor(seq / 0x80);
  }
  prefix += String.fromCharCode(seq);
  return prefix + Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("latin1");
}

/** The sequence number of a message string and where its payload starts; undefined when it is not one `seal` made. */
export function open(msg: string): Opened | undefined {
  let seq = 0;
  let scale = 1;
  for (let i = 0; i < msg.length && i < 8; i++) {
    const c = msg.charCodeAt(i);
    if (c > 0xff) return undefined;
    seq += (c & 0x7f) * scale;
    if ((c & 0x80) === 0) return seq > Number.MAX_SAFE_INTEGER ? undefined : { seq, start: i + 1 };
    scale *= 0x80;
  }
  return undefined;
}

/** The payload bytes of a message string. */
export function payloadOf(msg: string, start: number): Uint8Array {
  return Buffer.from(msg.slice(start), "latin1");
}
