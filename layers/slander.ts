// SLANDER: a member's suspicions passed on to the others of its view, after Ensemble's SLANDER.
//
// Provides: sharedSuspicion — Suspect events name the members this member's failure detector
//           suspects and those another member of the view, not suspected itself, said it suspects.
// Requires: failureDetection (Suspect events from below), reliableFifoSend.
//
// The membership layer acts on a suspicion only at the member that coordinates. Without this
// layer, two members other than the coordinator that stop hearing each other (the link between
// them lost, one way or both, and no other) stay in one view for ever: the casts of the one not
// heard never become stable, and its flow control stops its casting. With it, a member that comes
// to suspect someone tells every member of its view it does not suspect (Slander{suspects}, a
// reliable send), and a member takes the word of any member it does not suspect, except about
// itself. So the coordinator comes to suspect the member not heard, and its next view leaves it
// out (it merges back through HEAL). Of two members that suspect each other, the one whose word
// reaches a member first is believed there, and the other's word, from a member it now suspects,
// is not: the coordinator excludes one of the two, not both.
//
// The price: a false suspicion by any member, not only by the coordinator, excludes a live member.
// The stacks with views take the layer as an option (`slander: true`; `troupe node --slander`),
// off by default, as Ensemble's SLANDER is.

import { ISet, t, type Type } from "../ioa/index.ts";
import { layer, type Io } from "./layer.ts";

export type SlanderHeader = { readonly type: "Slander"; readonly suspects: ISet<number> };
type Header = SlanderHeader;

export const slander = layer("slander", { provides: ["sharedSuspicion"], requires: ["failureDetection", "reliableFifoSend"] })
  .header(({ P }): Type<Header> => t.variant("type", { Slander: { suspects: t.set(P) } }))
  .state(
    ({ P }) => ({
      /** What this member said it suspects: its own suspicions, as told to the others. */
      told: t.set(P),
      /** Every member suspected here, by this member or on another's word: what the layers above were told. */
      suspects: t.set(P),
    }),
    () => ({ told: ISet.empty<number>(), suspects: ISet.empty<number>() }),
  )
  .handlers(({ rank }, State) => {
    type S = ReturnType<typeof State.with>;

    /** `s` with `more` suspected too, the layers above told if that is news. */
    function suspecting(s: S, more: ISet<number>, io: Io<Header>): S {
      if (more.isSubsetOf(s.suspects)) return s;
      const suspects = s.suspects.union(more);
      io.up({ type: "Suspect", suspects });
      return State.with(s, { suspects });
    }

    /** This member's failure detector suspects `own` (the set only grows in a view): the others hear of what is new. */
    function detected(s: S, own: ISet<number>, io: Io<Header>): S {
      const next = suspecting(s, own, io);
      if (own.isSubsetOf(s.told)) return next;
      const told = s.told.union(own);
      for (const q of io.view.members) if (q !== rank && !next.suspects.has(q)) io.dn({ type: "Send", peer: q }, { type: "Slander", suspects: told });
      return State.with(next, { told });
    }

    return {
      upControl(s, ev, io) {
        if (ev.type === "Suspect") return detected(s, ev.suspects, io);
        io.up(ev);
        return s;
      },
      own(s, ev, header, io) {
        const view = io.view.members;
        if (ev.type !== "Send" || ev.outside || header === undefined || ev.peer === undefined || !view.has(ev.peer) || s.suspects.has(ev.peer)) return s;
        return suspecting(s, header.suspects.filter((q) => q !== rank && view.has(q)), io);
      },
    };
  });
