// Planted bugs of the fifo stack's layers: each a layer with one handler replaced, kept here beside
// the model and never inside the layer, so that no user runs a bug test on a hot path. The model's
// `bug` parameter plants one; the tour and the tests show that checks find each.

import type { MessageEvent } from "../event.ts";
import type { AnyLayer } from "../layer.ts";
import { mnak, type MnakHeader } from "../mnak.ts";
import { stable } from "../stable.ts";

const dataSeqno = (header: MnakHeader | undefined) => (header?.type === "Data" ? header.seqno : undefined);
const casterOf = (ev: MessageEvent) => (ev.type === "Cast" ? ev.peer : undefined);

export const FIFO_MUTANTS = {
  /** MNAK ignores NAKs and never recasts on its timer: a lost cast is lost for good. */
  "forgets-to-retransmit": mnak().mutant(() => ({ own: (s) => s, timers: {} })),
  /** MNAK takes a cast that arrives early for the one it expects, and delivers it at once. */
  "delivers-out-of-order": mnak().mutant(({ up }) => ({
    up(s, ev, header, io) {
      const seqno = dataSeqno(header);
      const caster = casterOf(ev);
      const expected = caster === undefined ? undefined : s.next[caster];
      const early = seqno !== undefined && expected !== undefined && seqno > expected;
      return up!(s, ev, early ? { type: "Data", seqno: expected } : header, io);
    },
  })),
  /** MNAK delivers again a cast it has already delivered. */
  "delivers-duplicates": mnak().mutant(({ up }) => ({
    up(s, ev, header, io) {
      const seqno = dataSeqno(header);
      const caster = casterOf(ev);
      if (seqno !== undefined && caster !== undefined && seqno < s.next[caster]!) io.up(ev);
      return up!(s, ev, header, io);
    },
  })),
  /** STABLE reports this member's own counts as what every member has: MNAK drops casts others still miss. */
  "stable-too-early": stable().mutant(({ upControl }, { rank }) => ({
    upControl(s, ev, io) {
      const next = upControl!(s, ev, io);
      if (ev.type === "Ack") io.dn({ type: "Stable", stability: next.acks[rank]!, numCasts: next.acks[rank]! });
      return next;
    },
  })),
} satisfies Record<string, AnyLayer>;

export type FifoMutant = keyof typeof FIFO_MUTANTS;
export const FIFO_MUTANT_NAMES = Object.keys(FIFO_MUTANTS) as FifoMutant[];
