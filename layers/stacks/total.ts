// The total order stack: the vsync stack with a sequencer over it, so that every member delivers
// the casts of a view in one order, and members that move together to the next view delivered the
// same casts in the same order (the FLS TO service).

import { bottom } from "../bottom.ts";
import { flow } from "../flow.ts";
import { frag } from "../frag.ts";
import { local } from "../local.ts";
import { membership } from "../membership.ts";
import { mnak } from "../mnak.ts";
import { pt2pt } from "../pt2pt.ts";
import { sequencer, type SequencerOptions } from "../sequencer.ts";
import { stable } from "../stable.ts";
import { stack } from "../stack.ts";
import { suspect, type SuspectOptions } from "../suspect.ts";
import { top } from "../top.ts";

export interface TotalOptions {
  /** Payloads longer than this go in pieces (default: 1024 characters). */
  readonly maxLength?: number;
  /** Casts of a member that may be unstable at once (default: DEFAULT_FLOW_WINDOW). */
  readonly window?: number;
  /** The failure detector's delays. */
  readonly suspect?: SuspectOptions;
  readonly sequencer?: SequencerOptions;
}

export function total(options: TotalOptions = {}) {
  return stack("total", [
    top(["totalOrder", "viewMembership", "selfDelivery", "fragmentation", "flowControl"]),
    sequencer(options.sequencer),
    frag({ maxLength: options.maxLength ?? 1024 }),
    membership(),
    local,
    flow({ ...(options.window !== undefined && { window: options.window }) }),
    stable(),
    suspect(options.suspect),
    pt2pt,
    mnak(),
    bottom,
  ]);
}
