// The stacks a member can run: the registry of layers/stacks/, with the runtime's settings.

import { isStackName, STACK_NAMES, STACKS, type StackName } from "../layers/stacks/index.ts";
import type { GroupCrypto } from "../layers/crypto.ts";
import type { StackDefinition } from "../layers/stack.ts";
import { ConfigError } from "./config-error.ts";

export { isStackName, STACK_NAMES, type StackName };

export interface StackSettings {
  /** Payloads longer than this many bytes travel in pieces. */
  readonly fragment: number;
  /** The cryptography of a secure stack. */
  readonly crypto?: GroupCrypto;
  /** Milliseconds (of the layers' timers) a member of the view may stay unheard before it is suspected, for the stacks with a failure detector. */
  readonly suspectAfter?: number;
}

/** Stacks that seal every datagram: they need a group secret or a key list. */
export const SECURE_STACKS: readonly StackName[] = ["vsync-secure", "total-secure"];

/** The stacks that can switch total order protocols at a view change (the secure ones run one protocol). */
export const SWITCHING_STACKS: readonly StackName[] = STACK_NAMES.filter(
  (name) => !SECURE_STACKS.includes(name) && STACKS[name].make({ maxLength: 1024 }).layers.some((l) => l.provides.includes("protocolSwitching")),
);

export function stackDefinition(name: string, settings: StackSettings): StackDefinition {
  if (!isStackName(name)) throw new ConfigError(`there is no stack "${name}"; the stacks are ${STACK_NAMES.join(", ")}`);
  return STACKS[name].make({
    maxLength: settings.fragment,
    ...(settings.crypto && { crypto: settings.crypto }),
    ...(settings.suspectAfter !== undefined && { suspect: { suspect: settings.suspectAfter } }),
  });
}
