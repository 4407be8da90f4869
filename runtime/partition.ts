// Partitions injected at the transport, for tests and demonstrations: a member told which members
// it can reach drops every datagram to or from the others, until healed. Every member of a group
// is told its own side (`troupe node --commands` reads `partition 0,1|2,3` and `heal`), so a
// partition cuts both ways even while the word spreads.

import type { Counters } from "./counters.ts";
import { ForwardingTransport } from "./forwarding-transport.ts";
import type { DatagramHandler, Transport } from "./transport.ts";

export class PartitionableTransport extends ForwardingTransport {
  /** The members this one can reach; undefined when not partitioned. */
  private reachable: ReadonlySet<number> | undefined;

  constructor(
    inner: Transport,
    private readonly counters: Counters,
  ) {
    super(inner);
  }

  /** From now on, only datagrams to and from `reachable` pass. */
  partition(reachable: Iterable<number>): void {
    this.reachable = new Set(reachable);
  }

  heal(): void {
    this.reachable = undefined;
  }

  override send(to: number, bytes: Uint8Array): void {
    if (this.reachable !== undefined && !this.reachable.has(to)) {
      this.counters.faults.partitioned++;
      return;
    }
    this.inner.send(to, bytes);
  }

  override listen(handler: DatagramHandler): void {
    this.inner.listen((bytes, from, source) => {
      if (this.reachable !== undefined && from !== undefined && !this.reachable.has(from)) {
        this.counters.faults.partitioned++;
        return;
      }
      handler(bytes, from, source);
    });
  }
}

/** Parses sides "0,1|2,3" of a group of `n` into sets of ranks; every rank on exactly one side. */
export function parseSides(text: string, n: number): number[][] {
  const sides = text.split("|").map((side) => side.split(",").map((x) => x.trim()).filter((x) => x !== "").map(Number));
  const all = sides.flat();
  const bad = all.find((r) => !Number.isSafeInteger(r) || r < 0 || r >= n);
  if (bad !== undefined) throw new RangeError(`partition "${text}": ${bad} is not a rank of a group of ${n}`);
  if (new Set(all).size !== all.length) throw new RangeError(`partition "${text}": a rank is on two sides`);
  return sides;
}
