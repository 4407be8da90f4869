// BOTTOM: the transport, after Ensemble's bottom layer.
//
// Provides: transport — best-effort casts and sends among the members of the view.
// Requires: nothing.
//
// Going down, a cast becomes one packet for every other member of the view and a send one packet
// for its destination; the header says which it was. Coming up, a packet becomes a cast or a send
// from its sender — unless the sender is not a member of the view: such packets are dropped, so a
// stack never hears from a process outside its group. Control events that reach the bottom from
// above bounce back up (Ensemble's bottom bounces Stable, View, Block, …): that is how a layer
// speaks to the layers above it, such as STABLE to MNAK. Timers enter the stack here, and the
// framework carries each to the layer whose timer fired.

import { ISet, t } from "../ioa/index.ts";
import type { CastEvent, Event, SendEvent, TransmitEvent } from "./event.ts";
import { layer } from "./layer.ts";
import { carryingOf } from "./message.ts";

export const bottom = layer("bottom", { provides: ["transport"], requires: [] })
  .header(() => t.enum("Cast", "Send"))
  .state(({ P }) => ({ members: t.set(P) }), ({ view }) => ({ members: view.members }))
  .handlers(({ rank, n }, State) => {
    // The others of the last view cast to, and each member alone: built once, not per packet.
    let members: ISet<number> | undefined;
    let others = ISet.empty<number>();
    const alone = Array.from({ length: n }, (_, q) => ISet.of(q));
    const othersIn = (view: ISet<number>) => {
      if (view !== members) [members, others] = [view, view.delete(rank)];
      return others;
    };
    return {
    dn(s, ev, io) {
      switch (ev.type) {
        case "Cast": {
          const dests = othersIn(s.members);
          if (dests.size > 0) io.dn(carryingOf({ type: "Transmit", dests } as TransmitEvent, ev), "Cast");
          return s;
        }
        case "Send": {
          if (s.members.has(ev.peer)) io.dn(carryingOf({ type: "Transmit", dests: alone[ev.peer]! } as TransmitEvent, ev), "Send");
          return s;
        }
        case "View":
          io.up(ev);
          return State.with(s, { members: ev.view.members });
        default:
          io.up(ev);
          return s;
      }
    },
    up(s, ev: Event, header, io) {
      if (ev.type !== "Arrive") {
        io.up(ev);
        return s;
      }
      // A packet from outside the view, or without the transport's header, is not for this group.
      if (!s.members.has(ev.peer) || header === undefined) return s;
      io.up(carryingOf({ type: header, peer: ev.peer } as CastEvent | SendEvent, ev));
      return s;
    },
    };
  });
