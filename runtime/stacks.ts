// The stacks a member can run, by name.

import { fifo } from "../layers/stacks/fifo.ts";
import type { StackDefinition } from "../layers/stack.ts";
import { ConfigError } from "./config-error.ts";

export const STACK_NAMES = ["fifo"] as const;
export type StackName = (typeof STACK_NAMES)[number];

export interface StackSettings {
  /** Payloads longer than this many bytes travel in pieces. */
  readonly fragment: number;
}

const definitions: { readonly [K in StackName]: (settings: StackSettings) => StackDefinition } = {
  fifo: ({ fragment }) => fifo({ maxLength: fragment }),
};

export function isStackName(name: string): name is StackName {
  return (STACK_NAMES as readonly string[]).includes(name);
}

export function stackDefinition(name: string, settings: StackSettings): StackDefinition {
  if (!isStackName(name)) throw new ConfigError(`there is no stack "${name}"; the stacks are ${STACK_NAMES.join(", ")}`);
  return definitions[name](settings);
}
