// A symbolic cipher for the models (Dolev–Yao style): keys are names, and a sealed text shows its
// key, its context and its plaintext, with a tag that stands for a MAC under the key. Nothing in
// the models computes a tag but `seal`, and only the members' layers call it with the group's
// keys: an intruder that holds no key can replay and tamper with sealed texts, or seal under a key
// of its own, and `open` refuses all of that. What the checker then shows is that the layers
// never accept what they should not, and never hand a key to a member that should not have it.
//
//   a view's key       "K<view id>:<members>"   (e.g. "K3:0,1"): who may hold it is in its name
//   a pairwise key     "P<lower rank>-<higher rank>"; an outsider's (symbolicCryptoWith): "U<rank>-<peer>"
//   a sealed text      "{<key>|<context>|<tag>}<plaintext>"

import { fingerprintString } from "../../ioa/index.ts";
import type { GroupCrypto } from "../crypto.ts";
import type { ViewValue } from "../event.ts";

/** The key a model's coordinator makes for `view`. */
export function symbolicViewKey(view: ViewValue): string {
  return `K${view.id}:${view.members.toArray().join(",")}`;
}

/** The members of the view a symbolic view key was made for; undefined for a string that is not one. */
export function membersOfSymbolicKey(key: string): number[] | undefined {
  const match = /^K\d+:([\d,]*)$/.exec(key);
  if (!match) return undefined;
  return match[1] === "" ? [] : match[1]!.split(",").map(Number);
}

const tag = (key: string, context: string, plaintext: string) => fingerprintString([key, context, plaintext]);

export const symbolicCrypto: GroupCrypto = {
  freshKey: symbolicViewKey,
  pairKey: (self, peer) => `P${Math.min(self, peer)}-${Math.max(self, peer)}`,
  seal: (key, context, plaintext) => `{${key}|${context}|${tag(key, context, plaintext)}}${plaintext}`,
  open(key, context, sealed) {
    const prefix = `{${key}|${context}|`;
    if (!sealed.startsWith(prefix)) return undefined;
    const end = sealed.indexOf("}", prefix.length);
    if (end < 0) return undefined;
    const plaintext = sealed.slice(end + 1);
    return sealed.slice(prefix.length, end) === tag(key, context, plaintext) ? plaintext : undefined;
  },
};

/**
 * The symbolic cipher of a group in which the processes `outsiders` run the stack but hold no key
 * of the group (key-list mode: their public keys are not on the list; secret mode: they do not
 * know the secret). An outsider's pairwise key with anyone is one of its own, which no member
 * computes: the members' pairwise key with its slot is the listed one, which it does not have.
 */
export function symbolicCryptoWith(outsiders: readonly number[]): GroupCrypto {
  if (outsiders.length === 0) return symbolicCrypto;
  return { ...symbolicCrypto, pairKey: (self, peer) => (outsiders.includes(self) ? `U${self}-${peer}` : symbolicCrypto.pairKey(self, peer)) };
}

/** What an intruder knows of a symbolic sealed text without its key: its plaintext (it is in the clear, symbolically). */
export function symbolicPlaintext(sealed: string): string | undefined {
  if (!sealed.startsWith("{")) return undefined;
  const end = sealed.indexOf("}");
  return end < 0 ? undefined : sealed.slice(end + 1);
}
