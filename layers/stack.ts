// A stack: layers composed into one automaton per process.
//
//   export const fifo = stack("fifo", [top(…), local, frag(), stable(), pt2pt(), mnak(), bottom]);
//   const p0 = fifo.build(3, 0);         // the stack of process 0 in a group of 3
//
// Layers are listed top first. The stack's external actions are the group service interface on top
// (cast, send → deliver, receive, view), packets and timers at the bottom (transmit → network,
// arrive ← network, timer), and crash/recover. It takes one input at a time and runs every event
// that input causes to completion — events move one layer at a time, in the order they were
// emitted — before it takes the next (Ensemble's execution model, and the runtime's). What the
// run produces for the application and the network waits in `pending` and leaves as outputs, in
// order, before anything else happens at this process.
//
// A layer's timer is offered as an output (`timer`, of kind "timer", with the layer's delay in its
// details) whenever the layer has work for it: whoever hosts the stack decides when it fires — the
// checker at any moment, the simulator after the delay in virtual time, the runtime on a clock. (It
// cannot be an input: an input is always enabled, and the timer must not be when there is no work.)
//
// A stack is checked when it is defined: every property a layer requires must be provided by a
// layer below it.

import {
  assertType,
  DefinitionError,
  formatAction,
  t,
  ISet,
  valuesEqual,
  type ActionDetails,
  type ActionInfo,
  type Automaton,
  type Fields,
  type Params,
  type RecordType,
  type Role,
  type Type,
} from "../ioa/index.ts";
import { groupTypes, initialView, type GroupTypes } from "../specs/group.ts";
import type { Above, Event, ViewValue } from "./event.ts";
import { down, handleFromAbove, handleFromBelow, layerContext, type AnyLayer, type BuiltLayer, type Io, type Timer } from "./layer.ts";
import { fromApplication, headersType, packetType, type Packet } from "./message.ts";
import { RememberedBy, RememberedSteps } from "../ioa/remembered-steps.ts";
import { describeProperty } from "./property.ts";

export type StackAction =
  | { readonly name: "cast"; readonly p: number; readonly msg: string }
  | { readonly name: "send"; readonly p: number; readonly to: number; readonly msg: string }
  | { readonly name: "deliver"; readonly p: number; readonly from: number; readonly msg: string }
  | { readonly name: "receive"; readonly p: number; readonly from: number; readonly msg: string }
  | { readonly name: "view"; readonly p: number; readonly view: ViewValue }
  | { readonly name: "block"; readonly p: number }
  | { readonly name: "blockOk"; readonly p: number }
  | { readonly name: "leave"; readonly p: number }
  | { readonly name: "prompt"; readonly p: number }
  | { readonly name: "exit"; readonly p: number }
  | { readonly name: "excluded"; readonly p: number; readonly view: ViewValue }
  | { readonly name: "switch"; readonly p: number; readonly protocol: string }
  | { readonly name: "transmit"; readonly p: number; readonly dests: ISet<number>; readonly packet: Packet }
  | { readonly name: "arrive"; readonly p: number; readonly from: number; readonly packet: Packet }
  | { readonly name: "timer"; readonly p: number; readonly layer: string; readonly timer: string }
  | { readonly name: "tick"; readonly p: number; readonly layer: string; readonly timer: string }
  | { readonly name: "crash"; readonly p: number }
  | { readonly name: "recover"; readonly p: number };

type TimerAction = Extract<StackAction, { name: "timer" | "tick" }>;
/** The inputs that run the stack (and timers firing), as opposed to crash and recover and the outputs. */
type RunningInput = Exclude<StackAction, { name: "crash" | "recover" | (typeof IMMEDIATE_OUTPUTS)[number] }>;

