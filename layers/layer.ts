// The layer: a micro-protocol with the same top and bottom interface as every other, so that
// layers stack like building blocks (Horus's protocol as an abstract data type; Ensemble's layer).
//
//   export const echo = layer("echo", { provides: ["selfDelivery"], requires: ["reliableFifoCast"] })
//     .handlers(({ rank }) => ({
//       dn(s, ev, io) {
//         io.dn(ev);
//         if (ev.type === "Cast" && !ev.unreliable) io.up({ ...ev, peer: rank });
//         return s;
//       },
//     }));
//
// A layer states the service properties it provides and those it needs from the layers below, its
// header type (declared with the kernel's types, so that a wire codec can be derived from it), its
// state, its handlers and its timers. Handlers are pure: they take the layer's state and an event
// and return the next state, emitting events through `io` — `io.up(ev)` toward the application,
// `io.dn(ev, header)` toward the network, pushing the layer's header when `ev` carries a message
// (a header on a control event does not type-check). As in Ensemble, messages and control events
// have handlers of their own:
//
//   dn(s, ev, io)              a message from the layer above (a cast or send to make)
//   dnControl(s, ev, io)       a control event from the layer above (BlockOk, Leave, a View to install, …)
//   up(s, ev, header, io)      a message from below; `header` is this layer's header
//                              (undefined when the peer layer added none)
//   upControl(s, ev, io)       a control event from below (Stable, Suspect, a View installed, …)
//   own(s, ev, header, io)     a message this layer's peer sent (a NAK, an ack, a gossip): it stops here
//                              (without this handler, such a message is dropped: no peer sends one).
//                              A message from outside the view (`outside`: a merge's, a heal gossip)
//                              reaches only this handler of the layer that sent it; the others pass it on.
//   timers { name: { delay, when, fire, background? } }
//                              named timers: each offered when `when(s)` holds (the layer has work
//                              for it), firing `delay` ms after; `fire(s, io)` handles it. A
//                              background timer (a heartbeat, a failure detector's sweep) keeps
//                              running in a quiet group and does not keep it from quiescence.
//   install(old, fresh, view)  the state the layer starts the view `view` with, given its state in
//                              the old view and the state `init` makes for the new one (default:
//                              `fresh`, as Ensemble builds a new stack for every view). A layer
//                              keeps what must outlive views here.
//
// A missing handler passes every event on. Handlers see the process's current view as `io.view`.
// A layer is also an automaton of `ioa/` on its own (`automaton(ctx)`), with queues toward the
// layers above and below, Ensemble's formal model.

import { automaton, DefinitionError, RecordType, t, type Fields, type IdsType, type RecordOf, type Type } from "../ioa/index.ts";
import { groupTypes, initialView, type View } from "../specs/group.ts";
import { eventType, isMessage, type Above, type ControlEvent, type Event, type MessageEvent, type ViewValue } from "./event.ts";
import { bodyType, headersType, headerStackOf, popped, push } from "./message.ts";
import type { ServiceProperty } from "./property.ts";

/** What every layer of a group's stacks shares: the process ids. */
export interface GroupContext {
  readonly P: IdsType;
  readonly n: number;
}

/** What one layer instance knows when it is built: everything but the view, which changes. */
export interface LayerContext extends GroupContext {
  /** The process this layer runs in. */
  readonly rank: number;
  readonly View: Type<View>;
  /** The type of `ev.above`: the stack's header stacks. */
  readonly Above: Type<Above>;
  /** A message this layer holds: what a message event carried (`above`, `payload`). */
  readonly Body: ReturnType<typeof bodyType>;
}

/** The context of the layers of process `rank` in a group of `n`, in a stack whose header stacks have type `Above`. */
export function layerContext(n: number, rank: number, Above: Type<Above>): LayerContext {
  const { P, View } = groupTypes(n, t.string());
  return { P, n, rank, View, Above, Body: bodyType(Above) };
}

export interface Io<H> {
  /** The view the process is in. */
  readonly view: ViewValue;
  /** Passes `ev` up: a control event, or a message to deliver. */
  up(ev: Event): void;
  /** Passes a message down, pushing `header` onto it (none: NoHdr). */
  dn(ev: MessageEvent, header?: H): void;
  /** Passes a control event (or an event the layer does not look at) down: no header. */
  dn(ev: Event): void;
}

export interface Timer<S, H> {
  /** Milliseconds between the timer's becoming due and its firing (for the simulator and the runtime). */
  readonly delay: number;
  /** Runs in a quiet group too (heartbeats, sweeps): it does not keep the group from quiescence. */
  readonly background?: boolean;
  /** The layer has work for its timer: only then is it offered. */
  when(s: S): boolean;
  /** The timer fires. */
  fire(s: S, io: Io<H>): S;
}

