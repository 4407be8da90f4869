// Planted bugs of protocol switching (switch.ts, switchable.ts), and how the protocol a total stack
// starts with is planted with a bug of its own: kept here beside the models, never inside the layers.

import type { AnyLayer } from "../layer.ts";
import { switchable } from "../switchable.ts";

/** `protocol` as the protocol a total stack starts with runs there: switchable, and running. */
export function firstProtocol(protocol: AnyLayer) {
  return switchable(protocol, true);
}

/** The switching bugs of a stack that starts with `protocol`. */
export function switchMutants(protocol: AnyLayer) {
  return {
    /** The protocol the group switches away from stops at the view change without delivering what it holds of the old view. */
    "switch-drops-in-flight": firstProtocol(protocol).mutant(({ upControl }) => ({
      upControl(s, ev, io) {
        if (ev.type !== "View" || !s.running || s.next) return upControl!(s, ev, io);
        io.up(ev);
        return s;
      },
    })),
  } satisfies Record<string, AnyLayer>;
}
