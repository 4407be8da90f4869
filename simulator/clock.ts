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
// a timer set again) arrives anew. Models hand out the same action objects from step to step, so
// the timetable first matches this step's list against the last one's, object by object, and asks
// for the key and details of an action only when it is new.

import { formatValue, type Action, type ActionDetails, type Value } from "../ioa/index.ts";

/** When a newly enabled delivery or timer may happen, and whether it may overtake older deliveries. */
export interface Arrival {
  readonly delay: number;
  readonly overtakes: boolean;
}

/** What the timetable needs to know of an action it meets for the first time. */
export interface TimedFacts {
  readonly key: string;
  readonly details: ActionDetails;
}

interface Timed<A> {
  readonly action: A;
  readonly key: string;
  readonly details: ActionDetails;
  /** Its channel's number (deliveries between the same two processes), or -1. */
  readonly channel: number;
  readonly due: number;
  readonly overtakes: boolean;
  /** The last refresh that found it enabled. */
  seen: number;
  /** Still in the timetable (not taken, restarted, or gone). */
  live: boolean;
}

export class Clock<A extends Action> {
  /** The virtual time. */
  now = 0;
  private readonly byKey = new Map<string, Timed<A>>();
  /** The entries in the order they arrived; entries no longer live leave at the next refresh. */
  private entries: Timed<A>[] = [];
  private generation = 0;
  /** The last non-empty list refreshed, and the entry of each of its actions. */
  private previous: readonly A[] = [];
  private previousEntries: Timed<A>[] = [];
  /** Channels numbered: by peer and process, or by name; and the last `ready` round in which each channel's oldest delivery was met. */
  private readonly between = new Map<Value, Map<Value, number>>();
  private readonly named = new Map<string, number>();
  private channelCount = 0;
  private readonly met: number[] = [];
  private round = 0;

  constructor(
    private readonly factsOf: (a: A) => TimedFacts,
    private readonly arrival: (details: ActionDetails) => Arrival,
  ) {}

  /** Brings the timetable up to date with the deliveries and timers enabled now. */
  refresh(timed: readonly A[]): void {
    const generation = ++this.generation;
    let seen = 0;
    if (timed.length > 0) {
      const { previous, previousEntries } = this;
      const current: Timed<A>[] = [];
      for (let i = 0, j = 0; i < timed.length; i++) {
        const a = timed[i]!;
        if (previous[j] !== a && previous[j + 1] === a) j++;
        let entry = previous[j] === a ? previousEntries[j++] : undefined;
        if (entry === undefined || !entry.live) entry = this.entry(a);
        if (entry.seen !== generation) {
          entry.seen = generation;
          seen++;
        }
        current.push(entry);
      }
      this.previous = timed;
      this.previousEntries = current;
    }
    if (seen < this.entries.length) this.entries = this.entries.filter((entry) => this.keeps(entry, generation));
  }

  /**
   * Urgent steps (a process's outputs leaving during its run) hide every delivery and timer for a
   * moment: they keep their places and due times, and none is ready until they show again.
   * Otherwise each burst of outputs anywhere would start every latency and timer afresh, and a
   * timer longer than the gap between bursts (a heartbeat's) would never fire.
   */
  hide(): void {
    this.generation++;
  }

  /** The live entry of an action not matched by object: the one with its key, else a new arrival. */
  private entry(a: A): Timed<A> {
    const { key, details } = this.factsOf(a);
    let entry = this.byKey.get(key);
    if (entry === undefined) {
      const { delay, overtakes } = this.arrival(details);
      const channel = details.kind === "deliver" ? this.channelOf(a, details) : -1;
      entry = { action: a, key, details, channel, due: this.now + delay, overtakes, seen: 0, live: true };
      this.byKey.set(key, entry);
      this.entries.push(entry);
    }
    return entry;
  }

  /** Does the entry stay after a refresh: live, and enabled now? */
  private keeps(entry: Timed<A>, generation: number): boolean {
    if (entry.live && entry.seen === generation) return true;
    this.remove(entry);
    return false;
  }

  private remove(entry: Timed<A>): void {
    if (!entry.live) return;
    entry.live = false;
    this.byKey.delete(entry.key);
  }

  /**
   * Pushes the deliveries and timers that may happen now onto `out`; `held` says whether the fault
   * plan holds a delivery back (a partition in force).
   */
  ready(out: A[], held: (details: ActionDetails) => boolean): void {
    // The entries are in the order they arrived: a channel's oldest delivery is the first of it met.
    const round = ++this.round;
    const { met, entries } = this;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      let oldest = false;
      if (entry.channel >= 0 && met[entry.channel] !== round) {
        met[entry.channel] = round;
        oldest = true;
      }
      if (entry.due > this.now || entry.seen !== this.generation) continue;
      if (entry.channel >= 0 && ((!entry.overtakes && !oldest) || held(entry.details))) continue;
      out.push(entry.action);
    }
  }

  /**
   * The number of a delivery's channel: deliveries between the same two processes share one;
   * without both, the action name is the channel. Processes named by numbers or strings are looked
   * up as they are, others by their rendering.
   */
  private channelOf(a: A, d: ActionDetails): number {
    const { process, peer } = d;
    if (process === undefined || peer === undefined) return this.channelNumber(this.named, a.name);
    if (typeof process === "object" || typeof peer === "object") return this.channelNumber(this.named, `${formatValue(peer)}→${formatValue(process)}`);
    let from = this.between.get(peer);
    if (from === undefined) this.between.set(peer, (from = new Map()));
    return this.channelNumber(from, process);
  }

  private channelNumber<K>(channels: Map<K, number>, key: K): number {
    let n = channels.get(key);
    if (n === undefined) channels.set(key, (n = this.channelCount++));
    return n;
  }

  /** The earliest time after now at which a waiting delivery or timer falls due. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const entry of this.entries) if (entry.seen === this.generation && entry.due > this.now && (next === undefined || entry.due < next)) next = entry.due;
    return next;
  }

  /** `process` restarts its timers: those still enabled at the next refresh are set anew. */
  restartTimers(process: Value | undefined): void {
    const name = formatValue(process as Value);
    for (const entry of this.entries) if (entry.details.kind === "timer" && formatValue(entry.details.process as Value) === name) this.remove(entry);
  }

  /** The action was taken: if it is still enabled at the next refresh, it arrives anew. */
  taken(a: A): void {
    const entry = this.byKey.get(this.factsOf(a).key);
    if (entry !== undefined) this.remove(entry);
  }
}
