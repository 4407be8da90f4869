// A transport moves datagrams between the members of a group, who are known by rank (slot). The
// member above it decodes, checks and counts what arrives; the transport only says which member's
// address a datagram came from (undefined for an address outside the group) and from which address.
// A group may have slots whose address is not known yet (a process joining later gets one): sends
// to such a slot go nowhere, and the address of a slot is set when it is learned.

import type { Address } from "./address.ts";

export type DatagramHandler = (bytes: Uint8Array, from: number | undefined, source?: Address) => void;

export interface Transport {
  /** Sends a datagram to member `to` (nothing, when its address is not known); the transport owns `bytes` from then on. */
  send(to: number, bytes: Uint8Array): void;
  /** Where arriving datagrams go (one handler; a later call replaces it). */
  listen(handler: DatagramHandler): void;
  /** Stops sending and receiving; resolves once the transport's resources are released. */
  close(): Promise<void>;
  /** Sends a datagram to an address outside the group (a process asking to join); transports without addresses have none. */
  sendTo?(address: Address, bytes: Uint8Array): void;
  /** Slot `rank` is at `address` from now on (a member that joined). */
  setAddress?(rank: number, address: Address): void;
  /** The address this transport is bound to. */
  readonly local?: Address;
}
