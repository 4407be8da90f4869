// Virtual time. A run has one clock, in whole virtual milliseconds from 0; every action takes one.
//
// Deliveries and timers wait for their time: a delivery becomes ready a latency after it became
// enabled (when its message was sent), a timer its delay after it was set. Ordinary steps are ready
// as soon as they are enabled; the scheduler chooses among everything ready, and when nothing is,
// the clock jumps to the earliest due time. A delivery that may not overtake also waits until the
// older deliveries on its channel (its process and peer) have happened.
//
// The timetable follows the enabled timed actions from step to step by their keys (values): an
// action that stays enabled keeps its due time; one that is taken and still enabled (a duplicate,
// a timer set again) arrives anew.

import { formatValue, type Action, type ActionDetails, type Value } from "../ioa/index.ts";

/** When a newly enabled delivery or timer may happen, and whether it may overtake older deliveries. */
export interface Arrival {
  readonly delay: number;
  readonly overtakes: boolean;
}

interface Timed<A> {
  readonly action: A;
  readonly details: ActionDetails;
  /** Its channel's number (deliveries between the same two processes), or -1. */
  readonly channel: number;
  /** Enabling order, for channels that deliver in order. */
  readonly seq: number;
  readonly due: number;
  readonly overtakes: boolean;
  seen: number;
}

export class Clock<A extends Action> {
  /** The virtual time. */
  now = 0;
  private readonly table = new Map<string, Timed<A>>();
  private generation = 0;
  private seq = 0;
  /** Channels by name, numbered; and the last `ready` round in which each channel's oldest delivery was met. */
  private readonly channels = new Map<string, number>();
  private readonly met: number[] = [];
  private round = 0;

  constructor(
    private readonly keyOf: (a: A) => string,
    private readonly arrival: (details: ActionDetails) => Arrival,
  ) {}

  /**
   * Brings the timetable up to date with the deliveries and timers enabled now (`facts`: their
   * keys and details, in the same order). `hidden`: steps
   * that preempt everything timed (a process's urgent outputs) hide the timers for a moment only,
   * so their clocks keep running: otherwise a timer longer than the gap between a process's
   * outputs (a heartbeat's) would restart for ever and never fire.
   */
  refresh(timed: readonly A[], facts: readonly { readonly key: string; readonly details: ActionDetails }[], hidden = false): void {
    const generation = ++this.generation;
    for (let i = 0; i < timed.length; i++) {
      const key = facts[i]!.key;
      const entry = this.table.get(key);
      if (entry) entry.seen = generation;
      else this.table.set(key, this.arrive(timed[i]!, facts[i]!.details, generation));
    }
    for (const [key, entry] of this.table) if (entry.seen !== generation && !(hidden && entry.details.kind === "timer")) this.table.delete(key);
  }

  private arrive(action: A, details: ActionDetails, seen: number): Timed<A> {
    const { delay, overtakes } = this.arrival(details);
    const channel = details.kind === "deliver" ? this.channelNumber(channelOf(action, details)) : -1;
    return { action, details, channel, seq: this.seq++, due: this.now + delay, overtakes, seen };
  }

  /**
   * Pushes the deliveries and timers that may happen now onto `out`; `held` says whether the fault
   * plan holds a delivery back (a partition in force).
   */
  ready(out: A[], held: (details: ActionDetails) => boolean): void {
    // The table holds entries in the order they arrived (seq order): a channel's oldest delivery is the first of it met.
    const round = ++this.round;
    const met = this.met;
    for (const entry of this.table.values()) {
      let oldest = false;
      if (entry.channel >= 0 && met[entry.channel] !== round) {
        met[entry.channel] = round;
        oldest = true;
      }
      if (entry.due > this.now || entry.seen !== this.generation) continue;
      if (entry.details.kind === "deliver" && ((!entry.overtakes && !oldest) || held(entry.details))) continue;
      out.push(entry.action);
    }
  }

  private channelNumber(name: string): number {
    let n = this.channels.get(name);
    if (n === undefined) this.channels.set(name, (n = this.channels.size));
    return n;
  }

  /** The earliest time after now at which a waiting delivery or timer falls due. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const entry of this.table.values()) if (entry.seen === this.generation && entry.due > this.now && (next === undefined || entry.due < next)) next = entry.due;
    return next;
  }

  /** `process` restarts its timers: those still enabled at the next refresh are set anew. */
  restartTimers(process: Value | undefined): void {
    const name = formatValue(process as Value);
    for (const [key, entry] of this.table) if (entry.details.kind === "timer" && formatValue(entry.details.process as Value) === name) this.table.delete(key);
  }

  /** The action was taken: if it is still enabled at the next refresh, it arrives anew. */
  taken(a: A): void {
    this.table.delete(this.keyOf(a));
  }
}

/** Deliveries between the same two processes share a channel; without both, the action name is the channel. */
function channelOf(a: Action, d: ActionDetails): string {
  return d.process !== undefined && d.peer !== undefined ? `${formatValue(d.peer as Value)}→${formatValue(d.process as Value)}` : a.name;
}