/** What a run left for the application or the network, in order. */
export type Output =
  | { readonly kind: "deliver"; readonly from: number; readonly msg: string }
  | { readonly kind: "receive"; readonly from: number; readonly msg: string }
  | { readonly kind: "view"; readonly view: ViewValue }
  | { readonly kind: "block" }
  | { readonly kind: "exit" }
  | { readonly kind: "excluded"; readonly view: ViewValue }
  | { readonly kind: "transmit"; readonly dests: ISet<number>; readonly packet: Packet };

export type StackState = {
  /** The view the process is in. */
  readonly view: ViewValue;
  readonly layers: { readonly [layer: string]: unknown };
  /** What the last run left for the application and the network, to go out first. */
  readonly pending: Output[];
  readonly crashed: boolean;
};

/** The outputs a stack emits as the immediate effect of its inputs: they leave before any other step. */
export const IMMEDIATE_OUTPUTS = ["deliver", "receive", "view", "block", "exit", "excluded", "transmit"] as const;

const OUTPUT_NAMES: ReadonlySet<string> = new Set(IMMEDIATE_OUTPUTS);

function isOutput(a: StackAction): a is Extract<StackAction, { name: (typeof IMMEDIATE_OUTPUTS)[number] }> {
  return OUTPUT_NAMES.has(a.name);
}

/** The timer actions: `timer` for a layer's work, `tick` for its background timers (heartbeats, sweeps). */
export const TIMER_ACTIONS = ["timer", "tick"] as const;

/**
 * The view a process starts in with the processes `members`: its id is its lowest member's rank
 * (attempt 0 of that member as coordinator, so unique without agreement and below every later
 * view's id). Every process of the group: initialView, id 0.
 */
export function startView(members: ISet<number>): ViewValue {
  const lowest = members.toArray().reduce((a, b) => Math.min(a, b), Infinity);
  if (!Number.isFinite(lowest)) throw new DefinitionError("startView: a view needs at least one member");
  return { id: lowest, members };
}

/** The view a process that starts alone (a joiner, a restarted process) starts in: itself. */
export function joinerView(rank: number): ViewValue {
  return startView(ISet.of(rank));
}

/** Defines a stack from its layers, top first; a layer that needs a property no layer below provides is an error. */
export function stack(name: string, layers: readonly AnyLayer[]): StackDefinition {
  return new StackDefinition(name, layers);
}

/** The types shared by every process of a group running this stack. */
export interface StackTypes {
  readonly group: GroupTypes<string>;
  readonly Packet: RecordType<{ headers: Type<Above>; payload: ReturnType<typeof t.optional<string>> }>;
  readonly State: Type<StackState>;
  /** The type of the stack's header stacks (`ev.above` in every layer). */
  readonly Headers: Type<Above>;
}

export class StackDefinition {
  private readonly typesByN = new Map<number, StackTypes>();

  constructor(
    readonly name: string,
    readonly layers: readonly AnyLayer[],
  ) {
    if (layers.length === 0) throw new DefinitionError(`stack ${name}: no layers`);
    const names = layers.map((l) => l.name);
    const twice = names.find((x, i) => names.indexOf(x) !== i);
    if (twice !== undefined) throw new DefinitionError(`stack ${name}: layer ${twice} appears twice`);
    layers.forEach((l, i) => checkRequirements(name, l, layers.slice(i + 1)));
  }

  /** This stack with the layer of the same name as `replacement` replaced by it (a mutant, say). */
  replacing(replacement: AnyLayer): StackDefinition {
    if (!this.layers.some((l) => l.name === replacement.name)) throw new DefinitionError(`stack ${this.name}: no layer ${replacement.name} to replace`);
    return new StackDefinition(this.name, this.layers.map((l) => (l.name === replacement.name ? replacement : l)));
  }

  /** The stack's types for a group of `n` processes. */
  types(n: number): StackTypes {
    let types = this.typesByN.get(n);
    if (!types) {
      types = this.makeTypes(n);
      this.typesByN.set(n, types);
    }
    return types;
  }

