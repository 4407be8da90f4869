// Hosting a stack automaton in a process: the very object the checker explores, driven by real
// inputs. Each input — a cast or a send from the application, a packet from the network, a timer —
// is one `step`; then the host takes the outputs the run left, all at once (`Stack.drain`: the
// state is the one taking them one by one, as the automaton offers them, would leave), and hands
// each, in order, to the application or the network. When the stack offers a layer's timer, the
// host arms a real timer for the layer's delay (a delay of 0: the next turn of the event loop), and
// disarms it if the stack stops offering it first; when it goes off, it fires the timer input. A
// background timer goes off at once the first time it is due; a timer that goes off long after it
// was due (the process stalled) waits its delay again, once.
//
// A step is pure: if the stack throws on an input (a packet a layer cannot take), its state is as
// it was before, and the host counts the refusal and carries on.

import type { View } from "../specs/group.ts";
import type { Packet } from "../layers/message.ts";
import type { Output, Stack, StackAction, StackState } from "../layers/stack.ts";
import { ISet } from "../ioa/index.ts";

/** Where the stack's outputs go. */
export interface HostOutputs {
  deliver(from: number, msg: string): void;
  receive(from: number, msg: string): void;
  view(view: View): void;
  /** The stack asks the application to stop casting for a view change: it answers with `Host.blockOk`. */
  block(): void;
  /** A newer view, of members of this process's view, left it out (it rejoins by itself). */
  excluded(view: View): void;
  /** After a leave: the group installed a view without this process; the stack does nothing more. */
  exit(): void;
  transmit(dests: ISet<number>, packet: Packet): void;
  /** A run and the outputs it caused are done (the place to flush what was transmitted). */
  ranToCompletion(): void;
  /** The stack refused an input by throwing; its state is unchanged. */
  refused(error: unknown, input: StackAction): void;
  /** A timer went off after this process stalled, and waits its delay again (see Host.fire). */
  stalled?(): void;
  /** The failure detector came to suspect `members` (of the current view; each once a view). */
  suspected?(members: ISet<number>): void;
}

export interface HostOptions {
  /** Real milliseconds per millisecond of a layer's timer delay (default 1). */
  readonly timerScale?: number;
  /** Where the stack's layers keep the members its failure detector suspects (for `HostOutputs.suspected`). */
  readonly suspicions?: (layers: StackState["layers"]) => ISet<number> | undefined;
  /** Called before every input the stack takes: where the application's held casts go in first (a member's packed casts). */
  readonly beforeInput?: () => void;
}

type TimerAction = Extract<StackAction, { name: "timer" | "tick" }>;

export class Host {
  private current: StackState;
  private readonly rank: number;
  private readonly offered: StackAction[] = [];
  /** The real timers armed, by the stack's timer action (the stack offers one action object per layer timer). */
  private readonly timers = new Map<TimerAction, Armed>();
  /** The layers' states the timers were last synced with. */
  private syncedLayers: StackState["layers"] | undefined;
  /** The timers due after the last run (reused). */
  private readonly due = new Set<TimerAction>();
  /** The background timers armed since the stack started. */
  private readonly ticked = new Set<TimerAction>();
  /** The view the armed timers were set in. */
  private timersView: number;
  /** A sync of the timers is queued for the end of the current task. */
  private syncQueued = false;
  private readonly syncQueuedTimers = () => {
    this.syncQueued = false;
    if (this.current.layers !== this.syncedLayers) this.syncTimers();
  };
  private readonly suspicions: HostOptions["suspicions"];
  private readonly beforeInput: HostOptions["beforeInput"];
  /** The suspicions last reported, and the view they were of (none yet: no view). */
  private reported: { view: number; suspects: ISet<number> } = { view: -1, suspects: ISet.empty() };
  private readonly timerScale: number;
  private draining = false;
  private closed = false;

  constructor(
    readonly stack: Stack,
    private readonly outputs: HostOutputs,
    options: HostOptions = {},
  ) {
    this.current = stack.startStates()[0]!;
    this.rank = stack.rank;
    this.timerScale = options.timerScale ?? 1;
    this.suspicions = options.suspicions;
    this.beforeInput = options.beforeInput;
    this.timersView = this.current.view.id;
    this.syncTimers();
  }

