// SWITCH: protocol switching at a view change, after Ensemble's (van Renesse, Birman, Hayden,
// Vaysburd and Karr, "Building adaptive systems using Ensemble"): a running group moves from one
// total order protocol to another, all of its members together, at a view change that any member
// may ask for.
//
// Provides: protocolSwitching — any member may ask the group to switch to another total order
//           protocol: the group switches at the next view change, all of its members together.
// Requires: totalOrder (the protocols below, each a switchable layer of which one runs in a view:
//           members that move together to the next view delivered the same casts of the old one
//           in the same order, the requests among them) and viewMembership (a Prompt asks for a view
//           change).
//
// The application's request (Switch{protocol}, down) is cast, as this layer's own Request, through
// the protocol that runs: requests are ordered like every other cast. As each is delivered, a
// member tells the protocols below which one runs next (Protocol{protocol}, down) and, for a
// protocol other than the one running and outside a view change, asks for a view change (Prompt).
// The last request delivered in a view decides the protocol of the next: members that move together
// delivered the same requests in the same order, so they decide alike. The running protocol delivers
// what it holds of the old view before the view is installed (its view change is the flush that
// switching relies on), and the next one starts afresh in the new view.
//
// A view that brings in newcomers (a merge, a join) runs the first protocol (switchable.ts).
//
// A request for a protocol the group does not have is dropped: it cannot be run.

import { t } from "../ioa/index.ts";
import { layer } from "./layer.ts";
import { bringsNewcomers } from "./switchable.ts";

export type SwitchHeader = { readonly type: "Request"; readonly protocol: string };

/** The switch layer over the protocols `protocols` (the names of the switchable layers below), of which `initial` runs first. */
export function switching(protocols: readonly [string, ...string[]], initial: string) {
  if (!protocols.includes(initial)) throw new RangeError(`switch: the first protocol, ${initial}, is not among its protocols (${protocols.join(", ")})`);
  const Protocol = t.enum(...protocols);
  return layer("switch", { provides: ["protocolSwitching"], requires: ["totalOrder", "viewMembership"] })
    .header(() => t.variant("type", { Request: { protocol: Protocol } }))
    .state(
      ({ P }) => ({
        /** The protocol that runs in this view. */
        running: Protocol,
        /** The protocol the last request delivered in this view asks for, or the running one. */
        next: Protocol,
        /** A view change has begun: asking for one is moot. */
        changing: t.bool(),
        /** The members of this view. */
        members: t.set(P),
      }),
      (_ctx, view) => ({ running: initial, next: initial, changing: false, members: view.members }),
    )
    .handlers((_ctx, State) => ({
      dnControl(s, ev, io) {
        if (ev.type !== "Switch") return io.dn(ev), s;
        if (protocols.includes(ev.protocol)) io.dn({ type: "Cast" }, { type: "Request", protocol: ev.protocol });
        return s;
      },
      own(s, ev, header, io) {
        if (ev.type !== "Cast" || header?.type !== "Request") return s;
        io.dn({ type: "Protocol", protocol: header.protocol });
        if (header.protocol !== s.running && !s.changing) io.dn({ type: "Prompt" });
        return header.protocol === s.next ? s : State.with(s, { next: header.protocol });
      },
      upControl(s, ev, io) {
        io.up(ev);
        return ev.type === "Block" && !s.changing ? State.with(s, { changing: true }) : s;
      },
      install(old, fresh, view) {
        const next = bringsNewcomers(old.members, view) ? initial : old.next;
        return next === fresh.running ? fresh : State.with(fresh, { running: next, next });
      },
    }));
}