  private makeTypes(n: number): StackTypes {
    const group = groupTypes(n, t.string());
    const Headers = headersType(this.layers.map((l) => ({ name: l.name, header: l.headerType({ P: group.P, n }) })));
    const Packet = packetType(Headers);
    const Output = t.variant("kind", {
      deliver: { from: group.P, msg: t.string() },
      receive: { from: group.P, msg: t.string() },
      view: { view: group.View },
      block: {},
      exit: {},
      excluded: { view: group.View },
      transmit: { dests: t.set(group.P), packet: Packet },
    }) as unknown as Type<Output>;
    const layerStates = this.layers.map((l) => [l.name, l.build(layerContext(n, 0, Headers)).stateType]);
    const State = t.record({ view: group.View, layers: t.record(Object.fromEntries(layerStates)), pending: t.array(Output), crashed: t.bool() });
    return { group, Headers, Packet, State: State as unknown as Type<StackState> };
  }

  /**
   * The stack of process `rank` in a group of `n`, which starts in `view` (by default every process,
   * view 0; a joiner: joinerView(rank)). A start view other than view 0 is the stack's first output,
   * so that its trace, whose services start every process in view 0, shows where it starts.
   */
  build(n: number, rank: number, view: ViewValue = initialView(n)): Stack {
    const types = this.types(n);
    const built = this.layers.map((l) => l.build(layerContext(n, rank, types.Headers)));
    const switches = this.layers.some((l) => l.provides.includes("protocolSwitching"));
    return new Stack(this.name, rank, types, built as BuiltLayer[], view, switches);
  }
}

function checkRequirements(stackName: string, l: AnyLayer, below: readonly AnyLayer[]): void {
  for (const need of l.requires) {
    if (below.some((b) => b.provides.includes(need))) continue;
    const under = below.length === 0 ? "none" : below.map((b) => b.name).join(", ");
    throw new DefinitionError(`stack ${stackName}: layer ${l.name} needs ${describeProperty(need)}, which no layer below it provides (below it: ${under})`);
  }
}

type From = "above" | "below";

/** What a host takes after each input: the outputs the run left, in order, and the state once they are out. */
export interface Drained {
  readonly outputs: readonly Output[];
  readonly state: StackState;
}

/** A layer's timer, as the stack offers it. */
interface StackTimer {
  readonly layer: string;
  /** The layer's index, top first. */
  readonly at: number;
  readonly name: string;
  readonly timer: Timer<unknown, unknown>;
  /** The action that fires it at this process, built once. */
  readonly action: TimerAction;
}

/** The pending list of a state with nothing pending, shared (frozen: states are never mutated): no empty list of its own in every such state. */
const NO_OUTPUTS = Object.freeze([]) as unknown as Output[];

export class Stack implements Automaton<StackState, StackAction> {
  readonly name: string;
  readonly stateType: Type<StackState>;
  readonly actions: ReadonlyMap<string, ActionInfo>;
  readonly types: StackTypes;
  private readonly State: RecordType<{ view: Type<ViewValue>; layers: Type<StackState["layers"]>; pending: Type<StackState["pending"]>; crashed: Type<boolean> }>;
  private readonly ios: readonly Io<unknown>[];
  private readonly timers: readonly StackTimer[];
  /** Which timers have work in a layers record, as a bit mask (`timers[i]` is bit i). */
  private readonly timersDue: (layers: StackState["layers"]) => number;
  /** The timers' actions offered together, by their bit mask (built on first use). */
  private readonly timerOffers: (readonly StackAction[] | undefined)[] = [];
  private readonly start: StackState;
  /** The layers' states, as a record, from an array in layer order, and back. */
  private readonly layersRecord: (states: readonly unknown[]) => StackState["layers"];
  private readonly layersArray: (layers: StackState["layers"]) => unknown[];
  // The run in progress (a stack runs one input at a time, never reentrantly): the view it runs in,
  // the events queued, as parallel arrays of where each goes (layer and side) and the event, what
  // the run leaves, and the view it installs. Fresh arrays each run: storing new events into
  // long-lived arrays costs a write barrier each.
  private view: ViewValue;
  private queuedTo: number[] = [];
  private queuedEv: Event[] = [];
  private pending: Output[] = NO_OUTPUTS;
  private installing: ViewValue | undefined = undefined;
  /** The runs of inputs, remembered on the input actions (remembered-steps.ts). */
  private readonly remembered = new RememberedSteps<StackState>();
  /** The state after each state's next output (see `afterOutput`). */
  private readonly emitted = new RememberedBy<StackState, StackState>();
  /** The output last offered as an action, and that action; and the actions of outputs offered before. */
  private lastOutput: Output | undefined = undefined;
  private lastAction: StackAction | undefined = undefined;
  private readonly offered = new RememberedBy<Output, StackAction>();

