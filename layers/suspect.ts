// SUSPECT: a heartbeat failure detector, after Ensemble's.
//
// Provides: failureDetection — Suspect events name the members of the view that have not been
//           heard from for a while (the set only grows within a view).
// Requires: transport.
//
// Each member casts a heartbeat (its own unreliable message, no header) on a background timer
// `beat`; a heartbeat marks its sender heard. When every member it watches (the others of the
// view it does not suspect) that it has heard in this view has been heard again, the background
// timer `sweep` clears the marks, to listen afresh. While some watched member it has heard in this view is unheard, the timer
// `suspect` is due: when it fires, those members are suspected and the layers above told. A member
// not heard at all since the view began (it may still be starting) is given longer: the timer
// `silent` (default 5 s) suspects the members still never heard. `suspect` is not a background
// timer: a member that has stopped makes it due for good, so a group with a crashed member is
// never quiet until the member is suspected — while only heartbeats and sweeps are due, every
// watched member is alive as far as anyone can tell.

import { ISet, t } from "../ioa/index.ts";
import { layer, type Io } from "./layer.ts";

export interface SuspectOptions {
  /** Milliseconds between heartbeats (default 100). */
  readonly beat?: number;
  /** Milliseconds between sweeps of the heard marks (default 300). */
  readonly sweep?: number;
  /** Milliseconds a watched member may stay unheard before it is suspected (default 900: three sweeps). */
  readonly suspect?: number;
  /** Milliseconds a watched member may go unheard from the start of a view before it is suspected (default 5,000). */
  readonly silent?: number;
}

/** The failure detector's delays when not given. */
export const SUSPECT_DEFAULTS = { beat: 100, sweep: 300, suspect: 900, silent: 5000 } as const satisfies Required<SuspectOptions>;

export function suspect(options: SuspectOptions = {}) {
  const { beat, sweep, suspect: patience, silent } = { ...SUSPECT_DEFAULTS, ...options };
  return layer("suspect", { provides: ["failureDetection"], requires: ["transport"] })
    .state(
      ({ P }) => ({
        /** The others of the view not suspected: the members this one listens for. */
        watched: t.set(P),
        /** The watched members heard from since the last sweep. */
        heard: t.set(P),
        /** The watched members heard from at all in this view. */
        known: t.set(P),
        /** The members suspected in this view. */
        suspects: t.set(P),
      }),
      ({ rank }, view) => ({ watched: view.members.delete(rank), heard: ISet.empty<number>(), known: ISet.empty<number>(), suspects: ISet.empty<number>() }),
    )
    .handlers((_ctx, State) => {
      type S = ReturnType<typeof State.with>;
      /** Suspects `members`, and tells the layers above. */
      const suspecting = (s: S, members: ISet<number>, io: Io<never>): S => {
        const suspects = s.suspects.union(members);
        io.up({ type: "Suspect", suspects });
        return State.with(s, { watched: s.watched.difference(members), heard: s.heard.difference(members), known: s.known.difference(members), suspects });
      };
      return {
      own(s, ev, _header, io) {
        if (ev.type !== "Cast" || ev.peer === undefined || !s.watched.has(ev.peer) || s.heard.has(ev.peer)) return s;
        return State.with(s, { heard: s.heard.add(ev.peer), known: s.known.add(ev.peer) });
      },
      timers: {
        beat: {
          delay: beat,
          background: true,
          when: (s) => s.watched.size > 0,
          fire(s, io) {
            io.dn({ type: "Cast", unreliable: true });
            return s;
          },
        },
        sweep: {
          delay: sweep,
          background: true,
          when: (s) => s.heard.size > 0 && s.heard.size === s.known.size,
          fire: (s) => State.with(s, { heard: ISet.empty() }),
        },
        suspect: {
          delay: patience,
          when: (s) => s.heard.size < s.known.size,
          fire: (s, io) => suspecting(s, s.known.difference(s.heard), io),
        },
        silent: {
          delay: silent,
          when: (s) => s.known.size < s.watched.size,
          fire: (s, io) => suspecting(s, s.watched.difference(s.known), io),
        },
      },
      };
    });
}

/** The members this process's failure detector suspects in its view, in a stack's layers record (undefined: the stack has no SUSPECT layer). */
export function suspicionsIn(layers: { readonly [layer: string]: unknown }): ISet<number> | undefined {
  return (layers.suspect as { readonly suspects: ISet<number> } | undefined)?.suspects;
}
