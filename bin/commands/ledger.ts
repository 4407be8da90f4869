// The application state `troupe node --state` keeps, to show and test state transfer: how many casts
// it has delivered and a digest of them (a sum of hashes, so that members that delivered the same
// casts in any interleaving agree). A member that receives the group's state restores both.

import { fnv1a32, type JsonValue, type Snapshot, type StateHooks } from "../../runtime/index.ts";

export class Ledger implements StateHooks {
  count = 0;
  digest = 0;

  /** A delivery of `sender`'s cast number `seq` with this text. */
  add(sender: number, seq: number, text: string): void {
    this.count++;
    this.digest = (this.digest + fnv1a32(`${sender}/${seq}:${text}`)) >>> 0;
  }

  snapshot(): JsonValue {
    return { count: this.count, digest: this.digest };
  }

  restore(snapshot: Snapshot): void {
    const s = snapshot as { count?: unknown; digest?: unknown };
    if (snapshot instanceof Uint8Array || typeof s !== "object" || s === null || !Number.isSafeInteger(s.count) || !Number.isSafeInteger(s.digest)) {
      throw new TypeError(`a ledger snapshot is {count, digest}, not ${JSON.stringify(snapshot)?.slice(0, 80)}`);
    }
    this.count = s.count as number;
    this.digest = s.digest as number;
  }

  toString(): string {
    return `${this.count} deliveries, digest ${this.digest.toString(16).padStart(8, "0")}`;
  }
}
