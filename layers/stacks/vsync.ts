// The virtual synchrony stack: reliable FIFO casts and sends within views; a member suspected of
// failure is excluded by a new view, installed after a flush, so that members moving together from
// a view delivered the same casts in it (Ensemble's `vsync` stack, without merges, joins or state
// transfer).

import { bottom } from "../bottom.ts";
import { flow } from "../flow.ts";
import { frag } from "../frag.ts";
import { local } from "../local.ts";
import { membership } from "../membership.ts";
import { mnak } from "../mnak.ts";
import { pt2pt } from "../pt2pt.ts";
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
}

/** The layers under the application interface: what a stack built on virtual synchrony puts its own layers over. */
export function vsyncLayers(options: VsyncOptions = {}): AnyLayer[] {
  return [
    frag({ maxLength: options.maxLength ?? 1024 }),
    membership(),
    local,
    flow({ ...(options.window !== undefined && { window: options.window }) }),
    stable(),
    suspect(options.suspect),
    pt2pt,
    mnak(),
    bottom,
  ];
}

export function vsync(options: VsyncOptions = {}) {
  return stack("vsync", [top(["viewMembership", "reliableFifoCast", "reliableFifoSend", "selfDelivery", "fragmentation", "flowControl"]), ...vsyncLayers(options)]);
}
