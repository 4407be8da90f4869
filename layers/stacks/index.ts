// The registry of standard stacks, by name: what the runtime, the command line and the models
// build when a user names a stack. A stack joins the registry with one entry here.

import type { GroupCrypto } from "../crypto.ts";
import type { SuspectOptions } from "../suspect.ts";
import { DefinitionError } from "../../ioa/index.ts";
import type { StackDefinition } from "../stack.ts";
import { fifo } from "./fifo.ts";
import { totalSecure, vsyncSecure } from "./secure.ts";
import { total, totalToken } from "./total.ts";
import { vsync } from "./vsync.ts";

export interface StackSettings {
  /** Payloads longer than this travel in pieces. */
  readonly maxLength: number;
  /** The cryptography a secure stack seals with (a secure stack needs it; the others ignore it). */
  readonly crypto?: GroupCrypto;
  /** The failure detector's delays (stacks with views; fifo has none). */
  readonly suspect?: SuspectOptions;
  /** The members pass their suspicions on to the others (stacks with views: the SLANDER layer). */
  readonly slander?: boolean;
}

/** The crypto of `settings`, which secure stack `name` cannot do without. */
function cryptoFor(name: string, settings: StackSettings): GroupCrypto {
  if (settings.crypto === undefined) throw new DefinitionError(`stack ${name} seals every datagram: it needs a group secret or a key list`);
  return settings.crypto;
}

/**
 * The orderers of the total stacks built here announce with a delay of 0: in the runtime, once the
 * inputs at hand are taken (the casts of one datagram, one burst of the application) rather than
 * a millisecond later (Node runs no timeout sooner), which was most of a cast's latency. The models
 * (layers/models/) keep the layers' default of 1 ms, and the simulator's figures with it.
 */
const RUNTIME_ORDERING = { sequencer: { delay: 0 }, token: { delay: 0 } } as const;

/**
 * The runtime's reliable layers send again what was not acknowledged after 100 ms rather than 1 s
 * (a lost NAK, a lost answer to one, a lost send): with 10% of datagrams lost, three members at
 * full load delivered 4,700–5,500 casts a second each with 1 s, 15,000–17,000 with 100 ms (on a
 * loaded machine; the README's "A lossy network" has the benchmark's figures). A
 * delay changes no state count (the checker fires a timer at any moment); the models keep the
 * layers' default, and the simulator's figures with it.
 */
const RUNTIME_RETRANSMIT = { retransmit: { delay: 100 } } as const;

export interface StackEntry {
  /** What the stack guarantees, in one line. */
  readonly title: string;
  make(settings: StackSettings): StackDefinition;
}

/** What the runtime gives every stack with views: the payload bound, its retransmission delay, and the failure detector's delays if set. */
function withViews({ maxLength, suspect, slander }: StackSettings) {
  return { maxLength, ...RUNTIME_RETRANSMIT, ...(suspect && { suspect }), ...(slander && { slander }) };
}

export const STACKS = {
  fifo: { title: "reliable FIFO casts and sends in a fixed group", make: ({ maxLength }) => fifo({ maxLength, ...RUNTIME_RETRANSMIT }) },
  vsync: { title: "virtual synchrony: reliable FIFO casts in views that exclude suspected members, installed after a flush", make: (settings) => vsync(withViews(settings)) },
  total: { title: "total order over virtual synchrony: a sequencer orders each view's casts, the same order at every member", make: (settings) => total({ ...withViews(settings), ...RUNTIME_ORDERING }) },
  "total-token": {
    title: "total order over virtual synchrony: the members order each view's casts in turn (a rotating sequencer), the same order at every member",
    make: (settings) => totalToken({ ...withViews(settings), ...RUNTIME_ORDERING }),
  },
  "vsync-secure": {
    title: "vsync with every datagram encrypted and authenticated under a key per view, which only the view's members get",
    make: (settings) => vsyncSecure({ ...withViews(settings), crypto: cryptoFor("vsync-secure", settings) }),
  },
  "total-secure": {
    title: "the total stack (a sequencer, a rotating sequencer, a switch between them) with every datagram sealed as vsync-secure's are",
    make: (settings) => totalSecure({ ...withViews(settings), ...RUNTIME_ORDERING, crypto: cryptoFor("total-secure", settings) }),
  },
} as const satisfies Record<string, StackEntry>;

export type StackName = keyof typeof STACKS;
export const STACK_NAMES = Object.keys(STACKS) as StackName[];

export function isStackName(name: string): name is StackName {
  return Object.hasOwn(STACKS, name);
}