  constructor(
    stackName: string,
    readonly rank: number,
    types: StackTypes,
    private readonly layers: readonly BuiltLayer[],
    view: ViewValue,
    /** The stack takes the application's requests to switch protocols (a layer provides protocolSwitching). */
    switches = false,
  ) {
    this.name = `${stackName}[${rank}]`;
    this.types = types;
    this.stateType = types.State;
    this.State = types.State as unknown as Stack["State"];
    this.view = view;
    const keys = layers.map((l) => l.name);
    this.ios = layers.map((l, at) => this.io(l, at));
    this.timers = layers.flatMap((l, at) =>
      Object.entries(l.handlers.timers ?? {}).map(([name, timer]) => ({
        layer: l.name,
        at,
        name,
        timer,
        action: { name: timer.background ? "tick" : "timer", p: rank, layer: l.name, timer: name } as TimerAction,
      })),
    );
    if (this.timers.length > 30) throw new DefinitionError(`stack ${this.name}: ${this.timers.length} timers; a stack may have at most 30`);
    this.timersDue = compileTimersDue(this.timers);
    this.actions = signature(types, rank, this.timers, switches);
    this.start = { view, layers: Object.fromEntries(layers.map((l) => [l.name, l.init(view)])), pending: view.id === 0 ? [] : [{ kind: "view", view }], crashed: false };
    this.layersRecord = compileRecord(keys);
    this.layersArray = compileFields(keys);
    assertType(this.stateType, this.start, `${this.name} start state`);
  }

  private io(l: BuiltLayer, at: number): Io<unknown> {
    const last = this.layers.length - 1;
    const stack = this;
    // Where the layer's events go in the run's queue (see `enqueue`).
    const above = 2 * (at - 1) + 1;
    const below = 2 * (at + 1);
    return {
      get view() {
        return stack.view;
      },
      up:
        at === 0
          ? (ev: Event) => this.toApplication(ev)
          : (ev: Event) => {
              this.queuedTo.push(above);
              this.queuedEv.push(ev);
            },
      dn:
        at === last
          ? (ev: Event, header?: unknown) => this.toNetwork(down(l.name, ev, header))
          : (ev: Event, header?: unknown) => {
              this.queuedTo.push(below);
              this.queuedEv.push(down(l.name, ev, header));
            },
    } as Io<unknown>;
  }

  /** Queues `ev` for layer `at`, coming from `from` (the layer and the side in one number: 2at, or 2at + 1 from below). */
  private enqueue(at: number, from: From, ev: Event): void {
    this.queuedTo.push(from === "below" ? 2 * at + 1 : 2 * at);
    this.queuedEv.push(ev);
  }

  private emit(o: Output): void {
    if (this.pending === NO_OUTPUTS) this.pending = [o];
    else this.pending.push(o);
  }

