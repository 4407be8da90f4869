// How a member starts: as a founding member of a group (its peers' addresses in rank order), or
// as a process joining a running group through one member's address (join-protocol.ts: the contact
// gives it a slot and the group's settings). Either way: its slot, the group's capacity and
// settings, the directory of addresses, and a bound transport.

import type { SuspectOptions } from "../layers/suspect.ts";
import type { GroupCrypto } from "../layers/crypto.ts";
import { joinProof, welcomeProven } from "./admission.ts";
import { groupCrypto, listedSlot, type Security } from "./group-crypto.ts";
import { range } from "../ioa/index.ts";
import { formatAddress, parseAddress, type Address } from "./address.ts";
import { ConfigError } from "./config-error.ts";
import type { Counters } from "./counters.ts";
import { Directory } from "./directory.ts";
import type { FaultRates } from "./faults.ts";
import { decodeJoin, encodeJoin, isJoinDatagram, type JoinMessage } from "./join-protocol.ts";
import type { StateHooks } from "./state-transfer.ts";
import { isStackName, SECURE_STACKS, stackDefinition, type StackName } from "./stacks.ts";
import type { Transport } from "./transport.ts";
import { resolveAddress, udpTransport } from "./udp-transport.ts";

export interface JoinOptions {
  /** The group's name: members of other groups (or stacks, or capacities) are not heard. */
  readonly group: string;
  /** A founding member: every founding member's address ("host:port"), in rank order, this member's included. */
  readonly peers?: readonly (string | Address)[];
  /** A process joining a running group: the address of any member ("host:port"); the group's settings come from it. */
  readonly contact?: string | Address;
  /** Slots in the group, founders included (default: the founders, so nobody can join). */
  readonly capacity?: number;
  /** This member's rank; by default the member whose address has port `port`. */
  readonly rank?: number;
  readonly port?: number;
  /** The address to bind ("host:port"; host 0.0.0.0 for every interface, port 0 for any): by default, this member's address among the peers, or 0.0.0.0 and `port` (or any) when joining by contact. */
  readonly bind?: string | Address;
  /** The stack (default "fifo"). */
  readonly stack?: StackName;
  /** State transfer: the application's snapshot and restore hooks (vsync stacks). */
  readonly state?: StateHooks;
  /** The largest snapshot taken or accepted, in bytes (default 8 MB). */
  readonly maxSnapshot?: number;
  /** Joining by contact: give up after this many milliseconds without a slot (default 10,000). */
  readonly joinTimeout?: number;
  /** leave(): close anyway after this many milliseconds without the group's word (default 5,000). */
  readonly leaveTimeout?: number;
  /** A slot out of the view and silent this many milliseconds may be given to a newcomer (default 10,000). */
  readonly reuseAfter?: number;
  /** Milliseconds between gossips of the directory, in a group with free slots (default 1,000). */
  readonly gossip?: number;
  /** Batch packets of many runs into one datagram, sent on the next turn of the event loop (default true); false sends at the end of every run, for latency. */
  readonly batching?: boolean;
  /** Real milliseconds per millisecond of a layer's timer delay (default 1). */
  readonly timerScale?: number;
  /**
   * The failure detector's delays, in milliseconds (times timerScale): heartbeats every `beat`
   * (default 100), a sweep of the marks every `sweep` (300), a member unheard for `suspect` (900)
   * suspected, one never heard since the view began after `silent` (5,000).
   */
  readonly failureDetector?: SuspectOptions;
  /**
   * The members pass their suspicions on to the others (the SLANDER layer, layers/slander.ts), so
   * that a member some of the group cannot hear is excluded though the coordinator hears it; a
   * false suspicion by any member then excludes a live one. A setting of the group, for stacks
   * with views: the founders must agree, and a joiner takes the group's (default false).
   */
  readonly slander?: boolean;
  /** The largest datagram sent or accepted, in bytes (default 60,000). */
  readonly maxDatagram?: number;
  /** Payloads longer than this many bytes travel in pieces (default 8,192). */
  readonly fragment?: number;
  /**
   * Message packing (cast-packer.ts): the casts the application makes in one turn of the event
   * loop go into the stack as one message of at most this many payload bytes (default: `fragment`,
   * so that a pack is never cut in pieces); 0 casts every message on its own. A cast made alone
   * goes alone, at the end of the turn. Each member packs its own casts as it likes: a member of
   * any setting delivers the packs of the others.
   */
  readonly packing?: number;
  /** Faults to inject into outgoing datagrams. */
  readonly faults?: FaultRates;
  /** Record this member's group actions to this file as JSON lines (for `troupe validate`). */
  readonly trace?: string;
  /**
   * For a secure stack (vsync-secure, total-secure): the group secret, or this member's private
   * key and every member's public key (group-crypto.ts). Required by those stacks, refused by the others.
   */
  readonly security?: Security;
  /** A transport to use instead of UDP (an in-process network, for tests). */
  readonly transport?: Transport;
}