export interface Handlers<S, H> {
  dn?(s: S, ev: MessageEvent, io: Io<H>): S;
  dnControl?(s: S, ev: ControlEvent, io: Io<H>): S;
  up?(s: S, ev: MessageEvent, header: H | undefined, io: Io<H>): S;
  upControl?(s: S, ev: ControlEvent, io: Io<H>): S;
  own?(s: S, ev: MessageEvent, header: H | undefined, io: Io<H>): S;
  readonly timers?: { readonly [name: string]: Timer<S, H> };
  install?(old: S, fresh: S, view: ViewValue): S;
}

export interface Contract {
  readonly provides: readonly ServiceProperty[];
  readonly requires: readonly ServiceProperty[];
}

/** A layer built for one process: its types, start state for a view, and handlers. */
export interface BuiltLayer<S = unknown, H = unknown> {
  readonly name: string;
  readonly stateType: Type<S>;
  readonly header: Type<H>;
  /** The layer's state at the start of view `view`, before `install` keeps anything of the old one. */
  init(view: ViewValue): S;
  readonly handlers: Handlers<S, H>;
}

type Make<C, X> = (ctx: C) => X;
type Init<F extends Fields> = (ctx: LayerContext, view: ViewValue) => RecordOf<F>;

/** What a stack needs of a layer, whatever its state and header types. */
export interface AnyLayer extends Contract {
  readonly name: string;
  headerType(group: GroupContext): Type<unknown>;
  build(ctx: LayerContext): BuiltLayer;
}

/** A layer definition: `layer(name, contract).header(…).state(…).handlers(…)`. */
export class Layer<F extends Fields = Fields, H = never> implements AnyLayer {
  constructor(
    readonly name: string,
    readonly provides: readonly ServiceProperty[],
    readonly requires: readonly ServiceProperty[],
    private readonly makeHeader: Make<GroupContext, Type<H>>,
    private readonly makeFields: Make<LayerContext, F>,
    private readonly makeInit: Init<F>,
    private readonly makeHandlers: ((ctx: LayerContext, State: RecordType<F>) => Handlers<RecordOf<F>, H>) | undefined,
  ) {}

  /** The layer's header type (a variant, usually); without one, the layer never adds a header. */
  header<H2>(make: Make<GroupContext, Type<H2>>): Layer<F, H2> {
    return new Layer<F, H2>(this.name, this.provides, this.requires, make, this.makeFields, this.makeInit, undefined);
  }

  /** The layer's state: its fields, and its state at the start of a view. */
  state<const F2 extends Fields>(fields: Make<LayerContext, F2>, init: Init<F2>): Layer<F2, H> {
    return new Layer<F2, H>(this.name, this.provides, this.requires, this.makeHeader, fields, init, undefined);
  }

  /** The layer's handlers and timers, given what the layer knows and its state type (for `State.with`). */
  handlers(make: (ctx: LayerContext, State: RecordType<F>) => Handlers<RecordOf<F>, H>): Layer<F, H> {
    return new Layer<F, H>(this.name, this.provides, this.requires, this.makeHeader, this.makeFields, this.makeInit, make);
  }

  /**
   * This layer with some of its handlers replaced by `edit`, which is given the layer's own: how a
   * planted bug (a mutant) is written beside the tests and models, never inside the layer.
   */
  mutant(edit: (handlers: Handlers<RecordOf<F>, H>, ctx: LayerContext, State: RecordType<F>) => Partial<Handlers<RecordOf<F>, H>>): Layer<F, H> {
    const make = this.makeHandlers ?? (() => ({}));
    return new Layer<F, H>(this.name, this.provides, this.requires, this.makeHeader, this.makeFields, this.makeInit, (ctx, State) => {
      const handlers = make(ctx, State);
      return { ...handlers, ...edit(handlers, ctx, State) };
    });
  }

  headerType(group: GroupContext): Type<H> {
    return this.makeHeader(group);
  }

  build(ctx: LayerContext): BuiltLayer<RecordOf<F>, H> {
    const State = t.record(this.makeFields(ctx));
    const handlers = this.makeHandlers?.(ctx, State) ?? {};
    const makeInit = this.makeInit;
    return { name: this.name, stateType: State, header: this.makeHeader(ctx), init: (view) => makeInit(ctx, view), handlers };
  }

