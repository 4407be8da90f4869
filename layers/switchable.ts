// A switchable protocol: a layer that runs in the views the group chose it for and passes every
// event on untouched in the others, so that a stack can hold several total order protocols and a
// switch layer above them (switch.ts) choose one per view.
//
// Provides and requires what the layer it wraps does (only while it runs; in a view where it does
// not, another protocol below the switch layer provides the same).
//
// It learns which protocol the next view runs from Protocol{protocol} events coming down, and
// starts running, or stops, when that view is installed: a protocol that stops delivers what it
// holds of the old view first, as at any view change (its own View handler runs); one that starts
// starts from its state for the new view. Its header and timers are those of the layer it wraps,
// whose state it keeps beside whether it runs.
//
// A view that brings in members from outside the old one (a merge, a join) runs the stack's first
// protocol: the sides of a merge may have switched apart, and each member of the merged view sees
// newcomers, so all of them fall back alike (Ensemble carries the protocol in the view state).

import { t, type ISet } from "../ioa/index.ts";
import type { ViewValue } from "./event.ts";
import { layer, type AnyLayer, type BuiltLayer, type LayerContext } from "./layer.ts";

/** Does `view` hold a member outside `members` (the old view's)? Then the sides of a merge meet, and the first protocol runs. */
export const bringsNewcomers = (members: ISet<number>, view: ViewValue) => view.members.some((q) => !members.has(q));

/** `protocol`, which runs in the first view if `initially`, and in each later view if the switch layer chose it. */
export function switchable(protocol: AnyLayer, initially: boolean) {
  const built = new WeakMap<LayerContext, BuiltLayer>();
  const inner = (ctx: LayerContext) => {
    let b = built.get(ctx);
    if (!b) built.set(ctx, (b = protocol.build(ctx)));
    return b;
  };
  return layer(protocol.name, { provides: protocol.provides, requires: protocol.requires })
    .header((group) => protocol.headerType(group))
    .state(
      (ctx) => ({
        /** The protocol runs in this view. */
        running: t.bool(),
        /** The protocol runs in the next view, as the switch layer said last. */
        next: t.bool(),
        /** The members of this view. */
        members: t.set(ctx.P),
        /** The protocol's own state (its state for the view, untouched, while it does not run). */
        inner: inner(ctx).stateType,
      }),
      (ctx, view) => ({ running: initially, next: initially, members: view.members, inner: inner(ctx).init(view) }),
    )
    .handlers((ctx, State) => {
      const { handlers } = inner(ctx);
      type S = ReturnType<typeof State.with>;
      /** `s` with the protocol's state `next` (`s` itself if the handler left the protocol's state as it was). */
      const withInner = (s: S, next: unknown): S => (next === s.inner ? s : State.with(s, { inner: next }));
      const timers = Object.fromEntries(
        Object.entries(handlers.timers ?? {}).map(([name, timer]) => [
          name,
          { ...timer, when: (s: S) => s.running && timer.when(s.inner), fire: (s: S, io: never) => withInner(s, timer.fire(s.inner, io)) },
        ]),
      );
      return {
        dn(s, ev, io) {
          if (!s.running || !handlers.dn) return io.dn(ev), s;
          return withInner(s, handlers.dn(s.inner, ev, io));
        },
        dnControl(s, ev, io) {
          if (ev.type === "Protocol") {
            io.dn(ev);
            const next = ev.protocol === protocol.name;
            return next === s.next ? s : State.with(s, { next });
          }
          if (!s.running || !handlers.dnControl) return io.dn(ev), s;
          return withInner(s, handlers.dnControl(s.inner, ev, io));
        },
        up(s, ev, header, io) {
          if (!s.running || !handlers.up) return io.up(ev), s;
          return withInner(s, handlers.up(s.inner, ev, header, io));
        },
        upControl(s, ev, io) {
          if (!s.running || !handlers.upControl) return io.up(ev), s;
          return withInner(s, handlers.upControl(s.inner, ev, io));
        },
        own(s, ev, header, io) {
          if (!s.running || !handlers.own) return s;
          return withInner(s, handlers.own(s.inner, ev, header, io));
        },
        timers,
        install(old, fresh, view) {
          const next = bringsNewcomers(old.members, view) ? initially : old.next;
          const keeps = old.running && next && handlers.install;
          const state = keeps ? handlers.install!(old.inner, fresh.inner, view) : fresh.inner;
          return next === fresh.running && state === fresh.inner ? fresh : State.with(fresh, { running: next, next, inner: state });
        },
      };
    });
}
