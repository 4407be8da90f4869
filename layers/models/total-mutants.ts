// Planted bugs of the total stack's sequencer: each the layer with one handler replaced, kept here
// beside the model and never inside the layer. never-announces is a liveness bug: a lasso.

import type { AnyLayer } from "../layer.ts";
import { sequencer } from "../sequencer.ts";

export const TOTAL_MUTANTS = {
  /** A member other than the sequencer delivers a cast as it arrives, without waiting for its turn. */
  "delivers-before-order": sequencer().mutant(({ up }, { rank }) => ({
    up(s, ev, header, io) {
      if (ev.type !== "Cast" || header?.type !== "Data" || io.view.members.first() === rank) return up!(s, ev, header, io);
      io.up(ev);
      return s;
    },
  })),
  /** The sequencer delivers its own casts at once and announces only the others'. */
  "sequencer-jumps-the-queue": sequencer().mutant(({ up }, { rank }) => ({
    up(s, ev, header, io) {
      if (ev.type !== "Cast" || header?.type !== "Data" || ev.peer !== rank || io.view.members.first() !== rank) return up!(s, ev, header, io);
      io.up(ev);
      return s;
    },
  })),
  /** The sequencer never announces on its timer (only a full batch would go out): the casts wait for their turn forever. */
  "never-announces": sequencer().mutant(() => ({ timers: {} })),
} satisfies Record<string, AnyLayer>;
