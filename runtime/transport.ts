// A transport moves datagrams between the members of a group, who are known by rank. The member
// above it decodes, checks and counts what arrives; the transport only says which member's address
// a datagram came from (undefined for an address outside the group).

export type DatagramHandler = (bytes: Uint8Array, from: number | undefined) => void;

export interface Transport {
  /** Sends a datagram to member `to`; the transport owns `bytes` from then on. */
  send(to: number, bytes: Uint8Array): void;
  /** Where arriving datagrams go (one handler; a later call replaces it). */
  listen(handler: DatagramHandler): void;
  /** Stops sending and receiving; resolves once the transport's resources are released. */
  close(): Promise<void>;
}
