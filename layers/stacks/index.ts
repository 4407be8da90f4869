// The registry of standard stacks, by name: what the runtime, the command line and the models
// build when a user names a stack. A stack joins the registry with one entry here.

import type { StackDefinition } from "../stack.ts";
import { fifo } from "./fifo.ts";
import { total, totalToken } from "./total.ts";

import { vsync } from "./vsync.ts";

export interface StackSettings {
  /** Payloads longer than this travel in pieces. */
  readonly maxLength: number;
}

export interface StackEntry {
  /** What the stack guarantees, in one line. */
  readonly title: string;
  make(settings: StackSettings): StackDefinition;
}

export const STACKS = {
  fifo: { title: "reliable FIFO casts and sends in a fixed group", make: ({ maxLength }) => fifo({ maxLength }) },
  vsync: { title: "virtual synchrony: reliable FIFO casts in views that exclude suspected members, installed after a flush", make: ({ maxLength }) => vsync({ maxLength }) },
  total: { title: "total order over virtual synchrony: a sequencer orders each view's casts, the same order at every member", make: ({ maxLength }) => total({ maxLength }) },
  "total-token": {
    title: "total order over virtual synchrony: the members order each view's casts in turn (a rotating sequencer), the same order at every member",
    make: ({ maxLength }) => totalToken({ maxLength }),
  },
} as const satisfies Record<string, StackEntry>;

export type StackName = keyof typeof STACKS;
export const STACK_NAMES = Object.keys(STACKS) as StackName[];

export function isStackName(name: string): name is StackName {
  return Object.hasOwn(STACKS, name);
}
