// The real cryptography of a secure stack (the GroupCrypto of layers/crypto.ts), with Node's
// crypto module: X25519 key agreement, HKDF-SHA-256, AES-256-GCM.
//
// Each member has a long-term X25519 key pair. Two ways to give them:
//
//   { secret: "…" }                    a group secret: every member's key pair is derived from it
//                                      (HKDF), so whoever knows the secret is in the group.
//   { privateKey: "…", publicKeys: [   a key list: this member's private key, and every member's
//       "…", "…", … ] }                 public key by rank (base64 of the 32 raw bytes; makeKeyPair()
//                                      makes a pair). Only a holder of a listed key is in the group.
//
// The pairwise key of members a and b is HKDF(X25519(a's private key, b's public key)), bound to
// the group and the two ranks. A sealed text is a 12-byte nonce (4 random bytes per member, then
// a counter: never repeated under a key), the AES-256-GCM ciphertext, and its 16-byte tag; the
// context is the associated data. Packets across views are stamped by the clock (clockStamps).

import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from "node:crypto";
import type { CrossStamps, GroupCrypto } from "../layers/crypto.ts";
import { ConfigError } from "./config-error.ts";

export type Security = { readonly secret: string } | { readonly privateKey: string; readonly publicKeys: readonly string[] };

const PKCS8_X25519 = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519 = Buffer.from("302a300506032b656e032100", "hex");
const NONCE = 12;
const TAG = 16;

function privateKeyOf(raw: Buffer, what: string): KeyObject {
  if (raw.length !== 32) throw new ConfigError(`${what}: an X25519 private key is 32 bytes (base64), not ${raw.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: "der", type: "pkcs8" });
}

function publicKeyOf(raw: Buffer, what: string): KeyObject {
  if (raw.length !== 32) throw new ConfigError(`${what}: an X25519 public key is 32 bytes (base64), not ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: "der", type: "spki" });
}

function rawPublic(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" }).subarray(SPKI_X25519.length);
}

/** A fresh long-term key pair for a key list: base64 of the raw 32-byte keys. */
export function makeKeyPair(): { readonly privateKey: string; readonly publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("x25519");
  const raw = privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_X25519.length);
  return { privateKey: Buffer.from(raw).toString("base64"), publicKey: rawPublic(publicKey).toString("base64") };
}

const hkdf = (key: Buffer | string, salt: string, info: string) => Buffer.from(hkdfSync("sha256", key, salt, info, 32));

/** The members' long-term keys: this member's private key, and every member's public key. */
function longTermKeys(security: Security, group: string, n: number, rank: number): { readonly mine: KeyObject; readonly theirs: readonly KeyObject[] } {
  if ("secret" in security) {
    if (typeof security.secret !== "string" || security.secret.length < 8) throw new ConfigError("security.secret: a group secret of at least 8 characters");
    const privates = Array.from({ length: n }, (_, q) => privateKeyOf(hkdf(security.secret, group, `troupe member ${q}`), `member ${q}`));
    return { mine: privates[rank]!, theirs: privates.map((k) => createPublicKey(k)) };
  }
  const { privateKey, publicKeys } = security;
  if (!Array.isArray(publicKeys) || publicKeys.length !== n) throw new ConfigError(`security.publicKeys: one public key per member, ${n} in all, not ${Array.isArray(publicKeys) ? publicKeys.length : "none"}`);
  const mine = privateKeyOf(Buffer.from(privateKey, "base64"), "security.privateKey");
  const theirs = publicKeys.map((k, q) => publicKeyOf(Buffer.from(k, "base64"), `security.publicKeys[${q}]`));
  if (!rawPublic(createPublicKey(mine)).equals(rawPublic(theirs[rank]!))) throw new ConfigError(`security.privateKey is not the key of security.publicKeys[${rank}], this member's`);
  return { mine, theirs };
}

/**
 * The slot of a key list that is this process's: the index of its public key (a process joins a
 * key-list group in its own slot); undefined for a group secret (any slot will do).
 */
export function listedSlot(security: Security): number | undefined {
  if ("secret" in security) return undefined;
  if (!Array.isArray(security.publicKeys)) throw new ConfigError("security.publicKeys: one public key per member (base64)");
  const mine = rawPublic(createPublicKey(privateKeyOf(Buffer.from(security.privateKey, "base64"), "security.privateKey"))).toString("base64");
  const slot = security.publicKeys.findIndex((k) => typeof k === "string" && Buffer.from(k, "base64").toString("base64") === mine);
  if (slot < 0) throw new ConfigError("security.privateKey: its public key is not in security.publicKeys; this process is not on the group's list");
  return slot;
}

/** Packets across views are stamped by the clock; a receiver takes only stamps this close to its own clock (layers/encrypt.ts says why). */
export const CLOCK_SKEW = 60_000;
const STAMP_SPACE = 2 ** 48;

/** Cross-view stamps from the clock: milliseconds, strictly increasing, so that a restart does not set them back. */
const clockStamps: CrossStamps = {
  space: STAMP_SPACE,
  next: (last) => Math.max(Date.now(), last + 1) % STAMP_SPACE,
  recent: (stamp) => Math.abs(stamp - Date.now()) <= CLOCK_SKEW,
};

/** The GroupCrypto of member `rank` of a group of `n` called `group`. */
export function groupCrypto(security: Security, options: { readonly group: string; readonly n: number; readonly rank: number }): GroupCrypto {
  const { group, n, rank } = options;
  const { mine, theirs } = longTermKeys(security, group, n, rank);
  const pairKeys = new Map<number, string>();
  const prefix = randomBytes(4);
  let counter = 0;
  return {
    crossStamps: clockStamps,
    freshKey: () => randomBytes(32).toString("latin1"),
    pairKey(self, peer) {
      if (self !== rank) throw new RangeError(`member ${rank} cannot compute the pairwise key of member ${self}`);
      let key = pairKeys.get(peer);
      if (key === undefined) {
        const shared = diffieHellman({ privateKey: mine, publicKey: theirs[peer]! });
        key = hkdf(shared, group, `troupe pair ${Math.min(self, peer)} ${Math.max(self, peer)}`).toString("latin1");
        pairKeys.set(peer, key);
      }
      return key;
    },
    seal(key, context, plaintext) {
      const nonce = Buffer.alloc(NONCE);
      prefix.copy(nonce, 0);
      nonce.writeUIntBE(counter++, 6, 6);
      const cipher = createCipheriv("aes-256-gcm", Buffer.from(key, "latin1"), nonce);
      cipher.setAAD(Buffer.from(context, "latin1"));
      const body = Buffer.concat([cipher.update(Buffer.from(plaintext, "latin1")), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("latin1");
    },
    open(key, context, sealed) {
      if (sealed.length < NONCE + TAG || key.length !== 32) return undefined;
      const bytes = Buffer.from(sealed, "latin1");
      try {
        const decipher = createDecipheriv("aes-256-gcm", Buffer.from(key, "latin1"), bytes.subarray(0, NONCE));
        decipher.setAAD(Buffer.from(context, "latin1"));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
        return Buffer.concat([decipher.update(bytes.subarray(NONCE, bytes.length - TAG)), decipher.final()]).toString("latin1");
      } catch {
        return undefined;
      }
    },
  };
}