export const DEFAULTS = { maxSnapshot: 8 << 20, joinTimeout: 10_000, leaveTimeout: 5_000, reuseAfter: 10_000, gossip: 1_000 };

/** How a member starts: its slot, the group's capacity and settings, where the others are. */
export interface Start {
  readonly rank: number;
  readonly capacity: number;
  readonly stack: StackName;
  readonly fragment: number;
  readonly maxDatagram: number;
  readonly slander: boolean;
  readonly directory: Directory;
  /** The founders (their start view), or undefined for a joiner (alone in its slot). */
  readonly founders: number | undefined;
}

export async function asFounder(options: JoinOptions): Promise<{ start: Start; transport: Transport }> {
  if (options.peers === undefined) throw new ConfigError("give the founding members' addresses (peers), or a member's address to join through (contact)");
  const peers = options.peers.map((p, i) => (typeof p === "string" ? parseAddress(p, `peer ${i}`) : p));
  const rank = rankOf(options, peers);
  const capacity = options.capacity ?? peers.length;
  if (!Number.isSafeInteger(capacity) || capacity < peers.length) throw new ConfigError(`capacity ${capacity}: a group holds at least its ${peers.length} founding members`);
  const stack = options.stack ?? "fifo";
  const { fragment, maxDatagram } = datagramSettings(options);
  // (A secure stack, vsync or total over ENCRYPT, has views; it is not built here, for want of its keys.)
  if (capacity > peers.length && !SECURE_STACKS.includes(stack) && !stackDefinition(stack, { fragment }).layers.some((l) => l.provides.includes("viewMembership"))) {
    throw new ConfigError(`capacity ${capacity}: stack ${stack} keeps a fixed group of its founders (it has no view membership), so nobody could join; use a stack with views, such as vsync`);
  }
  const directory = new Directory(capacity, peers.map((address, slot) => ({ slot, address, stamp: 0, by: -1 })));
  const bind = options.bind === undefined ? peers[rank]! : typeof options.bind === "string" ? parseAddress(options.bind, "bind", true) : options.bind;
  const transport = options.transport ?? (await udpTransport({ bind, members: range(capacity).map((slot) => directory.address(slot)) }));
  return { start: { rank, capacity, stack, fragment, maxDatagram, slander: options.slander ?? false, directory, founders: peers.length }, transport };
}

function datagramSettings(options: JoinOptions): { fragment: number; maxDatagram: number } {
  const maxDatagram = options.maxDatagram ?? 60_000;
  const fragment = options.fragment ?? 8192;
  if (options.packing !== undefined && !(Number.isSafeInteger(options.packing) && options.packing >= 0)) throw new ConfigError(`packing ${options.packing}: give the most bytes of casts to pack in one message (a whole number, 0 for no packing)`);
  if (fragment + 1024 > maxDatagram) throw new ConfigError(`fragment ${fragment} leaves no room for headers in datagrams of at most ${maxDatagram} bytes`);
  return { fragment, maxDatagram };
}

