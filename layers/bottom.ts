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
import type { Event } from "./event.ts";
import { layer } from "./layer.ts";

export const bottom = layer("bottom", { provides: ["transport"], requires: [] })
  .header(() => t.enum("Cast", "Send"))
  .state(({ P }) => ({ members: t.set(P) }), ({ view }) => ({ members: view.members }))
  .handlers(({ rank }, State) => ({
    dn(s, ev, io) {
      switch (ev.type) {
        case "Cast": {
          const { type: _, peer: __, unreliable: ___, ...carried } = ev;
          const dests = s.members.delete(rank);
          if (dests.size > 0) io.dn({ type: "Transmit", dests, ...carried }, "Cast");
          return s;
        }
        case "Send": {
          const { type: _, peer, unreliable: __, ...carried } = ev;
          if (s.members.has(peer)) io.dn({ type: "Transmit", dests: ISet.of(peer), ...carried }, "Send");
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
      const { type: _, ...carried } = ev;
      io.up({ type: header, ...carried });
      return s;
    },
  }));
