// LOCAL: a member's own casts delivered to itself, after Ensemble's.
//
// Provides: selfDelivery — a member delivers its own casts (and sends to itself).
// Requires: reliableFifoCast — the layers below take a cast to the other members; a layer that
//           numbers casts must be below, or it would take this member's looped casts for repeats.
//
// A cast goes on down to the others and comes straight back up as a cast from this member; a send
// to this member goes up without going down. So a member delivers its own casts at once, in the
// order it cast them.

import type { CastEvent } from "./event.ts";
import { layer } from "./layer.ts";
import { carryingOf } from "./message.ts";

export const local = layer("local", { provides: ["selfDelivery"], requires: ["reliableFifoCast"] }).handlers(({ rank }) => ({
  dn(s, ev, io) {
    const reliable = (ev.type === "Cast" || ev.type === "Send") && !ev.unreliable;
    if (reliable && ev.type === "Cast") io.up(carryingOf<CastEvent>({ type: "Cast", peer: rank }, ev));
    if (reliable && ev.type === "Send" && ev.peer === rank) io.up(ev);
    else io.dn(ev);
    return s;
  },
}));