  /** The stack's state (a value of `stack.stateType`). */
  get state(): StackState {
    return this.current;
  }

  cast(msg: string): boolean {
    return this.input({ name: "cast", p: this.rank, msg });
  }

  send(to: number, msg: string): boolean {
    return this.input({ name: "send", p: this.rank, to, msg });
  }

  /** The application has stopped casting, as the stack asked (a `block` output). */
  blockOk(): boolean {
    return this.input({ name: "blockOk", p: this.rank });
  }

  /** The application leaves the group (the stack says `exit` once the others have a view without it). */
  leave(): boolean {
    return this.input({ name: "leave", p: this.rank });
  }

  /** The application asks for a view change with the same members. */
  prompt(): boolean {
    return this.input({ name: "prompt", p: this.rank });
  }

  /** Hands over what the stack's start state holds for the application (a joiner's start view). */
  start(): void {
    if (!this.closed) this.drain();
  }

  /** The application asks the group to run `protocol` from the next view on (stacks that switch protocols). */
  switchProtocol(protocol: string): boolean {
    return this.input({ name: "switch", p: this.rank, protocol });
  }

  /** A packet from member `from`; false when the stack refused it. */
  arrive(from: number, packet: Packet): boolean {
    return this.input({ name: "arrive", p: this.rank, from, packet });
  }

  /** Stops the timers; inputs after this are ignored. */
  close(): void {
    this.closed = true;
    this.disarmAll();
  }

  /** Tells of the members the failure detector suspects that it did not suspect before in this view. */
  private reportSuspicions(): void {
    const suspects = this.suspicions!(this.current.layers);
    const view = this.current.view.id;
    const before = this.reported;
    if (suspects === undefined || (suspects === before.suspects && view === before.view)) return;
    this.reported = { view, suspects };
    const fresh = view === before.view ? suspects.difference(before.suspects) : suspects;
    if (fresh.size > 0) this.outputs.suspected?.(fresh);
  }

  private disarmAll(): void {
    for (const timer of this.timers.values()) disarm(timer);
    this.timers.clear();
  }

  private input(a: StackAction): boolean {
    if (this.closed) return false;
    this.beforeInput?.();
    try {
      this.current = this.stack.takeOnce(this.current, a);
    } catch (e) {
      this.outputs.refused(e, a);
      return false;
    }
    // Before the outputs: one of them may lead to a view (the application's blockOk, at once), where the suspicions start afresh.
    if (this.suspicions !== undefined) this.reportSuspicions();
    this.drain();
    return true;
  }

