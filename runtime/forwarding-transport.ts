// A transport that wraps another (to inject faults, or partitions) and passes on, unchanged,
// everything it does not change itself.

import type { Address } from "./address.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

export class ForwardingTransport implements Transport {
  constructor(protected readonly inner: Transport) {}

  send(to: number, bytes: Uint8Array): void {
    this.inner.send(to, bytes);
  }

  listen(handler: DatagramHandler): void {
    this.inner.listen(handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get local(): Address | undefined {
    return this.inner.local;
  }

  sendTo(address: Address, bytes: Uint8Array): void {
    this.inner.sendTo?.(address, bytes);
  }

  setAddress(rank: number, address: Address): void {
    this.inner.setAddress?.(rank, address);
  }
}
