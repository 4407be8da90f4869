// Planted bugs of the token layer (the rotating sequencer): each the layer with one handler
// replaced, kept here beside the model and never inside the layer.

import type { AnyLayer } from "../layer.ts";
import { deliveringLeftoversAlways, firstProtocol, switchMutants } from "./switch-mutants.ts";
import { token } from "../token.ts";

export const TOKEN_MUTANTS = {
  /** A member that does not hold the token delivers a cast as it arrives, without waiting for its turn. */
  "delivers-before-order": firstProtocol(token().mutant(({ up }, { rank }) => ({
    up(s, ev, header, io) {
      if (ev.type !== "Cast" || header?.type !== "Data" || s.holder === rank) return up!(s, ev, header, io);
      io.up(ev);
      return s;
    },
  }))),
  /** The holder passes the token on and keeps it too: two members order casts, and may order one cast twice. */
  "keeps-the-token": firstProtocol(token().mutant(({ own }, { rank }, State) => ({
    own(s, ev, header, io) {
      const next = own!(s, ev, header, io);
      return ev.type === "Cast" && ev.peer === rank && header?.type === "Order" ? State.with(next, { holder: rank }) : next;
    },
  }))),
  /** At a view change, the casts never announced are delivered even when the token holder has left: the new view orders again what the old holder may have ordered elsewhere. */
  "new-view-reorders": firstProtocol(token().mutant(({ upControl }) => deliveringLeftoversAlways(upControl))),
  ...switchMutants(token()),
} satisfies Record<string, AnyLayer>;
