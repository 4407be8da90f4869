// An in-process network for tests and single-process groups: datagrams go from one member's
// transport to another's on the next turn of the event loop, as UDP on loopback would.

import type { DatagramHandler, Transport } from "./transport.ts";

/** The transports of a group of `n` members, by rank. */
export function memoryNetwork(n: number): Transport[] {
  const handlers: (DatagramHandler | undefined)[] = Array(n).fill(undefined);
  const open: boolean[] = Array(n).fill(true);
  return Array.from({ length: n }, (_, rank) => ({
    send(to: number, bytes: Uint8Array) {
      if (!open[rank]) return;
      setImmediate(() => {
        if (open[to]) handlers[to]?.(bytes, rank);
      });
    },
    listen(handler: DatagramHandler) {
      handlers[rank] = handler;
    },
    close() {
      open[rank] = false;
      return Promise.resolve();
    },
  }));
}