  private toApplication(ev: Event): void {
    if ((ev.type === "Cast" || ev.type === "Send") && ev.peer !== undefined && ev.payload !== undefined) {
      this.emit({ kind: ev.type === "Cast" ? "deliver" : "receive", from: ev.peer, msg: ev.payload });
    } else if (ev.type === "View") {
      this.emit({ kind: "view", view: ev.view });
      this.installing = ev.view;
    } else if (ev.type === "Block") {
      this.emit({ kind: "block" });
    } else if (ev.type === "Exit") {
      this.emit({ kind: "exit" });
    } else if (ev.type === "Excluded") {
      this.emit({ kind: "excluded", view: ev.view });
    } else if (ev.type === "Send" && ev.outside) {
      // A packet from outside the view that no layer took (corrupt or hostile): dropped.
    } else {
      throw new DefinitionError(`stack ${this.name}: ${article(ev.type)} ${ev.type} event left the top layer; the application takes only deliveries (Cast and Send with a sender and a payload), View, Block, Exit and Excluded`);
    }
  }

  private toNetwork(ev: Event): void {
    if (ev.type !== "Transmit") {
      throw new DefinitionError(`stack ${this.name}: ${article(ev.type)} ${ev.type} event left the bottom layer; the network takes only Transmit events`);
    }
    const packet: Packet = ev.payload === undefined ? { headers: ev.above! } : { headers: ev.above!, payload: ev.payload };
    this.emit({ kind: "transmit", dests: ev.dests, packet });
  }

  /**
   * Runs `first` (an event entering layer `at` from `from`, or a timer of that layer firing) and
   * every event it causes to completion. A view that reached the application during the run is
   * installed at its end: every layer starts it with its state for the new view.
   */
  private run(s: StackState, at: number, from: From, first: Event | StackTimer): StackState {
    const { layers, ios } = this;
    const states = this.layersArray(s.layers);
    let changed = false;
    this.view = s.view;
    this.installing = undefined;
    this.pending = NO_OUTPUTS;
    const queuedTo = (this.queuedTo = []);
    const queuedEv = (this.queuedEv = []);
    if ("timer" in first) {
      const before = states[at];
      states[at] = first.timer.fire(before, ios[at]!);
      changed = states[at] !== before;
    } else this.enqueue(at, from, first);
    for (let i = 0; i < queuedTo.length; i++) {
      const to = queuedTo[i]!;
      const layer = to >> 1;
      const before = states[layer];
      const after = to & 1 ? handleFromBelow(layers[layer]!, before, queuedEv[i]!, ios[layer]!) : handleFromAbove(layers[layer]!, before, queuedEv[i]!, ios[layer]!);
      if (after !== before) {
        states[layer] = after;
        changed = true;
      }
    }
    // The run's outputs were pushed one by one: more than one are copied into an exact array (a
    // pushed one keeps spare capacity, which the state would carry for as long as it is held).
    const pending = this.pending === NO_OUTPUTS ? s.pending : s.pending.length === 0 && this.pending.length === 1 ? this.pending : s.pending.concat(this.pending);
    if (this.installing) return this.install(s, states, pending, this.installing);
    const layersAfter = changed ? this.layersRecord(states) : s.layers;
    return this.State.with(s, { layers: layersAfter, pending });
  }

  /** The state after installing `view`: each layer's state for it, from the one it had in the old view. */
  private install(s: StackState, states: unknown[], pending: Output[], view: ViewValue): StackState {
    const fresh = this.layers.map((l, i) => {
      const start = l.init(view);
      return l.handlers.install ? l.handlers.install(states[i], start, view) : start;
    });
    return this.State.with(s, { view, layers: this.layersRecord(fresh), pending });
  }

  /**
   * Everything the last input left for the application and the network, at once, and the state
   * after it: what taking each output in turn leaves, for a host that drains the stack after each
   * input (as the runtime does) instead of stepping it output by output.
   */
  drain(s: StackState): Drained {
    if (s.pending.length === 0) return { outputs: NO_OUTPUTS, state: s };
    return { outputs: s.pending, state: this.State.with(s, { pending: NO_OUTPUTS }) };
  }

  // ---- Automaton ----

  startStates(): readonly StackState[] {
    return [this.start];
  }