/** Asks `contact` for a slot until it gives one (or refuses, or `joinTimeout` passes). */
export async function byContact(options: JoinOptions, counters: Counters): Promise<{ start: Start; transport: Transport }> {
  if (options.peers !== undefined) throw new ConfigError("give either the founding members (peers) or a member to join through (contact), not both");
  const contact = await resolveAddress(typeof options.contact === "string" ? parseAddress(options.contact, "contact") : options.contact!);
  const { security, group } = options;
  const wanted = security && listedSlot(security);
  const bind = options.bind === undefined ? { host: "0.0.0.0", port: options.port ?? 0 } : typeof options.bind === "string" ? parseAddress(options.bind, "bind", true) : options.bind;
  const transport = options.transport ?? (await udpTransport({ bind, members: [] }));
  if (transport.sendTo === undefined) throw new ConfigError("this transport cannot reach a contact address (join by contact needs UDP)");
  const limit = options.joinTimeout ?? DEFAULTS.joinTimeout;
  let request = encodeJoin({ type: "join", group, ...(wanted !== undefined && { slot: wanted }) });
  /** The challenge answered last, and the crypto of its slot: the contact's welcome must prove it holds the keys too. */
  let answered: { readonly challenge: Extract<JoinMessage, { type: "challenge" }>; readonly crypto: GroupCrypto } | undefined;
  let lastRefusal = "no answer";
  const welcome = await new Promise<Extract<JoinMessage, { type: "welcome" }> | undefined>((done, fail) => {
    const ask = () => transport.sendTo!(contact, request);
    /** A secure group's contact asks for a proof that this process holds the keys of the slot it offers. */
    const prove = (challenge: Extract<JoinMessage, { type: "challenge" }>) => {
      if (security === undefined) return finish(undefined, new ConfigError(`group ${group} is a secure group: give security (its secret, or this process's key and the key list) to join it`));
      const crypto = groupCrypto(security, { group, n: challenge.capacity, rank: challenge.slot });
      answered = { challenge, crypto };
      request = encodeJoin({ type: "join", group, slot: challenge.slot, nonce: challenge.nonce, proof: joinProof(crypto, group, challenge.slot, challenge.contact, challenge.nonce) });
      ask();
    };
    /** A welcome from a secure group's contact is taken only with its proof (and one that needs none only from a plain group's). */
    const proven = (w: Extract<JoinMessage, { type: "welcome" }>) =>
      answered === undefined
        ? security === undefined
        : w.proof !== undefined && w.slot === answered.challenge.slot && welcomeProven(answered.crypto, group, w.slot, answered.challenge.contact, answered.challenge.nonce, w.proof);
    const again = setInterval(ask, 250);
    const give = setTimeout(() => finish(undefined), limit);
    const finish = (w: Extract<JoinMessage, { type: "welcome" }> | undefined, error?: Error) => {
      clearInterval(again);
      clearTimeout(give);
      if (error) fail(error);
      else done(w);
    };
    transport.listen((bytes, _from, source) => {
      if (source === undefined || formatAddress(source) !== formatAddress(contact) || !isJoinDatagram(bytes)) return;
      const m = decodeJoin(bytes);
      if (typeof m === "string" || m.group !== options.group) return void counters.join.bad++;
      if (m.type === "challenge") {
        try {
          prove(m);
        } catch (e) {
          finish(undefined, e as Error);
        }
      } else if (m.type === "welcome") {
        if (proven(m)) finish(m);
        else if (security === undefined || answered !== undefined) counters.join.bad++;
        else finish(undefined, new ConfigError(`group ${group} runs stack ${m.stack}, which does not seal datagrams: security needs a secure stack`));
      } else if (m.type === "refused") {
        lastRefusal = m.reason;
        // The slot of a process restarted at the same address frees once its old self is excluded: ask again.
        if (!m.reason.includes("still in the view")) finish(undefined, new ConfigError(`${formatAddress(contact)} refused to let this process join group ${options.group}: ${m.reason}`));
      }
    });
    ask();
  }).catch(async (e: unknown) => {
    await transport.close();
    throw e;
  });
  if (welcome === undefined) {
    await transport.close();
    throw new ConfigError(`no slot in group ${options.group} from ${formatAddress(contact)} within ${limit} ms (${lastRefusal})`);
  }
  if (!isStackName(welcome.stack)) {
    await transport.close();
    throw new ConfigError(`group ${options.group} runs stack "${welcome.stack}", which this process does not have`);
  }
  if (options.slander !== undefined && options.slander !== welcome.slander) {
    await transport.close();
    throw new ConfigError(`group ${options.group} runs ${welcome.slander ? "with" : "without"} slander; a joiner takes the group's setting (leave slander out)`);
  }
  const directory = new Directory(welcome.capacity, welcome.entries);
  for (const e of directory.known()) transport.setAddress?.(e.slot, e.address);
  counters.join.welcomed++;
  const start = { rank: welcome.slot, capacity: welcome.capacity, stack: welcome.stack, fragment: welcome.fragment, maxDatagram: welcome.maxDatagram, slander: welcome.slander, directory, founders: undefined };
  return { start, transport };
}

function rankOf(options: JoinOptions, peers: readonly Address[]): number {
  if (peers.length === 0) throw new ConfigError("peers: a group needs at least one member");
  if (options.rank !== undefined) {
    if (!Number.isSafeInteger(options.rank) || options.rank < 0 || options.rank >= peers.length) {
      throw new ConfigError(`rank ${options.rank} is not a rank of a group of ${peers.length} (0 to ${peers.length - 1})`);
    }
    if (options.port !== undefined && peers[options.rank]!.port !== options.port) {
      throw new ConfigError(`port ${options.port} is not the port of member ${options.rank} (${peers[options.rank]!.host}:${peers[options.rank]!.port})`);
    }
    return options.rank;
  }
  if (options.port === undefined) throw new ConfigError("give this member's rank, or its port (to find it among the peers)");
  const matches = peers.flatMap((p, i) => (p.port === options.port ? [i] : []));
  if (matches.length !== 1) {
    throw new ConfigError(matches.length === 0 ? `port ${options.port} is not among the peers' ports; the peers list every member, this one included` : `port ${options.port} is the port of members ${matches.join(" and ")}: give the rank`);
  }
  return matches[0]!;
}
