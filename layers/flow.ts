// FLOW: flow control of casts by stability (Ensemble's flow layers give senders credit; here the
// credit is stability, which STABLE already gossips).
//
// Provides: flowControl — at most `window` of a member's casts are unstable (not yet delivered by
//           every member of the view) at any time; later casts wait here, in order, and go down as
//           earlier ones become stable. So a fast sender cannot grow the buffers of the layers
//           below — its own, and every receiver's — without bound: they hold at most `window` of
//           its casts, and what it casts beyond that waits in its own stack.
// Requires: stability — Stable events, which count this member's casts as the layers below
//           number them; nothing that numbers casts may sit between this layer and them.
//
// Flow sits below self delivery (LOCAL) and any membership layer: a cast that waits here has been
// delivered by this member already, and kept by membership, whose flush brings it to every
// survivor at a view change. So what waits when a view ends is dropped with the view (each layer
// starts a view afresh), not sent again in the next. Unreliable casts (the layers' own messages)
// never wait.

import { t } from "../ioa/index.ts";
import type { CastEvent } from "./event.ts";
import { layer, type Io } from "./layer.ts";
import { bodyOf, carryingOf, type Body } from "./message.ts";
import { appended, droppedBefore, forEachInWindow, windowSize, windowType, type Window } from "./window.ts";

/** The window when none is given: enough for a fast sender between two gossips of STABLE. */
export const DEFAULT_FLOW_WINDOW = 1000;

export function flow(options: { readonly window?: number } = {}) {
  const window = options.window ?? DEFAULT_FLOW_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`flow: window should be a positive integer, but is ${window}`);
  return layer("flow", { provides: ["flowControl"], requires: ["stability"] })
    .state(
      ({ Body }) => ({
        /** This member's reliable casts sent down in this view. */
        sent: t.int(0),
        /** Of them, how many every member has delivered. */
        stable: t.int(0),
        /** Casts waiting for the window to open, numbered on from `sent` (a window: thousands may wait). */
        waiting: windowType(Body),
      }),
      () => ({ sent: 0, stable: 0, waiting: [] as Window<Body> }),
    )
    .handlers(({ rank }, State) => {
      type S = ReturnType<typeof State.with>;
      const open = (s: S) => s.sent - s.stable < window;

      /** Sends down what waits, oldest first, as far as the window allows. */
      function release(s: S, io: Io<never>): S {
        const waiting = windowSize(s.waiting);
        const count = Math.min(waiting, window - (s.sent - s.stable));
        if (count <= 0) return s;
        const end = s.sent + waiting;
        forEachInWindow(s.waiting, end, (body) => io.dn(carryingOf<CastEvent>({ type: "Cast" }, body)), s.sent, s.sent + count);
        return State.with(s, { sent: s.sent + count, waiting: droppedBefore(s.waiting, end, s.sent + count) });
      }

      return {
        dn(s, ev, io) {
          if (ev.type !== "Cast" || ev.unreliable) return io.dn(ev), s;
          if (windowSize(s.waiting) === 0 && open(s)) {
            io.dn(ev);
            return State.with(s, { sent: s.sent + 1 });
          }
          return State.with(s, { waiting: appended(s.waiting, s.sent + windowSize(s.waiting), bodyOf(ev)) });
        },
        upControl(s, ev, io) {
          io.up(ev);
          if (ev.type !== "Stable" || ev.stability[rank]! <= s.stable) return s;
          return release(State.with(s, { stable: ev.stability[rank]! }), io);
        },
      };
    });
}