  enabled(s: StackState, out: StackAction[]): void {
    if (s.crashed) return;
    const next = s.pending[0];
    if (next) {
      // The same action object for the same output object (explorers remember facts and steps by action).
      if (next !== this.lastOutput) {
        this.lastOutput = next;
        this.lastAction = this.offered.get(next, this.outputAction);
      }
      out.push(this.lastAction!);
      return;
    }
    const mask = this.timersDue(s.layers);
    if (mask === 0) return;
    const due = (this.timerOffers[mask] ??= this.timers.filter((_, i) => mask & (1 << i)).map((x) => x.action));
    for (let i = 0; i < due.length; i++) out.push(due[i]!);
  }

  step(s: StackState, a: StackAction): StackState {
    if (isOutput(a)) return this.afterOutput(s);
    const settled = this.withoutRun(s, a);
    if (settled !== undefined) return settled;
    // A run is a function of the state and the input (remembered-steps.ts).
    const known = this.remembered.get(a, s);
    if (known !== undefined) return known;
    const to = this.runInput(s, a as RunningInput);
    this.remembered.set(a, s, to);
    return to;
  }

  /**
   * The state once the next output is out, remembered by state: an explorer that keeps one object
   * per value of a stack (the checker interns them) then holds one object for it too.
   */
  private afterOutput(s: StackState): StackState {
    return this.emitted.get(s, this.withoutOutput);
  }

  /**
   * `step` for a host that takes each input object once (the runtime: a fresh action per packet,
   * and a timer's action fired in ever new states): the same state, not remembered on the action,
   * where it would cost a field per packet and keep an old state alive per timer.
   */
  takeOnce(s: StackState, a: StackAction): StackState {
    return this.withoutRun(s, a) ?? this.runInput(s, a as RunningInput);
  }

  /** The state after `a` when `a` does not run the stack (crash, recover, an output, any input while crashed); undefined when it does. */
  private withoutRun(s: StackState, a: StackAction): StackState | undefined {
    switch (a.name) {
      case "crash":
        return this.State.with(s, { crashed: true, pending: NO_OUTPUTS });
      case "recover":
        // The layers hear of it (a membership layer leaves the view it was in: a restart).
        return s.crashed ? this.run(this.State.with(s, { crashed: false }), this.layers.length - 1, "below", { type: "Recover" }) : s;
      case "deliver":
      case "receive":
      case "view":
      case "block":
      case "exit":
      case "excluded":
      case "transmit":
        return this.withoutOutput(s);
    }
    return s.crashed ? s : undefined;
  }

  /** The state once its next output is out. */
  private readonly withoutOutput = (s: StackState): StackState => this.State.with(s, { pending: s.pending.length === 1 ? NO_OUTPUTS : s.pending.slice(1) });

  /** The action of an output of this process. */
  private readonly outputAction = (o: Output): StackAction => outputAction(this.rank, o);

  /** The state after input `a`, which runs the stack, in state `s` (not crashed). */
  private runInput(s: StackState, a: RunningInput): StackState {
    switch (a.name) {
      case "cast":
        return this.run(s, 0, "above", { type: "Cast", above: fromApplication(), payload: a.msg });
      case "send":
        return this.run(s, 0, "above", { type: "Send", peer: a.to, above: fromApplication(), payload: a.msg });
      case "blockOk":
        return this.run(s, 0, "above", { type: "BlockOk" });
      case "leave":
        return this.run(s, 0, "above", { type: "Leave" });
      case "prompt":
        return this.run(s, 0, "above", { type: "Prompt" });
      case "switch":
        return this.run(s, 0, "above", { type: "Switch", protocol: a.protocol });
      case "arrive": {
        const { headers, payload } = a.packet;
        const ev: Event = payload === undefined ? { type: "Arrive", peer: a.from, above: headers } : { type: "Arrive", peer: a.from, above: headers, payload };
        return this.run(s, this.layers.length - 1, "below", ev);
      }
      case "timer":
      case "tick": {
        const timer = this.timerOf(a);
        return this.run(s, timer.at, "below", timer);
      }
    }
  }

