// The secure stacks: the vsync and total stacks over ENCRYPT, so that only the members of a view
// can read or inject its datagrams (a key per view, handed to its members alone; every datagram
// sealed under it). `crypto` is the cryptography they seal with: symbolic in the models, real in
// the runtime (runtime/group-crypto.ts).

import type { GroupCrypto } from "../crypto.ts";
import { encrypt, type EncryptOptions } from "../encrypt.ts";
import { stack } from "../stack.ts";
import { top } from "../top.ts";
import { TOTAL_PROPERTIES, totalLayers, type TotalOptions } from "./total.ts";
import { vsyncLayers, type VsyncOptions } from "./vsync.ts";

export interface SecureOptions {
  readonly crypto: GroupCrypto;
  /** ENCRYPT's other options (its regrant delay, its replay window). */
  readonly encrypt?: Omit<EncryptOptions, "crypto">;
}

function encryptOf(options: SecureOptions) {
  return encrypt({ ...options.encrypt, crypto: options.crypto });
}

export function vsyncSecure(options: VsyncOptions & SecureOptions) {
  return stack("vsync-secure", [
    top(["viewMembership", "partitionHealing", "reliableFifoCast", "reliableFifoSend", "selfDelivery", "fragmentation", "flowControl", "sealedDatagrams"]),
    ...vsyncLayers(options),
    encryptOf(options),
  ]);
}

/** The total stack (both protocols, the switch between them; the sequencer first) over ENCRYPT. */
export function totalSecure(options: TotalOptions & SecureOptions) {
  return stack("total-secure", [top([...TOTAL_PROPERTIES, "sealedDatagrams"]), ...totalLayers("sequencer", options), encryptOf(options)]);
}
