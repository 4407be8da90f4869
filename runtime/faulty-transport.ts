// A transport that drops, duplicates and delays outgoing datagrams at given rates before handing
// them to another transport. Its random choices come from the kernel's seeded generator.

import { Random } from "../ioa/index.ts";
import type { Counters } from "./counters.ts";
import type { FaultRates } from "./faults.ts";
import { ForwardingTransport } from "./forwarding-transport.ts";
import type { Transport } from "./transport.ts";

export function withFaults(inner: Transport, rates: FaultRates, counters: Counters): Transport {
  return new FaultyTransport(inner, rates, counters);
}

class FaultyTransport extends ForwardingTransport {
  private readonly random: Random;
  private readonly held = new Set<NodeJS.Timeout>();
  private readonly drop: number;
  private readonly duplicate: number;
  private readonly delay: number;
  private readonly maxDelay: number;

  constructor(
    inner: Transport,
    rates: FaultRates,
    private readonly counters: Counters,
  ) {
    super(inner);
    this.random = Random.seeded(rates.seed ?? Random.freshSeed());
    this.drop = rates.drop ?? 0;
    this.duplicate = rates.duplicate ?? 0;
    this.delay = rates.delay ?? 0;
    this.maxDelay = rates.maxDelay ?? 20;
  }

  override send(to: number, bytes: Uint8Array): void {
    const faults = this.counters.faults;
    if (this.drop > 0 && this.random.chance(this.drop)) {
      faults.dropped++;
      return;
    }
    if (this.duplicate > 0 && this.random.chance(this.duplicate)) {
      faults.duplicated++;
      this.sendOne(to, bytes.slice());
    }
    this.sendOne(to, bytes);
  }

  private sendOne(to: number, bytes: Uint8Array): void {
    if (this.delay === 0 || !this.random.chance(this.delay)) {
      this.inner.send(to, bytes);
      return;
    }
    this.counters.faults.delayed++;
    const timer = setTimeout(() => {
      this.held.delete(timer);
      this.inner.send(to, bytes);
    }, this.random.int(1, Math.max(1, this.maxDelay)));
    this.held.add(timer);
  }


  override close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    return this.inner.close();
  }
}
