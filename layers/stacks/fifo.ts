// The reliable FIFO stack over a fixed group of processes: every cast reaches every live member,
// once, in the order it was cast, the caster included; every send reaches its live destination,
// once, in order; messages may be of any length; a member has at most `window` of its casts
// unstable, and the rest wait in its stack. (Ensemble's `fifo` stack.)

import { bottom } from "../bottom.ts";
import { flow } from "../flow.ts";
import { frag } from "../frag.ts";
import { local } from "../local.ts";
import { mnak } from "../mnak.ts";
import { pt2pt } from "../pt2pt.ts";
import type { RetransmitOptions } from "../retransmit.ts";
import { stable } from "../stable.ts";
import { stack } from "../stack.ts";
import { top } from "../top.ts";

export interface FifoOptions {
  /** Payloads longer than this go in pieces (default: 1024 characters). */
  readonly maxLength?: number;
  /** Casts of a member that may be unstable at once (default: DEFAULT_FLOW_WINDOW). */
  readonly window?: number;
  /** How soon MNAK and PT2PT send again what was not acknowledged. */
  readonly retransmit?: RetransmitOptions;
}

export function fifo(options: FifoOptions = {}) {
  return stack("fifo", [
    top(["reliableFifoCast", "reliableFifoSend", "selfDelivery", "fragmentation", "flowControl"]),
    local,
    frag({ maxLength: options.maxLength ?? 1024 }),
    flow({ ...(options.window !== undefined && { window: options.window }) }),
    stable(),
    pt2pt(options.retransmit),
    mnak(options.retransmit),
    bottom,
  ]);
}
