// The UDP transport: one node:dgram socket bound to this member's address (any address and port:
// a group may span machines), sending to each member's address and naming the member a datagram
// came from by its source address. Slots whose address is not known yet are skipped.

import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { lookup as dnsLookup, type LookupOneOptions } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIPv4 } from "node:net";
import { formatAddress, type Address } from "./address.ts";
import { ConfigError } from "./config-error.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

export interface UdpOptions {
  /** The address to bind: its host may be 0.0.0.0 (every interface) and its port 0 (any free port). */
  readonly bind: Address;
  /** Each slot's address, in rank order (undefined: not known yet); this member's own included when known. */
  readonly members: readonly (Address | undefined)[];
  /** Kernel socket buffer sizes asked for (the kernel may cap them). */
  readonly bufferBytes?: number;
}

/** Binds this member's socket; fails with a ConfigError naming the address when it cannot. */
export async function udpTransport(options: UdpOptions): Promise<Transport> {
  const members = await Promise.all(options.members.map((m) => (m === undefined ? undefined : resolveAddress(m))));
  const bind = await resolveAddress(options.bind);
  const bufferBytes = options.bufferBytes ?? 4 << 20;
  const socket = createSocket({ type: "udp4", recvBufferSize: bufferBytes, sendBufferSize: bufferBytes, lookup: addressOf });
  await new Promise<void>((done, fail) => {
    socket.once("error", (e) => fail(new ConfigError(`cannot bind ${formatAddress(bind)}: ${e.message}`)));
    socket.bind(bind.port, bind.host, () => done());
  });
  const { address, port } = socket.address();
  return new UdpTransport(socket, members, { host: address, port });
}

/**
 * The socket's name lookup: members' addresses are resolved once, when they are learnt, so a send
 * names an IPv4 address, which is its own answer. (Node's lookup answers even those on the next
 * tick, through the resolver's argument checks: 3-4% of a busy member's CPU.)
 */
function addressOf(host: string, options: LookupOneOptions | number, answer: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  if (isIPv4(host)) answer(null, host, 4);
  else dnsLookup(host, typeof options === "number" ? { family: options } : options, answer);
}

/** The IPv4 address of `a`'s host; a ConfigError naming it when it has none. */
export async function resolveAddress(a: Address): Promise<Address> {
  try {
    const { address } = await lookup(a.host, { family: 4 });
    return { host: address, port: a.port };
  } catch (e) {
    throw new ConfigError(`cannot resolve the host of ${formatAddress(a)}: ${(e as Error).message}`);
  }
}

class UdpTransport implements Transport {
  /** Source "address:port" → member rank. */
  private readonly ranks = new Map<string, number>();
  private readonly members: (Address | undefined)[];
  private handler: DatagramHandler = () => {};
  private closed = false;

  constructor(
    private readonly socket: Socket,
    members: readonly (Address | undefined)[],
    readonly local: Address,
  ) {
    this.members = [...members];
    members.forEach((m, rank) => m !== undefined && this.ranks.set(formatAddress(m), rank));
    // An unreachable peer, a full buffer: UDP loses datagrams, the stack recovers; nothing to throw.
    socket.on("error", () => {});
    socket.on("message", (bytes: Buffer, from: RemoteInfo) => {
      const key = `${from.address}:${from.port}`;
      this.handler(bytes, this.ranks.get(key), { host: from.address, port: from.port });
    });
  }

  send(to: number, bytes: Uint8Array): void {
    const member = this.members[to];
    if (this.closed || member === undefined) return;
    this.socket.send(bytes, member.port, member.host);
  }

  sendTo(address: Address, bytes: Uint8Array): void {
    if (this.closed) return;
    this.socket.send(bytes, address.port, address.host);
  }

  setAddress(rank: number, address: Address): void {
    const old = this.members[rank];
    if (old !== undefined && this.ranks.get(formatAddress(old)) === rank) this.ranks.delete(formatAddress(old));
    this.members[rank] = address;
    this.ranks.set(formatAddress(address), rank);
  }

  listen(handler: DatagramHandler): void {
    this.handler = handler;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((done) => this.socket.close(() => done()));
  }
}
