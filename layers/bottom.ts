// BOTTOM: the transport, after Ensemble's bottom layer.
//
// Provides: transport — best-effort casts and sends among the members of the view.
// Requires: nothing.
//
// Going down, a cast becomes one packet for every other member of the view and a send one packet
// for its destination; the header says which it was, and in which view. Coming up, a packet
// becomes a cast or a send from its sender — unless the sender is not a member of the view, or
// the packet was sent in another view: such packets are dropped, so a stack hears only from its
// view, in its view (what Ensemble gets by building a new stack for every view). Control events
// that reach the bottom from above bounce back up (Ensemble's bottom bounces Stable, View, Block,
// …): that is how a layer speaks to the layers above it, such as STABLE to MNAK.
//
// One channel crosses views: a send marked `outside` goes to its destination whatever view either
// is in (header Out; the Transmit is marked `outside` too, for ENCRYPT below, which seals it under
// the key of the two processes rather than the view's), and comes up marked `outside` from whoever
// sent it. Partitions find each other and merge over it (HEAL, MEMBERSHIP); it is unreliable, and
// only the layer that sent such a message reads it (layer.ts).

import { ISet, t } from "../ioa/index.ts";
import type { CastEvent, SendEvent, TransmitEvent } from "./event.ts";
import { layer } from "./layer.ts";
import { carryingOf } from "./message.ts";

type Header = { readonly type: "Cast" | "Send" | "Out"; readonly view: number };

export const bottom = layer("bottom", { provides: ["transport"], requires: [] })
  .header(() => t.record({ type: t.enum("Cast", "Send", "Out"), view: t.int(0) }))
  .handlers(({ rank, n }) => {
    // The others of the last view cast to, each member alone, and the headers of the last view:
    // built once per view, not per packet.
    let members: ISet<number> | undefined;
    let others = ISet.empty<number>();
    let castHeader: Header = { type: "Cast", view: 0 };
    let sendHeader: Header = { type: "Send", view: 0 };
    const alone = Array.from({ length: n }, (_, q) => ISet.of(q));
    const refresh = (view: { readonly id: number; readonly members: ISet<number> }) => {
      if (view.members === members && castHeader.view === view.id) return;
      members = view.members;
      others = view.members.delete(rank);
      castHeader = { type: "Cast", view: view.id };
      sendHeader = { type: "Send", view: view.id };
    };
    return {
      dn(s, ev, io) {
        refresh(io.view);
        if (ev.type === "Cast" && others.size > 0) io.dn(carryingOf({ type: "Transmit", dests: others } as TransmitEvent, ev), castHeader);
        if (ev.type === "Send" && ev.outside) io.dn(carryingOf({ type: "Transmit", dests: alone[ev.peer]!, outside: true } as TransmitEvent, ev), { type: "Out", view: io.view.id });
        else if (ev.type === "Send" && io.view.members.has(ev.peer)) io.dn(carryingOf({ type: "Transmit", dests: alone[ev.peer]! } as TransmitEvent, ev), sendHeader);
        return s;
      },
      dnControl(s, ev, io) {
        io.up(ev);
        return s;
      },
      up(s, ev, header, io) {
        if (ev.type === "Arrive" && header?.type === "Out") {
          io.up(carryingOf({ type: "Send", peer: ev.peer, unreliable: true, outside: true } as SendEvent, ev));
          return s;
        }
        // A packet from outside the view, from another view, or without the transport's header, is not for this stack.
        if (ev.type !== "Arrive" || header === undefined || header.view !== io.view.id || !io.view.members.has(ev.peer)) return s;
        io.up(carryingOf({ type: header.type, peer: ev.peer } as CastEvent | SendEvent, ev));
        return s;
      },
    };
  });
