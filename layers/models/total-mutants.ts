// Planted bugs of the total stack's sequencer: each the layer with one handler replaced, kept here
// beside the model and never inside the layer. never-announces is a liveness bug: a lasso.

import type { AnyLayer } from "../layer.ts";
import { deliveringLeftoversAlways, firstProtocol, switchMutants } from "./switch-mutants.ts";
import { sequencer } from "../sequencer.ts";

export const TOTAL_MUTANTS = {
  /** A member other than the sequencer delivers a cast as it arrives, without waiting for its turn. */
  "delivers-before-order": firstProtocol(sequencer().mutant(({ up }, { rank }) => ({
    up(s, ev, header, io) {
      if (ev.type !== "Cast" || header?.type !== "Data" || io.view.members.first() === rank) return up!(s, ev, header, io);
      io.up(ev);
      return s;
    },
  }))),
  /** The sequencer delivers its own casts at once and announces only the others'. */
  "sequencer-jumps-the-queue": firstProtocol(sequencer().mutant(({ up }, { rank }) => ({
    up(s, ev, header, io) {
      if (ev.type !== "Cast" || header?.type !== "Data" || ev.peer !== rank || io.view.members.first() !== rank) return up!(s, ev, header, io);
      io.up(ev);
      return s;
    },
  }))),
  /** The sequencer notes each cast of another member twice: its announcements give that cast two turns. */
  "orders-twice": firstProtocol(sequencer().mutant(({ up }, { rank }, State) => ({
    up(s, ev, header, io) {
      const next = up!(s, ev, header, io);
      if (ev.type !== "Cast" || header?.type !== "Data" || ev.peer === rank || io.view.members.first() !== rank || next.unannounced.length === 0) return next;
      return State.with(next, { unannounced: [...next.unannounced, ev.peer!] });
    },
  }))),
  /** At a view change, the casts never announced are delivered even when the sequencer has left: the new view's sequencer starts the order afresh where the old one may have ordered them otherwise. */
  "new-sequencer-reorders": firstProtocol(sequencer().mutant(({ upControl }) => deliveringLeftoversAlways(upControl))),
  /** The sequencer never announces on its timer (only a full batch would go out): the casts wait for their turn forever. */
  "never-announces": firstProtocol(sequencer().mutant(() => ({ timers: {} }))),
  ...switchMutants(sequencer()),
} satisfies Record<string, AnyLayer>;
