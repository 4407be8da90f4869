// Planted bugs of protocol switching (switch.ts, switchable.ts), and how the protocol a total stack
// starts with is planted with a bug of its own: kept here beside the models, never inside the layers.

import type { CastEvent, ControlEvent } from "../event.ts";
import type { AnyLayer, Handlers, Io } from "../layer.ts";
import { carryingOf } from "../message.ts";
import { switchable } from "../switchable.ts";
import { deliverLeftovers, type Held } from "../turns.ts";

/**
 * A total order layer's View handler (`upControl`) made to deliver the casts never announced even
 * when their orderer has left: the new view orders again what the old orderer may have ordered
 * elsewhere. The planted bug of both protocols (sequencer, token).
 */
export function deliveringLeftoversAlways<S extends { readonly order: readonly number[]; readonly held: Held }, H>(upControl: Handlers<S, H>["upControl"]) {
  return {
    upControl(s: S, ev: ControlEvent, io: Io<H>): S {
      if (ev.type !== "View") return upControl!(s, ev, io);
      deliverLeftovers(s.order, s.held, true, (from, body) => io.up(carryingOf<CastEvent>({ type: "Cast", peer: from }, body)));
      io.up(ev);
      return s;
    },
  };
}

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
