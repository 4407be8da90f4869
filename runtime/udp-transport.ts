// The UDP transport: one node:dgram socket bound to this member's address, sending to each
// member's address and naming the member a datagram came from by its source address.

import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { formatAddress, type Address } from "./address.ts";
import { ConfigError } from "./config-error.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

export interface UdpOptions {
  readonly rank: number;
  /** Every member's address, in rank order, this member's included. */
  readonly members: readonly Address[];
  /** Kernel socket buffer sizes asked for (the kernel may cap them). */
  readonly bufferBytes?: number;
}

/** Binds this member's socket; fails with a ConfigError naming the address when it cannot. */
export async function udpTransport(options: UdpOptions): Promise<Transport> {
  const members = await Promise.all(options.members.map(resolve));
  const self = members[options.rank]!;
  const bufferBytes = options.bufferBytes ?? 4 << 20;
  const socket = createSocket({ type: "udp4", recvBufferSize: bufferBytes, sendBufferSize: bufferBytes });
  await new Promise<void>((done, fail) => {
    socket.once("error", (e) => fail(new ConfigError(`cannot bind ${formatAddress(self)}: ${e.message}`)));
    socket.bind(self.port, self.host, () => done());
  });
  return new UdpTransport(socket, members);
}

async function resolve(a: Address): Promise<Address> {
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
  private handler: DatagramHandler = () => {};
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly members: readonly Address[],
  ) {
    members.forEach((m, rank) => this.ranks.set(formatAddress(m), rank));
    // An unreachable peer, a full buffer: UDP loses datagrams, the stack recovers; nothing to throw.
    socket.on("error", () => {});
    socket.on("message", (bytes: Buffer, from: RemoteInfo) => this.handler(bytes, this.ranks.get(`${from.address}:${from.port}`)));
  }

  send(to: number, bytes: Uint8Array): void {
    if (this.closed) return;
    const { host, port } = this.members[to]!;
    this.socket.send(bytes, port, host);
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
