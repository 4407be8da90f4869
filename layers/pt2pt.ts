// PT2PT: reliable FIFO point-to-point messages, after Ensemble's.
//
// Provides: reliableFifoSend — every send reaches its live destination, once, in the order sent.
// Requires: transport.
//
// A sender numbers its sends to each destination 0, 1, 2, … (Data{seqno}) and keeps each until it
// is acknowledged. A receiver delivers a sender's messages in sequence and drops any other, and
// answers every data message with how many it has delivered (its own message, Ack{next}); the
// sender sends again, on its timer, whatever is not yet acknowledged (go-back-N: a receiver holds
// nothing out of order, so a lost message costs a round of its successors too).

import { appendTo, replaceAt, t } from "../ioa/index.ts";
import type { SendEvent } from "./event.ts";
import { layer } from "./layer.ts";
import { retransmitDelay, type RetransmitOptions } from "./retransmit.ts";
import { bodyOf, carryingOf, type Body } from "./message.ts";

const Seqno = t.int(0);

/** `retransmit.delay`: between the sender's sends again of what is not yet acknowledged. */
export function pt2pt(retransmit: RetransmitOptions = {}) {
  const delay = retransmitDelay("pt2pt", retransmit);
  return layer("pt2pt", { provides: ["reliableFifoSend"], requires: ["transport"] })
    .header(() => t.variant("type", { Data: { seqno: Seqno }, Ack: { next: Seqno } }))
    .state(
      ({ P, Body }) => ({
        /** Per destination, the sends not yet acknowledged, oldest first. */
        unacked: t.table(P, t.array(Body)),
        /** Per destination, how many sends it acknowledged (the seqno of the oldest unacknowledged). */
        acked: t.table(P, Seqno),
        /** Per sender, how many of its sends were delivered here. */
        next: t.table(P, Seqno),
      }),
      ({ n }) => ({ unacked: Array<Body[]>(n).fill([]), acked: Array<number>(n).fill(0), next: Array<number>(n).fill(0) }),
    )
    .handlers((_ctx, State) => ({
      dn(s, ev, io) {
        if (ev.type !== "Send" || ev.unreliable) {
          io.dn(ev);
          return s;
        }
        const q = ev.peer;
        const waiting = s.unacked[q]!;
        io.dn(ev, { type: "Data", seqno: s.acked[q]! + waiting.length });
        return State.with(s, { unacked: replaceAt(s.unacked, q, appendTo(waiting, bodyOf(ev))) });
      },
      up(s, ev, header, io) {
        if (ev.type !== "Send" || header?.type !== "Data") {
          io.up(ev);
          return s;
        }
        const q = ev.peer;
        const fresh = header.seqno === s.next[q];
        if (fresh) io.up(ev);
        const next = fresh ? replaceAt(s.next, q, header.seqno + 1) : s.next;
        io.dn({ type: "Send", peer: q, unreliable: true }, { type: "Ack", next: next[q]! });
        return State.with(s, { next });
      },
      own(s, ev, header) {
        if (ev.type !== "Send" || header?.type !== "Ack") return s;
        const q = ev.peer;
        const newly = header.next - s.acked[q]!;
        // An acknowledgement of nothing new, or of more than was sent, changes nothing.
        if (newly <= 0 || newly > s.unacked[q]!.length) return s;
        return State.with(s, { unacked: replaceAt(s.unacked, q, s.unacked[q]!.slice(newly)), acked: replaceAt(s.acked, q, header.next) });
      },
      timers: {
        retransmit: {
          delay,
          when: (s) => s.unacked.some((waiting) => waiting.length > 0),
          fire(s, io) {
            s.unacked.forEach((waiting, q) => waiting.forEach((body, i) => io.dn(carryingOf<SendEvent>({ type: "Send", peer: q }, body), { type: "Data", seqno: s.acked[q]! + i })));
            return s;
          },
        },
      },
    }));
}
