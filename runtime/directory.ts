// The directory: which address each slot of a group is at, as far as this member knows.
//
// A group has a capacity of n slots (ranks 0..n-1, the processes its stack is built for). The
// founding members fill the first slots; a process that joins later by contacting any member is
// given a free slot by that member (its contact), at the address the contact saw its request come
// from. Members learn each other's assignments by gossip (join-protocol.ts): each entry carries a
// stamp, and the newer stamp wins, so that every member ends with the same table. A datagram
// claiming to be from slot r is accepted only from r's address (member.ts): a process that claims
// a slot it was not given is an impostor, dropped and counted.

import type { ISet } from "../ioa/index.ts";
import { formatAddress, type Address } from "./address.ts";

export interface Entry {
  readonly slot: number;
  readonly address: Address;
  /** When it was assigned (the contact's clock, ms) and by whom: the newer assignment of a slot wins. */
  readonly stamp: number;
  readonly by: number;
}

export interface SlotChoice {
  /** The slots in the contact's current view: never given away. */
  readonly inView: ISet<number>;
  /** Milliseconds since slot r was last heard from (undefined: never). */
  readonly silentFor: (slot: number) => number | undefined;
  /** A slot out of the view and silent this long may be given to a newcomer. */
  readonly reuseAfter: number;
}

const newer = (a: Entry, b: Entry | undefined) => b === undefined || a.stamp > b.stamp || (a.stamp === b.stamp && a.by > b.by);

export class Directory {
  private readonly entries: (Entry | undefined)[];

  constructor(readonly capacity: number, entries: readonly Entry[] = []) {
    this.entries = Array(capacity).fill(undefined);
    this.merge(entries);
  }

  address(slot: number): Address | undefined {
    return this.entries[slot]?.address;
  }

  /** Every known entry, by slot. */
  known(): Entry[] {
    return this.entries.filter((e): e is Entry => e !== undefined);
  }

  /** Takes the entries that are newer than those held; the ones that changed an address. */
  merge(entries: readonly Entry[]): Entry[] {
    const changed: Entry[] = [];
    for (const e of entries) {
      if (e.slot < 0 || e.slot >= this.capacity || !newer(e, this.entries[e.slot])) continue;
      const before = this.entries[e.slot];
      this.entries[e.slot] = e;
      if (before === undefined || formatAddress(before.address) !== formatAddress(e.address)) changed.push(e);
    }
    return changed;
  }

  /** The slot held by `address`, if any. */
  slotAt(address: Address): number | undefined {
    const key = formatAddress(address);
    return this.entries.find((e) => e !== undefined && formatAddress(e.address) === key)?.slot;
  }

  /**
   * A slot for a newcomer at `address`: the one it already holds (its request was repeated, or it
   * restarted), else the lowest slot with no address, else the lowest slot out of the view and
   * silent for `reuseAfter` ms. A string says why there is none: the group is full, or the slot at
   * that address is still in the view (a restarted process waits until its old self is excluded).
   * A process of a key-list group wants its own slot (`wanted`): the one whose listed key it holds.
   */
  choose(address: Address, choice: SlotChoice, wanted?: number): number | string {
    if (wanted !== undefined) return this.chooseWanted(address, choice, wanted);
    const held = this.slotAt(address);
    if (held !== undefined) return choice.inView.has(held) ? `slot ${held}, at ${formatAddress(address)}, is still in the view: try again once it is excluded` : held;
    const free = this.entries.findIndex((e) => e === undefined);
    if (free >= 0) return free;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (choice.inView.has(slot)) continue;
      const silent = choice.silentFor(slot);
      if (silent === undefined || silent >= choice.reuseAfter) return slot;
    }
    return `the group is full: its ${this.capacity} slots are taken`;
  }

  /** Slot `wanted` for a newcomer at `address`, if it is not in the view and is free, its own already, or silent for `reuseAfter` ms. */
  private chooseWanted(address: Address, choice: SlotChoice, wanted: number): number | string {
    if (wanted >= this.capacity) return `slot ${wanted}: the group has ${this.capacity} slots`;
    if (choice.inView.has(wanted)) return `slot ${wanted} is still in the view: try again once it is excluded`;
    const entry = this.entries[wanted];
    const silent = choice.silentFor(wanted);
    if (entry === undefined || formatAddress(entry.address) === formatAddress(address) || silent === undefined || silent >= choice.reuseAfter) return wanted;
    return `slot ${wanted} is taken by ${formatAddress(entry.address)}`;
  }
}
