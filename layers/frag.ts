// FRAG: fragmentation and reassembly of long messages, after Ensemble's.
//
// Provides: fragmentation — messages of any length.
// Requires: reliableFifoCast and reliableFifoSend, so that the pieces of a message arrive, all of
//           them and in order, from each sender.
//
// A message whose payload is longer than `maxLength` goes down in pieces: every piece but the last
// is this layer's own message (Frag{index, count}) carrying a piece of the payload; the last piece
// carries the rest of the message, the headers of the layers above (Last{count}). A receiver
// collects each sender's pieces, casts and sends apart, and passes the whole message up with the
// last. Protocol messages (unreliable ones) are never cut. Pieces that do not follow on from those
// held (which reliable FIFO layers below rule out, so a forged packet) lose the message being
// reassembled, and the layer says so with a LostMessage event.

import { appendTo, replaceAt, t } from "../ioa/index.ts";
import type { MessageEvent } from "./event.ts";
import { layer, type Io } from "./layer.ts";

const Count = t.int(1);
type Header = { readonly type: "Frag"; readonly index: number; readonly count: number } | { readonly type: "Last"; readonly count: number };

/** `payload` cut into pieces of at most `maxLength` characters. */
export function pieces(payload: string, maxLength: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < payload.length; at += maxLength) out.push(payload.slice(at, at + maxLength));
  return out;
}

export function frag(options: { readonly maxLength: number }) {
  const { maxLength } = options;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) throw new RangeError(`frag: maxLength should be a positive integer, but is ${maxLength}`);
  return layer("frag", { provides: ["fragmentation"], requires: ["reliableFifoCast", "reliableFifoSend"] })
    .header(() => t.variant("type", { Frag: { index: t.int(0), count: Count }, Last: { count: Count } }))
    .state(
      ({ P }) => ({
        /** Per sender, the pieces of the cast being reassembled. */
        casts: t.table(P, t.array(t.string())),
        /** Per sender, the pieces of the send being reassembled. */
        sends: t.table(P, t.array(t.string())),
      }),
      ({ n }) => ({ casts: Array<string[]>(n).fill([]), sends: Array<string[]>(n).fill([]) }),
    )
    .handlers((_ctx, State) => {
      type S = ReturnType<typeof State.with>;
      const field = (ev: MessageEvent) => (ev.type === "Cast" ? ("casts" as const) : ("sends" as const));

      /** Pieces that do not follow on from what is held: the layers below broke their promise, or the packet is forged. */
      const lost = (s: S, key: "casts" | "sends", peer: number, io: Io<Header>): S => {
        io.up({ type: "LostMessage", peer });
        return State.with(s, { [key]: replaceAt(s[key], peer, []) });
      };

      return {
        dn(s, ev, io) {
          if ((ev.type !== "Cast" && ev.type !== "Send") || ev.unreliable || ev.payload === undefined || ev.payload.length <= maxLength) {
            io.dn(ev);
            return s;
          }
          const cut = pieces(ev.payload, maxLength);
          const count = cut.length;
          cut.slice(0, -1).forEach((payload, index) =>
            io.dn(ev.type === "Cast" ? { type: "Cast", payload } : { type: "Send", peer: ev.peer, payload }, { type: "Frag", index, count }),
          );
          io.dn({ ...ev, payload: cut[count - 1]! }, { type: "Last", count });
          return s;
        },
        up(s, ev, header, io): S {
          if ((ev.type !== "Cast" && ev.type !== "Send") || header?.type !== "Last") {
            io.up(ev);
            return s;
          }
          const key = field(ev);
          const held = s[key][ev.peer!]!;
          if (held.length !== header.count - 1) return lost(s, key, ev.peer!, io);
          io.up({ ...ev, payload: held.join("") + (ev.payload ?? "") });
          return State.with(s, { [key]: replaceAt(s[key], ev.peer!, []) });
        },
        own(s, ev, header, io) {
          if ((ev.type !== "Cast" && ev.type !== "Send") || header?.type !== "Frag") return s;
          const key = field(ev);
          const held = s[key][ev.peer!]!;
          if (held.length !== header.index || header.index >= header.count - 1) return lost(s, key, ev.peer!, io);
          return State.with(s, { [key]: replaceAt(s[key], ev.peer!, appendTo(held, ev.payload ?? "")) });
        },
      };
    });
}
