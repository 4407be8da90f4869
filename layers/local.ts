// LOCAL: a member's own casts delivered to itself, after Ensemble's.
//
// Provides: selfDelivery — a member delivers its own casts (and sends to itself).
// Requires: reliableFifoCast — the layers below take a cast to the other members; a layer that
//           numbers casts must be below, or it would take this member's looped casts for repeats.
//
// A cast goes on down to the others and comes straight back up as a cast from this member; a send
// to this member goes up without going down. So a member delivers its own casts at once, in the
// order it cast them.

import { layer } from "./layer.ts";

export const local = layer("local", { provides: ["selfDelivery"], requires: ["reliableFifoCast"] }).handlers(({ rank }) => ({
  dn(s, ev, io) {
    const reliable = (ev.type === "Cast" || ev.type === "Send") && !ev.unreliable;
    if (reliable && ev.type === "Cast") io.up({ ...ev, peer: rank });
    if (reliable && ev.type === "Send" && ev.peer === rank) io.up(ev);
    else io.dn(ev);
    return s;
  },
}));
