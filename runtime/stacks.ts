// The stacks a member can run: the registry of layers/stacks/, with the runtime's settings.

import { isStackName, STACK_NAMES, STACKS, type StackName } from "../layers/stacks/index.ts";
import type { GroupCrypto } from "../layers/crypto.ts";
import type { StackDefinition } from "../layers/stack.ts";
import type { SuspectOptions } from "../layers/suspect.ts";
import { ConfigError } from "./config-error.ts";

export { isStackName, STACK_NAMES, type StackName };

export interface StackSettings {
  /** Payloads longer than this many bytes travel in pieces. */
  readonly fragment: number;
  /** The cryptography of a secure stack. */
  readonly crypto?: GroupCrypto;
  /** The failure detector's delays. */
  readonly suspect?: SuspectOptions;
  /** The members pass their suspicions on (stacks with views). */
  readonly slander?: boolean;
}

/** Stacks that seal every datagram: they need a group secret or a key list. */
export const SECURE_STACKS: readonly StackName[] = ["vsync-secure", "total-secure"];

/** A crypto for looking at a secure stack's layers, never for sealing: it refuses every call. */
const NO_CRYPTO: GroupCrypto = {
  freshKey: refuse,
  pairKey: refuse,
  seal: refuse,
  open: refuse,
};
function refuse(): never {
  throw new Error("a stack built only to list its layers seals nothing");
}

/** The stacks that can switch total order protocols at a view change. */
export const SWITCHING_STACKS: readonly StackName[] = STACK_NAMES.filter((name) => STACKS[name].make({ maxLength: 1024, crypto: NO_CRYPTO }).layers.some((l) => l.provides.includes("protocolSwitching")));

export function stackDefinition(name: string, settings: StackSettings): StackDefinition {
  if (!isStackName(name)) throw new ConfigError(`there is no stack "${name}"; the stacks are ${STACK_NAMES.join(", ")}`);
  return STACKS[name].make({ maxLength: settings.fragment, ...(settings.crypto && { crypto: settings.crypto }), ...(settings.suspect && { suspect: settings.suspect }), ...(settings.slander && { slander: true }) });
}