  /**
   * This layer, at process `rank` of a group of `n` in view `view`, as an automaton of its own:
   * `fromAbove` and `fromBelow` inputs take events, which the handlers turn into events queued
   * `toAbove` and `toBelow` (outputs, in order); `timer` fires a timer the layer has work for.
   */
  automaton(n: number, rank: number, view: ViewValue = initialView(n)) {
    const P = t.ids("P", n);
    const ctx = layerContext(n, rank, headersType([{ name: this.name, header: this.makeHeader({ P, n }) }]));
    const built = this.build(ctx);
    const Event = eventType(ctx.P, ctx.View, ctx.Above);
    const State = t.record({ layer: built.stateType, toAbove: t.array(Event), toBelow: t.array(Event) });
    type S = RecordOf<(typeof State)["fields"]>;
    const react = (s: S, run: (state: RecordOf<F>, io: Io<H>) => RecordOf<F>): S => {
      const toAbove = s.toAbove.slice();
      const toBelow = s.toBelow.slice();
      const io = { view, up: (e: Event) => toAbove.push(e), dn: (e: Event, header?: H) => toBelow.push(down(built.name, e, header)) } as Io<H>;
      return { layer: run(s.layer, io), toAbove, toBelow };
    };
    const timers = built.handlers.timers ?? {};
    const names = Object.keys(timers);
    return automaton(this.name, State)
      .start({ layer: built.init(view), toAbove: [], toBelow: [] })
      .input("fromAbove", { ev: Event }, { next: (s, { ev }) => react(s, (state, io) => handle(built, state, "above", ev, io)) })
      .input("fromBelow", { ev: Event }, { next: (s, { ev }) => react(s, (state, io) => handle(built, state, "below", ev, io)) })
      .output("toAbove", { ev: Event }, { enabled: (s) => s.toAbove.slice(0, 1).map((ev) => ({ ev })), next: (s) => State.with(s, { toAbove: s.toAbove.slice(1) }) })
      .output("toBelow", { ev: Event }, { enabled: (s) => s.toBelow.slice(0, 1).map((ev) => ({ ev })), next: (s) => State.with(s, { toBelow: s.toBelow.slice(1) }) })
      .output("timer", { timer: names.length > 0 ? t.enum(...(names as [string, ...string[]])) : t.enum("none") }, {
        kind: "timer",
        details: ({ timer }) => ({ delay: timers[timer]?.delay ?? 0 }),
        enabled: (s) => names.filter((name) => timers[name]!.when(s.layer)).map((timer) => ({ timer })),
        next: (s, { timer }) => react(s, (state, io) => timers[timer]!.fire(state, io)),
      });
  }
}

/** Starts a layer definition: its name and contract. */
export function layer(name: string, contract: Contract): Layer<{}, never> {
  return new Layer<{}, never>(
    name,
    contract.provides,
    contract.requires,
    () => t.literal("NoHdr") as unknown as Type<never>,
    () => ({}),
    () => ({}),
    undefined,
  );
}

/**
 * Runs one event through a layer's handlers: routes a message from above to `dn` and a control
 * event to `dnControl`; pops the layer's header off a message from below and routes it to `up` or
 * (if the peer layer sent it) `own`, and a control event to `upControl`; passes on what the layer
 * does not handle.
 */
export function handle<S, H>(layer: BuiltLayer<S, H>, s: S, from: "above" | "below", ev: Event, io: Io<H>): S {
  return from === "above" ? handleFromAbove(layer, s, ev, io) : handleFromBelow(layer, s, ev, io);
}

/** `handle` of an event from above. */
export function handleFromAbove<S, H>(layer: BuiltLayer<S, H>, s: S, ev: Event, io: Io<H>): S {
  const { handlers } = layer;
  if (!isMessage(ev)) return handlers.dnControl ? handlers.dnControl(s, ev, io) : (io.dn(ev), s);
  return handlers.dn ? handlers.dn(s, ev, io) : (io.dn(ev), s);
}

/** `handle` of an event from below. */
export function handleFromBelow<S, H>(layer: BuiltLayer<S, H>, s: S, ev: Event, io: Io<H>): S {
  const { handlers } = layer;
  if (!isMessage(ev)) return handlers.upControl ? handlers.upControl(s, ev, io) : (io.up(ev), s);
  // `pop`, without building its record: this runs for every message at every layer.
  const stack = headerStackOf(ev);
  const name = layer.name;
  const header = stack[name] as H | undefined;
  const rest = header === undefined ? ev : popped(ev, stack, name);
  // A layer that sends no messages of its own has no peer that sends it one: such a packet is
  // corrupt or hostile, and goes no further.
  if (stack.origin === name) return handlers.own ? handlers.own(s, rest, header, io) : s;
  // A message from outside the view is for the layer that sent it alone: the others pass it on unread.
  if (handlers.up && (rest as { outside?: true }).outside === undefined) return handlers.up(s, rest, header, io);
  io.up(rest);
  return s;
}

/** The event a layer passes down: a message gets the layer's header pushed; a control event has none. */
export function down<H>(layerName: string, ev: Event, header: H | undefined): Event {
  if (isMessage(ev)) return push(ev, layerName, header);
  if (header !== undefined) throw new DefinitionError(`layer ${layerName} gave a header to a ${ev.type} event, which carries no message`);
  return ev;
}
