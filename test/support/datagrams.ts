// Bad datagrams for fuzzing a member: random bytes, and genuine datagrams with bits flipped, cut
// short, spliced, their prefix scrambled, or replayed as they were.

import type { Random } from "../../ioa/index.ts";

/** A datagram made from `pool` (genuine datagrams) by one of the mutations, picked by `random`. */
export function mutate(random: Random, pool: readonly Uint8Array[]): Uint8Array {
  const base = random.pick(pool);
  switch (random.below(6)) {
    case 0: // random bytes, now and then more than a datagram may hold
      return Uint8Array.from({ length: random.chance(0.02) ? 61_000 : random.below(120) }, () => random.below(256));
    case 1: {
      const bytes = Uint8Array.from(base);
      for (let k = random.int(1, 4); k > 0; k--) bytes[random.below(bytes.length)]! ^= 1 << random.below(8);
      return bytes;
    }
    case 2:
      return base.subarray(0, random.below(base.length));
    case 3: {
      const other = random.pick(pool);
      const cut = random.below(base.length);
      return Uint8Array.from([...base.subarray(0, cut), ...other.subarray(random.below(other.length))]);
    }
    case 4: {
      const bytes = Uint8Array.from(base);
      bytes[random.below(Math.min(12, bytes.length))] = random.below(256); // the prefix: magic, version, group, sender, count
      return bytes;
    }
    default:
      return base; // a replay of a good datagram
  }
}
