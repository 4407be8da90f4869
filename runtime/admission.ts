// Admission to a secure group: a process joining by contact address proves it holds the group's
// keys before the contact gives it anything — a slot, a directory entry, the group's settings.
//
// The proof is the very thing the stack asks of a joiner once it runs (layers/encrypt.ts): a text
// sealed under the pairwise key of the joiner's slot and the contact's (X25519 + HKDF of their
// long-term keys). With a group secret, whoever knows the secret can compute it for any slot; with
// a key list, only the holder of the slot's listed private key can (a process whose public key is
// not listed has no slot to claim). So the join protocol (join-protocol.ts) runs in two rounds:
//
//   joiner → contact   join {group, slot?}             slot: its listed slot (key list); none (secret)
//   contact → joiner   challenge {group, slot, contact, capacity, nonce}
//   joiner → contact   join {group, slot, nonce, proof}
//   contact → joiner   welcome {…, proof} | refused {reason: "unauthorized" | …}
//
// The nonce is a stateless cookie (as DTLS's HelloVerifyRequest): a MAC, under a key the contact
// made at its start, of the requester's address, the slot and the current 10-second period. The
// contact keeps nothing for a challenge it sent, so requests from an unauthorized process leave
// no state behind (no slot, no directory entry, no merge); a proof is good at one address, for
// one slot, for 10 to 20 seconds. The contact's welcome carries a proof of its own (the same key,
// another context), so that a joiner takes the group's settings and directory only from a member.

import { Buffer } from "node:buffer";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { GroupCrypto } from "../layers/crypto.ts";
import { formatAddress, type Address } from "./address.ts";

/** How long a challenge's nonce stays good: this period, and the next. */
export const NONCE_PERIOD = 10_000;

const joinContext = (group: string, slot: number, contact: number, nonce: string) => `join/${group}/${slot}/${contact}/${nonce}`;
const welcomeContext = (group: string, slot: number, contact: number, nonce: string) => `welcome/${group}/${slot}/${contact}/${nonce}`;
const b64 = (latin1: string) => Buffer.from(latin1, "latin1").toString("base64");
const latin1 = (base64: string) => Buffer.from(base64, "base64").toString("latin1");

/** The contact's side: challenges that cost it no state, proofs checked, welcomes proven. */
export class Admission {
  private readonly cookieKey = randomBytes(32);

  constructor(
    private readonly group: string,
    private readonly rank: number,
    private readonly crypto: GroupCrypto,
    private readonly now: () => number = Date.now,
  ) {}

  /** The nonce of a challenge to the process at `address` for `slot`. */
  nonce(address: Address, slot: number, period = Math.floor(this.now() / NONCE_PERIOD)): string {
    return createHmac("sha256", this.cookieKey).update(`${formatAddress(address)}/${slot}/${period}`).digest("base64").slice(0, 32);
  }

  /** Is `proof` the proof of a holder of `slot`'s keys, answering a challenge this member sent to `address` lately? */
  admits(address: Address, slot: number, nonce: string, proof: string): boolean {
    const period = Math.floor(this.now() / NONCE_PERIOD);
    const ours = [period, period - 1].some((p) => equal(this.nonce(address, slot, p), nonce));
    return ours && slot !== this.rank && this.crypto.open(this.crypto.pairKey(this.rank, slot), joinContext(this.group, slot, this.rank, nonce), latin1(proof)) !== undefined;
  }

  /** This member's proof, in its welcome, that it holds the group's keys too. */
  welcomeProof(slot: number, nonce: string): string {
    return b64(this.crypto.seal(this.crypto.pairKey(this.rank, slot), welcomeContext(this.group, slot, this.rank, nonce), ""));
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The joiner's proof that it holds `slot`'s keys, answering the challenge `nonce` of member `contact`. */
export function joinProof(crypto: GroupCrypto, group: string, slot: number, contact: number, nonce: string): string {
  return b64(crypto.seal(crypto.pairKey(slot, contact), joinContext(group, slot, contact, nonce), ""));
}

/** Is `proof` the welcome of a holder of member `contact`'s keys, to this joiner at `slot`? */
export function welcomeProven(crypto: GroupCrypto, group: string, slot: number, contact: number, nonce: string, proof: string): boolean {
  return crypto.open(crypto.pairKey(slot, contact), welcomeContext(group, slot, contact, nonce), latin1(proof)) !== undefined;
}
