// What a secure stack asks of cryptography, behind one interface, so that the very same layer code
// runs in the models (a symbolic cipher: layers/models/symbolic-crypto.ts) and in the runtime (real
// X25519, HKDF and AES-256-GCM: runtime/group-crypto.ts).
//
// Keys and sealed texts are strings of one character per byte (latin1), so that they are values a
// layer's state and a packet can hold. A key is opaque to the layers: they only pass it back here.
//
// Beside the cipher, the one other thing a secure stack takes from where it runs: how packets that
// cross views are stamped against replays (CrossStamps; encrypt.ts says why a clock).

import type { ViewValue } from "./event.ts";

export interface GroupCrypto {
  /**
   * A fresh symmetric key for view `view`, made by the member that distributes it. The runtime's
   * is 32 random bytes (the one step of a secure stack that is not a function of its inputs); a
   * model's names the view, which is all a checker needs to tell keys apart.
   */
  freshKey(view: ViewValue): string;
  /**
   * The key of the authenticated channel between members `self` and `peer` (the same at both):
   * from their long-term keys, by key agreement. Only `self`, the member the crypto belongs to,
   * can compute it.
   */
  pairKey(self: number, peer: number): string;
  /** `plaintext` encrypted and authenticated under `key`, with `context` authenticated too (AEAD's associated data). */
  seal(key: string, context: string, plaintext: string): string;
  /** The plaintext of `sealed`, if it was sealed under `key` with this very `context`; undefined otherwise (a forgery, a tampered text, another key). */
  open(key: string, context: string, sealed: string): string | undefined;
  /** How packets between processes of different views are stamped; undefined: counters (a model's). */
  readonly crossStamps?: CrossStamps;
}

/** The stamps of the packets a process sends to another outside its view, which the receiver accepts once each, in order give or take a window. */
export interface CrossStamps {
  /** Stamps run modulo this, compared as serial numbers (a safe integer, below 2^52). */
  readonly space: number;
  /** The stamp of the next packet to a process, after `last` (-1: none yet); ahead of `last` by less than space / 2. */
  next(last: number): number;
  /** Is `stamp` recent enough to take at all, whatever was taken before (a receiver that just started remembers nothing)? */
  recent(stamp: number): boolean;
}