  private timerOf(a: TimerAction): StackTimer {
    // Usually the very action the stack offered.
    for (let i = 0; i < this.timers.length; i++) if (this.timers[i]!.action === a) return this.timers[i]!;
    const timer = this.timers.find((x) => x.layer === a.layer && x.name === a.timer);
    if (!timer) throw new DefinitionError(`${this.name}: layer ${a.layer} has no timer named ${a.timer}`);
    return timer;
  }

  why(s: StackState, a: StackAction): string | undefined {
    const info = this.actions.get(a.name);
    if (!info) return `${a.name} is not an action of ${this.name}`;
    if (a.p !== this.rank) return `${formatAction(a)} is not an action of ${this.name}, which owns only p = ${this.rank}`;
    const { name: _, ...params } = a;
    const problem = info.params.check(params, a.name);
    if (problem) return `parameter ${problem.path} ${problem.problem}`;
    if (info.role === "input") return undefined;
    if (s.crashed) return `process ${this.rank} has crashed`;
    const next = s.pending[0];
    if (a.name === "timer" || a.name === "tick") {
      if (next) return `the stack is still emitting ${formatAction(outputAction(this.rank, next))}`;
      const timer = this.timers.find((x) => x.layer === a.layer && x.name === a.timer);
      if (!timer || timer.action.name !== a.name) return `layer ${a.layer} has no ${a.name === "tick" ? "background " : ""}timer named ${a.timer}`;
      return timer.timer.when(s.layers[a.layer]) ? undefined : `layer ${a.layer} has no work for its timer ${a.timer}`;
    }
    if (!next) return "the stack has nothing to emit";
    const expected = outputAction(this.rank, next);
    return valuesEqual(expected as never, a as never) ? undefined : `the stack emits ${formatAction(expected)} next`;
  }

  roleOf(a: StackAction): Role | undefined {
    return a.p === this.rank ? this.actions.get(a.name)?.role : undefined;
  }

  task(a: StackAction): string {
    return a.name === "timer" || a.name === "tick" ? `${a.name}@${a.p}:${a.layer}.${a.timer}` : `${a.name}@${a.p}`;
  }

  details(a: StackAction): ActionDetails {
    const process = a.p;
    switch (a.name) {
      case "transmit":
        return { kind: "step", process, message: a.packet, ...(a.dests.size === 1 && { peer: a.dests.first()! }) };
      case "arrive":
        return { kind: "deliver", process, peer: a.from, message: a.packet };
      case "deliver":
      case "receive":
        return { kind: "step", process, peer: a.from, message: { from: a.from, msg: a.msg } };
      case "view":
        return { kind: "step", process, label: `view ${a.view.id} {${a.view.members.toArray().join(", ")}}` };
      case "timer":
      case "tick":
        return { kind: "timer", process, delay: this.timers.find((x) => x.layer === a.layer && x.name === a.timer)?.timer.delay ?? 0 };
      case "crash":
      case "recover":
        return { kind: "fault", process, fault: a.name };
      default:
        return { kind: "step", process };
    }
  }
}

/**
 * `(layers) => (whens[0](layers[timers[0].layer]) ? 1 : 0) | …`, compiled: each guard then has a
 * call site of its own, which V8 inlines, where a loop calls every layer's guard from one site
 * (and reads the layers record with a varying key).
 */
function compileTimersDue(timers: readonly StackTimer[]): (layers: StackState["layers"]) => number {
  const terms = timers.map((x, i) => `(w[${i}](r[${JSON.stringify(x.layer)}]) ? ${1 << i} : 0)`);
  const make = new Function("w", `return (r) => ${terms.join(" | ") || "0"};`) as (whens: readonly ((state: unknown) => boolean)[]) => (layers: StackState["layers"]) => number;
  return make(timers.map((x) => x.timer.when.bind(x.timer)));
}

