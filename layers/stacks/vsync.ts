// The virtual synchrony stack: reliable FIFO casts and sends within views; a member suspected of
// failure is excluded by a new view, installed after a flush, so that members moving together from
// a view delivered the same casts in it; concurrent views (partitions that heal, a process that
// starts alone to join, a member the others excluded) find each other and merge; a member leaves
// cleanly (Ensemble's `vsync` stack, without state transfer, which is the application's).

import { bottom } from "../bottom.ts";
import { flow } from "../flow.ts";
import { frag } from "../frag.ts";
import { heal, type HealOptions } from "../heal.ts";
import { local } from "../local.ts";
import { membership, type MembershipOptions } from "../membership.ts";
import { mnak } from "../mnak.ts";
import { pt2pt } from "../pt2pt.ts";
import type { RetransmitOptions } from "../retransmit.ts";
import { slander } from "../slander.ts";
import { stable } from "../stable.ts";
import type { AnyLayer } from "../layer.ts";
import { stack } from "../stack.ts";
import { suspect, type SuspectOptions } from "../suspect.ts";
import { top } from "../top.ts";

export interface VsyncOptions {
  /** Payloads longer than this go in pieces (default: 1024 characters). */
  readonly maxLength?: number;
  /** Casts of a member that may be unstable at once (default: DEFAULT_FLOW_WINDOW). */
  readonly window?: number;
  /** The failure detector's delays. */
  readonly suspect?: SuspectOptions;
  /** How often a view's coordinator looks for the group's other views. */
  readonly heal?: HealOptions;
  /** Flush repeats and patience (default FLUSH_PATIENCE), and a bound on the merges each member asks for (models set one). */
  readonly membership?: MembershipOptions;
  /** How soon MNAK and PT2PT send again what was not acknowledged. */
  readonly retransmit?: RetransmitOptions;
  /** Members pass their suspicions on to the others of the view (the SLANDER layer; default false). */
  readonly slander?: boolean;
}

/**
 * Firings of a flush round's timer (500 ms apart) after which its coordinator suspects the proposed
 * members that have not answered: a member that took the round of another coordinator, which it
 * does not suspect, ignores this one's Flush if it suspects this one, and the coordinator, hearing
 * its heartbeats, would otherwise repeat it for ever. Every
 * stack with views has it, the runtime's and the models' alike (a model may take fewer firings:
 * its `flushPatience` parameter, and the README's "Flush patience in the models").
 */
export const FLUSH_PATIENCE = 6;

/** The layers under the application interface: what a stack built on virtual synchrony puts its own layers over. */
export function vsyncLayers(options: VsyncOptions = {}): AnyLayer[] {
  return [
    heal(options.heal),
    frag({ maxLength: options.maxLength ?? 1024 }),
    membership({ ...options.membership, flushPatience: options.membership?.flushPatience ?? FLUSH_PATIENCE }),
    local,
    flow({ ...(options.window !== undefined && { window: options.window }) }),
    stable(),
    ...(options.slander ? [slander] : []),
    suspect(options.suspect),
    pt2pt(options.retransmit),
    mnak(options.retransmit),
    bottom,
  ];
}

export function vsync(options: VsyncOptions = {}) {
  return stack("vsync", [top(["viewMembership", "partitionHealing", "reliableFifoCast", "reliableFifoSend", "selfDelivery", "fragmentation", "flowControl"]), ...vsyncLayers(options)]);
}