  /** Takes every pending output in order; an output's handler may give the stack new inputs (they queue behind). */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.current.pending.length > 0) {
        const { outputs, state } = this.stack.drain(this.current);
        this.current = state;
        for (const o of outputs) this.emit(o);
      }
    } finally {
      this.draining = false;
    }
    // The timers offered depend on the layers' states alone: a run that changed none (most packets
    // that repeat what a layer has) leaves them as they were. They are synced once the current task
    // (a datagram of many packets, a burst of casts) is done rather than after every input: a
    // timer due and no longer due within one task was never due for long, and one that became due
    // is armed a few microseconds later.
    if (this.current.layers !== this.syncedLayers && !this.syncQueued) {
      this.syncQueued = true;
      queueMicrotask(this.syncQueuedTimers);
    }
    this.outputs.ranToCompletion();
  }

  private emit(o: Output): void {
    switch (o.kind) {
      case "transmit":
        this.outputs.transmit(o.dests, o.packet);
        return;
      case "deliver":
        this.outputs.deliver(o.from, o.msg);
        return;
      case "receive":
        this.outputs.receive(o.from, o.msg);
        return;
      case "view":
        this.outputs.view(o.view);
        return;
      case "block":
        this.outputs.block();
        return;
      case "excluded":
        this.outputs.excluded(o.view);
        return;
      case "exit":
        this.outputs.exit();
        return;
    }
  }

  /**
   * Arms a real timer for each layer timer the stack offers now, and disarms those it no longer
   * offers: a timer fires its delay after it became due and stayed due (a failure detector's
   * `suspect` is due only while some member is unheard; a heartbeat arriving in time cancels it).
   * A new view's stack starts its timers afresh, as Ensemble builds a new stack per view: a
   * failure detector's `silent`, set at the start of the old view, would otherwise go off as soon
   * as the new one is installed and suspect every member of it.
   */
  private syncTimers(): void {
    if (this.closed) return;
    if (this.current.view.id !== this.timersView) {
      this.timersView = this.current.view.id;
      this.disarmAll();
    }
    this.syncedLayers = this.current.layers;
    const offered = this.offered;
    offered.length = 0;
    this.stack.enabled(this.current, offered);
    const due = this.due;
    due.clear();
    for (const a of offered) {
      if (a.name !== "timer" && a.name !== "tick") continue;
      due.add(a);
      if (this.timers.has(a)) continue;
      const delay = this.firstTick(a) ? 0 : (this.stack.details(a).delay ?? 0) * this.timerScale;
      const dueAt = performance.now() + delay;
      this.timers.set(a, arm(() => this.fire(a, delay, dueAt), delay));
    }
    if (due.size === this.timers.size) return;
    for (const [a, timer] of this.timers) {
      if (due.has(a)) continue;
      disarm(timer);
      this.timers.delete(a);
    }
  }

  /**
   * Is `a` a background timer armed for the first time since the stack started? It goes off at
   * once: a joiner, alone in its first view, gossips it to the group (HEAL) at once instead of a
   * period later — the merge that admits it began 0–1 s after it was welcomed, 500 ms on average.
   * (The models fire timers at any moment: this is one of the schedules they cover.) Only in the
   * start view: after every view change, the gossip of the views that partitions and exclusions
   * make, each going out at once, set off storms of merges and exclusions under load (thousands
   * of views in a minute, where the period spaces them a second apart).
   */
  private firstTick(a: TimerAction): boolean {
    if (a.name !== "tick" || this.ticked.has(a)) return false;
    this.ticked.add(a);
    return true;
  }

  /**
   * Timer `a`, armed for `delay` ms, goes off (it was due at `due`). One that goes off more than
   * its delay late (and STALL_MS at least) went off after this process stalled — no CPU for a
   * while, on a loaded machine — and measured time the process could not watch: it waits its
   * delay again, once, so that a failure detector first takes the heartbeats that arrived during
   * the stall and wait unread in the socket, rather than suspect every member that sent them.
   * Background timers (heartbeats) go off at once: the others are waiting to hear from this one.
   */
  private fire(a: TimerAction, delay: number, due: number): void {
    if (a.name === "timer" && due !== STALLED && performance.now() - due > Math.max(delay, STALL_MS)) {
      this.timers.set(a, arm(() => this.fire(a, delay, STALLED), delay));
      this.outputs.stalled?.();
      return;
    }
    this.timers.delete(a);
    if (this.stack.why(this.current, a) === undefined) this.input(a);
    // Whatever the run changed: the timer that fired is disarmed, and is armed again if still due.
    this.syncTimers();
  }
}

/** How late a timer may go off, at least, before its process is taken to have stalled (ms). */
export const STALL_MS = 50;

/** The due time of a timer armed again after a stall: it goes off when it goes off. */
const STALLED = -1;

/** A real timer: a timeout, or an immediate for a delay of 0. */
type Armed = NodeJS.Timeout | NodeJS.Immediate;

/**
 * Calls `f` after `delay` ms. A delay of 0 means "once the inputs at hand are taken": the next turn
 * of the event loop, after the datagrams already received (setImmediate), not a timeout, which
 * Node never runs sooner than 1 ms later.
 */
function arm(f: () => void, delay: number): Armed {
  return delay === 0 ? setImmediate(f) : setTimeout(f, delay);
}

function disarm(timer: Armed): void {
  if ("refresh" in timer) clearTimeout(timer);
  else clearImmediate(timer);
}
