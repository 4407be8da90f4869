// The events layers exchange, after Ensemble's (which follow Horus's).
//
// Events travel down from the application toward the network and up from the network toward the
// application, one layer at a time. Message events carry a message: the headers of the layers
// above (`above`, which a layer passes along but cannot read) and the application's payload. A
// delivery is a message event going up: Cast going up is Ensemble's delivery of a cast, Send going
// up the delivery of a send.
//
//   Cast {peer?}         a multicast to the view (going up: `peer` cast it)
//   Send {peer}          a point-to-point message (going down: to `peer`; going up: from `peer`);
//                        `outside`: to or from a process outside the view (the cross-view channel
//                        that merging partitions talk over; always unreliable)
//   Transmit {dests}     a packet leaving the bottom layer for the network (`outside`: on the
//                        cross-view channel, so that a layer below the bottom, ENCRYPT, seals it
//                        for its destination rather than for the view)
//   Arrive {peer}        a packet from `peer` entering the bottom layer
//   Ack {casts}          casts delivered so far, per member (a reliable multicast layer's count)
//   Stable {stability, numCasts}  casts every member has, and casts some member has, per member
//   View {view}          going down: the next view; going up: the view is installed
//   Suspect {suspects}   members suspected of failure
//   Fail {failures}      members declared failed in the current view
//   Block, BlockOk       stop sending before a view change, and the reply
//   Exit, Leave          the member is out of the group (the stack is done); a member leaves the group
//   Excluded {view}      a newer view, made of members of this one, left this member out
//   Prompt               a view change is asked for, with no suspects (same members, new id)
//   Recover              going up from the bottom: the process resumes after a crash; its view went
//                        on without it, and what it held from before is stale (a restart)
//   MergeRequest {view, contact}  going down: merge this view into `view`, coordinated by `contact`
//   LostMessage {peer}   a message from `peer` cannot be recovered
//   Switch {protocol}    going down: the application asks the group to run `protocol` from the next view on
//   Protocol {protocol}  going down: the protocol the next view runs, as the group agreed (Ensemble's EProtocol)
//
// Casts and sends are reliable unless marked `unreliable` (Ensemble's ECastUnrel/ESendUnrel):
// protocol layers send their own control messages unreliably and repeat them as needed.

import { t, type IdsType, type ISet, type Type } from "../ioa/index.ts";
import type { View } from "../specs/group.ts";

/** A view as events and actions carry it: specs/group.ts's View, written as a type that is a Value. */
export type ViewValue = { readonly id: number; readonly members: ISet<number> };

declare const opaque: unique symbol;
/** The headers of the layers above, as one value: a layer passes it along but cannot read it. */
export type Above = { readonly [opaque]: "the headers of the layers above" };

/** What a message event carries: the headers above and the application's payload, if any. */
export type Carried = {
  readonly above?: Above;
  readonly payload?: string;
};

export type CastEvent = Carried & { readonly type: "Cast"; readonly peer?: number; readonly unreliable?: true };
export type SendEvent = Carried & { readonly type: "Send"; readonly peer: number; readonly unreliable?: true; readonly outside?: true };
export type TransmitEvent = Carried & { readonly type: "Transmit"; readonly dests: ISet<number>; readonly outside?: true };
export type ArriveEvent = Carried & { readonly type: "Arrive"; readonly peer: number };
export type MessageEvent = CastEvent | SendEvent | TransmitEvent | ArriveEvent;

export type ControlEvent =
  | { readonly type: "Ack"; readonly casts: readonly number[] }
  | { readonly type: "Stable"; readonly stability: readonly number[]; readonly numCasts: readonly number[] }
  | { readonly type: "View"; readonly view: ViewValue }
  | { readonly type: "Suspect"; readonly suspects: ISet<number> }
  | { readonly type: "Fail"; readonly failures: ISet<number> }
  | { readonly type: "Block" }
  | { readonly type: "BlockOk" }
  | { readonly type: "Exit" }
  | { readonly type: "Leave" }
  | { readonly type: "Excluded"; readonly view: ViewValue }
  | { readonly type: "Prompt" }
  | { readonly type: "Recover" }
  | { readonly type: "MergeRequest"; readonly view: ViewValue; readonly contact: number }
  | { readonly type: "LostMessage"; readonly peer: number }
  | { readonly type: "Switch"; readonly protocol: string }
  | { readonly type: "Protocol"; readonly protocol: string };

export type Event = MessageEvent | ControlEvent;

export function isMessage(ev: Event): ev is MessageEvent {
  switch (ev.type) {
    case "Cast":
    case "Send":
    case "Transmit":
    case "Arrive":
      return true;
    default:
      return false;
  }
}

/**
 * The value type of events among processes `P`, whose messages carry headers of type `above`: how
 * events are written in traces when a layer runs as an automaton of its own.
 */
export function eventType(P: IdsType, View: Type<View>, above: Type<Above>): Type<Event> {
  const carried = { above: t.optional(above), payload: t.optional(t.string()) };
  const unreliable = t.optional(t.literal(true));
  const counts = t.array(t.int(0));
  return t.variant("type", {
    Cast: { peer: t.optional(P), unreliable, ...carried },
    Send: { peer: P, unreliable, outside: t.optional(t.literal(true)), ...carried },
    Transmit: { dests: t.set(P), outside: t.optional(t.literal(true)), ...carried },
    Arrive: { peer: P, ...carried },
    Ack: { casts: counts },
    Stable: { stability: counts, numCasts: counts },
    View: { view: View },
    Suspect: { suspects: t.set(P) },
    Fail: { failures: t.set(P) },
    Block: {},
    BlockOk: {},
    Exit: {},
    Leave: {},
    Excluded: { view: View },
    Prompt: {},
    Recover: {},
    MergeRequest: { view: View, contact: P },
    LostMessage: { peer: P },
    Switch: { protocol: t.string() },
    Protocol: { protocol: t.string() },
  }) as unknown as Type<Event>;
}
