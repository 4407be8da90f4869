// The join protocol: how a process that knows one member's address joins a running group, and
// how members tell each other which address each slot is at. Its datagrams are the runtime's own,
// apart from the stack's (magic "Tj", then a version byte, then one JSON object):
//
//   join       {group, slot?, nonce?, proof?}        a process asks a member (its contact) for a slot;
//                                                    in a secure group it answers a challenge with a
//                                                    proof that it holds the slot's keys (admission.ts)
//   challenge  {group, slot, contact, capacity, nonce}  a secure group's contact: prove you hold the
//                                                    keys of this slot (the contact keeps no state)
//   welcome    {group, stack, capacity, slot, fragment, maxDatagram, entries, proof?}
//                                                    the contact's answer: the group's settings, the
//                                                    newcomer's slot and the directory as it knows it
//                                                    (with the contact's own proof, in a secure group)
//   refused    {group, reason}                       no slot (the group is full, …) or another group
//   addresses  {group, entries}                      a member's directory, gossiped to the others
//
// The joiner repeats `join` until it is welcomed (UDP may lose either). Decoding treats every
// datagram as hostile: it never throws; what is not a well-formed message is undefined.

import { Buffer } from "node:buffer";
import type { Address } from "./address.ts";
import type { Entry } from "./directory.ts";

export const JOIN_MAGIC = Uint8Array.of(0x54, 0x6a); // "Tj"
const VERSION = 1;

export interface Settings {
  readonly stack: string;
  readonly capacity: number;
  readonly fragment: number;
  readonly maxDatagram: number;
  /** The members pass their suspicions on (the SLANDER layer): every member of a group must agree. */
  readonly slander: boolean;
}

export type JoinMessage =
  | { readonly type: "join"; readonly group: string; readonly slot?: number; readonly nonce?: string; readonly proof?: string }
  | { readonly type: "challenge"; readonly group: string; readonly slot: number; readonly contact: number; readonly capacity: number; readonly nonce: string }
  | ({ readonly type: "welcome"; readonly group: string; readonly slot: number; readonly entries: readonly Entry[]; readonly proof?: string } & Settings)
  | { readonly type: "refused"; readonly group: string; readonly reason: string }
  | { readonly type: "addresses"; readonly group: string; readonly entries: readonly Entry[] };

export function isJoinDatagram(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === JOIN_MAGIC[0] && bytes[1] === JOIN_MAGIC[1];
}

export function encodeJoin(message: JoinMessage): Buffer {
  return Buffer.concat([JOIN_MAGIC, Uint8Array.of(VERSION), Buffer.from(JSON.stringify(message), "utf8")]);
}

/** The message in a "Tj" datagram, or why it is not one. */
export function decodeJoin(bytes: Uint8Array): JoinMessage | string {
  if (!isJoinDatagram(bytes)) return "not a join datagram";
  if (bytes[2] !== VERSION) return `join protocol version ${bytes[2]}, this member speaks ${VERSION}`;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 3, bytes.byteLength - 3).toString("utf8"));
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  return checkMessage(value);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isCount = (x: unknown, min: number, max: number): x is number => Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;
const isString = (x: unknown, max = 256): x is string => typeof x === "string" && x.length <= max;

function checkAddress(x: unknown): Address | undefined {
  if (!isRecord(x) || !isString(x.host) || !isCount(x.port, 1, 65535)) return undefined;
  return { host: x.host, port: x.port };
}

function checkEntries(x: unknown, where: string): Entry[] | string {
  if (!Array.isArray(x) || x.length > 4096) return `${where}: entries should be an array of at most 4,096`;
  const out: Entry[] = [];
  for (const [i, e] of x.entries()) {
    const address = isRecord(e) ? checkAddress(e.address) : undefined;
    if (!isRecord(e) || address === undefined || !isCount(e.slot, 0, 4095) || !Number.isFinite(e.stamp) || !isCount(e.by, -1, 4095)) return `${where}: entry ${i} is not {slot, address: {host, port}, stamp, by}`;
    out.push({ slot: e.slot, address, stamp: e.stamp as number, by: e.by });
  }
  return out;
}

function checkMessage(x: unknown): JoinMessage | string {
  if (!isRecord(x) || !isString(x.group)) return "not a message with a group name";
  const group = x.group;
  switch (x.type) {
    case "join": {
      if (x.slot !== undefined && !isCount(x.slot, 0, 4095)) return "join: a slot is a count below 4,096";
      if ((x.nonce === undefined) !== (x.proof === undefined) || (x.nonce !== undefined && !(isString(x.nonce, 64) && isString(x.proof, 256)))) return "join: a nonce and a proof go together, strings of at most 64 and 256 characters";
      return { type: "join", group, ...(x.slot !== undefined && { slot: x.slot }), ...(x.nonce !== undefined && { nonce: x.nonce as string, proof: x.proof as string }) };
    }
    case "challenge":
      if (!isCount(x.capacity, 1, 4096) || !isCount(x.slot, 0, x.capacity - 1) || !isCount(x.contact, 0, x.capacity - 1) || !isString(x.nonce, 64)) return "challenge: slot, contact (below the capacity), capacity or nonce missing or out of range";
      return { type: "challenge", group, slot: x.slot, contact: x.contact, capacity: x.capacity, nonce: x.nonce };
    case "refused":
      return isString(x.reason, 1000) ? { type: "refused", group, reason: x.reason } : "refused: no reason";
    case "addresses": {
      const entries = checkEntries(x.entries, "addresses");
      return typeof entries === "string" ? entries : { type: "addresses", group, entries };
    }
    case "welcome": {
      const entries = checkEntries(x.entries, "welcome");
      if (typeof entries === "string") return entries;
      if (!isString(x.stack) || !isCount(x.capacity, 1, 4096) || !isCount(x.slot, 0, x.capacity - 1) || !isCount(x.fragment, 1, 1 << 24) || !isCount(x.maxDatagram, 64, 65507)) {
        return "welcome: stack, capacity, slot (below the capacity), fragment or maxDatagram missing or out of range";
      }
      if (x.proof !== undefined && !isString(x.proof, 256)) return "welcome: a proof is a string of at most 256 characters";
      if (x.slander !== undefined && typeof x.slander !== "boolean") return "welcome: slander is true or false";
      return { type: "welcome", group, stack: x.stack, capacity: x.capacity, slot: x.slot, fragment: x.fragment, maxDatagram: x.maxDatagram, slander: x.slander === true, entries, ...(x.proof !== undefined && { proof: x.proof }) };
    }
    default:
      return `unknown message type ${JSON.stringify(x.type)?.slice(0, 40)}`;
  }
}
