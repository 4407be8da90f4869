// Stacks of a group driven in virtual time, for tests that script a run: each process's stack is
// run as a host runs it (every input drained at once; the application answers a block at once), a
// timer fires its delay after it became due (and stayed due), packets arrive in the order sent
// after 1 ms, and the test cuts the network, crashes and restarts processes, and makes members
// leave or ask for a view change.

import { ISet, range } from "../../ioa/index.ts";
import type { ViewValue } from "../../layers/event.ts";
import type { Packet } from "../../layers/message.ts";
import type { Stack, StackAction, StackDefinition, StackState } from "../../layers/stack.ts";

type Timer = Extract<StackAction, { name: "timer" | "tick" }>;

export interface Recorded {
  /** The views installed, in order. */
  readonly views: ViewValue[];
  /** Per view id, the casts delivered in it, as "from:msg" (the start view's id included). */
  readonly delivered: Map<number, string[]>;
  exited: boolean;
  readonly excluded: ViewValue[];
}

export class VirtualGroup {
  readonly stacks: Stack[];
  readonly states: StackState[];
  readonly recorded: Recorded[];
  now = 0;
  private flights: { at: number; from: number; to: number; packet: Packet }[] = [];
  /** Per process, when each of its offered timers became due. */
  private readonly due: Map<string, { at: number; action: Timer }>[];
  private sides: ISet<number>[] = [];
  private readonly down = new Set<number>();

  constructor(definition: StackDefinition, n: number, start: (p: number) => ViewValue) {
    this.stacks = range(n).map((p) => definition.build(n, p, start(p)));
    this.states = this.stacks.map((s) => s.startStates()[0]!);
    this.recorded = range(n).map(() => ({ views: [], delivered: new Map(), exited: false, excluded: [] }));
    this.due = range(n).map(() => new Map());
    range(n).forEach((p) => this.drain(p));
  }

  /** p's current view. */
  view(p: number): ViewValue {
    return this.states[p]!.view;
  }

  cast(p: number, msg: string): void {
    this.input(p, { name: "cast", p, msg });
  }

  leave(p: number): void {
    this.input(p, { name: "leave", p });
  }

  prompt(p: number): void {
    this.input(p, { name: "prompt", p });
  }

  /** Cuts the network into these sides (packets between sides are lost); none: whole again. */
  partition(...sides: number[][]): void {
    this.sides = sides.map((side) => ISet.from(side));
  }

  /** Stops p (SIGSTOP): it takes no input and fires no timer, and packets to it are lost, until `resume`. */
  stop(p: number): void {
    this.down.add(p);
  }

  resume(p: number): void {
    this.down.delete(p);
    this.due[p]!.clear();
    this.sync(p);
  }

  /** Runs `ms` milliseconds of virtual time. */
  run(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const flight = this.flights[0];
      const timer = this.nextTimer();
      const at = Math.min(flight?.at ?? Infinity, timer?.at ?? Infinity);
      if (at > end) break;
      this.now = at;
      if (flight && flight.at === at) {
        this.flights.shift();
        if (!this.down.has(flight.to) && this.connected(flight.from, flight.to)) this.input(flight.to, { name: "arrive", p: flight.to, from: flight.from, packet: flight.packet });
      } else if (timer) {
        this.due[timer.p]!.delete(key(timer.action));
        this.input(timer.p, timer.action);
      }
    }
    this.now = end;
  }

  private connected(a: number, b: number): boolean {
    return this.sides.length === 0 || this.sides.some((side) => side.has(a) === side.has(b));
  }

  private nextTimer(): { p: number; at: number; action: Timer } | undefined {
    let best: { p: number; at: number; action: Timer } | undefined;
    this.due.forEach((timers, p) => {
      if (this.down.has(p)) return;
      for (const t of timers.values()) if (!best || t.at < best.at) best = { p, ...t };
    });
    return best;
  }

  private input(p: number, a: StackAction): void {
    if (this.down.has(p) || this.recorded[p]!.exited) return;
    this.states[p] = this.stacks[p]!.step(this.states[p]!, a);
    this.drain(p);
  }

  /** Takes p's outputs as a host does, the application answering a block at once; then re-arms its timers. */
  private drain(p: number): void {
    const stack = this.stacks[p]!;
    const rec = this.recorded[p]!;
    let blocked = false;
    let view = this.states[p]!.view;
    while (this.states[p]!.pending.length > 0) {
      const { outputs, state } = stack.drain(this.states[p]!);
      this.states[p] = state;
      for (const o of outputs) {
        if (o.kind === "transmit") for (const to of o.dests) this.flights.push({ at: this.now + 1, from: p, to, packet: o.packet });
        if (o.kind === "view") rec.views.push((view = o.view));
        if (o.kind === "deliver") rec.delivered.set(view.id, [...(rec.delivered.get(view.id) ?? []), `${o.from}:${o.msg}`]);
        if (o.kind === "exit") rec.exited = true;
        if (o.kind === "excluded") rec.excluded.push(o.view);
        if (o.kind === "block") blocked = true;
      }
      if (blocked) {
        blocked = false;
        this.states[p] = stack.step(this.states[p]!, { name: "blockOk", p });
      }
    }
    this.sync(p);
  }

  private sync(p: number): void {
    const offered: StackAction[] = [];
    this.stacks[p]!.enabled(this.states[p]!, offered);
    const timers = this.due[p]!;
    const now = new Set<string>();
    for (const a of offered) {
      if (a.name !== "timer" && a.name !== "tick") continue;
      now.add(key(a));
      if (!timers.has(key(a))) timers.set(key(a), { at: this.now + (this.stacks[p]!.details(a).delay ?? 0), action: a });
    }
    for (const k of [...timers.keys()]) if (!now.has(k)) timers.delete(k);
  }
}

const key = (a: Timer) => `${a.layer}.${a.timer}`;