/** `(states) => ({ [keys[0]]: states[0], … })`, compiled: one object shape for every layers record. */
function compileRecord(keys: readonly string[]): (states: readonly unknown[]) => StackState["layers"] {
  const fields = keys.map((k, i) => `${JSON.stringify(k)}: a[${i}]`);
  return new Function("a", `return { ${fields.join(", ")} };`) as (states: readonly unknown[]) => StackState["layers"];
}

/** `(record) => [record[keys[0]], …]`, compiled: no keyed loads of varying keys. */
function compileFields(keys: readonly string[]): (record: StackState["layers"]) => unknown[] {
  const reads = keys.map((k) => `r[${JSON.stringify(k)}]`);
  return new Function("r", `return [${reads.join(", ")}];`) as (record: StackState["layers"]) => unknown[];
}

function outputAction(p: number, o: Output): StackAction {
  switch (o.kind) {
    case "deliver":
      return { name: "deliver", p, from: o.from, msg: o.msg };
    case "receive":
      return { name: "receive", p, from: o.from, msg: o.msg };
    case "view":
      return { name: "view", p, view: o.view };
    case "block":
      return { name: "block", p };
    case "exit":
      return { name: "exit", p };
    case "excluded":
      return { name: "excluded", p, view: o.view };
    case "transmit":
      return { name: "transmit", p, dests: o.dests, packet: o.packet };
  }
}

function signature(types: StackTypes, rank: number, timers: readonly StackTimer[], switches: boolean): ReadonlyMap<string, ActionInfo> {
  const { group, Packet } = types;
  const { P } = group;
  const Msg = t.string();
  const info = (name: string, role: Role, params: Fields, kind: ActionInfo["kind"] = "step", marks: Pick<ActionInfo, "background" | "restartsTimers"> = {}): [string, ActionInfo] => [
    name,
    { name, role, params: t.record(params) as unknown as Type<Params>, owner: "p", ownerIds: [rank], kind, ...marks },
  ];
  const names = (values: readonly string[]) => (values.length > 0 ? t.enum(...new Set(values)) : t.enum("none"));
  const timerParams = (background: boolean) => {
    const of = timers.filter((x) => (x.action.name === "tick") === background);
    return { p: P, layer: names(of.map((x) => x.layer)), timer: names(of.map((x) => x.name)) };
  };
  const background = timers.some((x) => x.action.name === "tick");
  return new Map([
    info("cast", "input", { p: P, msg: Msg }),
    info("send", "input", { p: P, to: P, msg: Msg }),
    info("deliver", "output", { p: P, from: P, msg: Msg }),
    info("receive", "output", { p: P, from: P, msg: Msg }),
    info("view", "output", { p: P, view: group.View }, "step", { restartsTimers: true }),
    info("block", "output", { p: P }),
    info("blockOk", "input", { p: P }),
    info("leave", "input", { p: P }),
    info("prompt", "input", { p: P }),
    info("exit", "output", { p: P }),
    info("excluded", "output", { p: P, view: group.View }),
    // Only a stack that can switch protocols takes the application's request to (else every explorer would list it as never taken).
    ...(switches ? [info("switch", "input", { p: P, protocol: t.string() })] : []),
    info("transmit", "output", { p: P, dests: t.set(P), packet: Packet }),
    info("arrive", "input", { p: P, from: P, packet: Packet }, "deliver"),
    info("timer", "output", timerParams(false), "timer"),
    // Only a stack with background timers has the action (else every explorer would list it as never taken).
    ...(background ? [info("tick", "output", timerParams(true), "timer", { background: true })] : []),
    info("crash", "input", { p: P }, "fault"),
    info("recover", "input", { p: P }, "fault"),
  ]);
}

/** "a" or "an", for an event's name in a sentence. */
function article(word: string): string {
  return /^[AEIOU]/.test(word) ? "an" : "a";
}
