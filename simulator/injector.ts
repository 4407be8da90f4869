// Carrying out a fault plan in one run: which enabled fault action to take, and when.
//
// Random faults come from the plan's rates (see fault-plan.ts) while faults are not stopped and
// the scheduler allows their type. Timed events happen at the first step at or after their time at
// which no urgent output is waiting (urgent outputs hide the faults with everything else: run.ts):
// a fault event takes an enabled fault of that type (and process); a partition takes the model's
// action that makes the split (found by the `components` of its details, or one link at a time by
// process and peer) and, until it ends, holds back every delivery between the components; at its
// end the model's heals are taken. An event the model offers no action for is recorded as missed,
// never dropped silently.

import { formatValue, Random, valuesEqual, type Action, type ActionDetails, type Value } from "../ioa/index.ts";
import type { Arrival } from "./clock.ts";
import { sample } from "./distribution.ts";
import { formatEvent, rateOf, type FaultPlan, type TimedEvent } from "./fault-plan.ts";

type PartitionEvent = Extract<TimedEvent, { kind: "partition" }>;

/** A partition of the plan, from its start to the end of its healing. */
interface Split {
  readonly event: PartitionEvent;
  /** The model's actions taken for it (a whole split, links cut, heals), by their rendering. */
  readonly taken: Set<string>;
  whole: boolean;
}

export class FaultInjector<A extends Action> {
  /** Timed events that found no matching enabled action, in words. */
  readonly missed: string[] = [];
  private readonly events: TimedEvent[];
  private next = 0;
  private starting: Split | undefined;
  private readonly splits: Split[] = [];
  private readonly healing: Split[] = [];

  constructor(
    private readonly plan: FaultPlan,
    private readonly random: Random,
    private readonly allows: (fault: string) => boolean,
    private readonly detailsOf: (a: A) => ActionDetails,
  ) {
    this.events = [...plan.events].sort((x, y) => x.at - y.at);
  }

  /** Are random faults still being injected at this time? */
  active(now: number): boolean {
    return this.plan.stop === undefined || now < this.plan.stop;
  }

  /** The latency of a delivery, or the delay of a timer, just enabled. */
  arrival(details: ActionDetails): Arrival {
    if (details.kind === "timer") return { delay: details.delay ?? this.plan.timer, overtakes: true };
    const reorder = this.plan.reorder > 0 && this.allows("reorder") && this.random.chance(this.plan.reorder);
    return { delay: sample(this.plan.latency, this.random), overtakes: reorder };
  }

  /** A fault that a timed event of the plan calls for now, if any. */
  timed(now: number, faults: readonly A[]): A | undefined {
    for (;;) {
      const heal = this.heal(now, faults);
      if (heal) return heal;
      const event = this.events[this.next];
      if (event === undefined || event.at > now) return undefined;
      if (event.kind === "partition") {
        const split = (this.starting ??= { event, taken: new Set(), whole: false });
        const cut = this.cut(split, faults);
        if (cut) return cut;
        this.splits.push(split);
        this.starting = undefined;
        this.next++;
        continue;
      }
      this.next++;
      const fault = faults.find((a) => this.matches(a, event.fault, event.process));
      if (fault) return fault;
      this.missed.push(`${formatEvent(event)}: no enabled ${event.fault} action${event.process === undefined ? "" : ` of process ${formatValue(event.process)}`} at ${now}`);
    }
  }

  /** The next model action that makes the split: one that splits as asked, else each link between the components. */
  private cut(split: Split, faults: readonly A[]): A | undefined {
    if (split.whole) return undefined;
    for (const a of faults) {
      const d = this.detailsOf(a);
      if (d.fault !== "partition") continue;
      if (d.components !== undefined) {
        if (!sameComponents(d.components, split.event.components)) continue;
        split.whole = true;
        return a;
      }
      const key = formatValue(a);
      if (separates(split.event.components, d) && !split.taken.has(key)) {
        split.taken.add(key);
        return a;
      }
    }
    return undefined;
  }

  /** Ends partitions whose time is up: the model's heals are taken one by one, then deliveries flow again. */
  private heal(now: number, faults: readonly A[]): A | undefined {
    for (let i = this.splits.length - 1; i >= 0; i--) if (this.splits[i]!.event.until <= now) this.healing.push(...this.splits.splice(i, 1));
    while (this.healing.length > 0) {
      const split = this.healing[0]!;
      const heal = faults.find((a) => {
        const d = this.detailsOf(a);
        return d.fault === "heal" && !split.taken.has(`heal ${formatValue(a)}`) && (d.process === undefined || separates(split.event.components, d));
      });
      if (heal) {
        split.taken.add(`heal ${formatValue(heal)}`);
        return heal;
      }
      this.healing.shift();
    }
    return undefined;
  }

  /** Is this delivery held back by a partition in force? */
  holds(details: ActionDetails): boolean {
    return this.splits.length > 0 && this.splits.some((split) => separates(split.event.components, details));
  }

  /** The next time after `now` at which the plan has something to do: an event, or a partition's end. */
  nextWake(now: number): number | undefined {
    let next = Infinity;
    for (const split of this.splits) if (split.event.until > now) next = Math.min(next, split.event.until);
    for (let i = this.next; i < this.events.length; i++) if (this.events[i]!.at > now) next = Math.min(next, this.events[i]!.at);
    return next === Infinity ? undefined : next;
  }

  /** A fault drawn by its per-step rate (faults that concern no message), if any. */
  drawn(now: number, faults: EnabledFaults<A>): A | undefined {
    if (faults.size === 0 || !this.active(now)) return undefined;
    const candidates = faults.firstPlainDrawn(this.draws);
    return candidates && this.random.pick(candidates);
  }

  /**
   * A fault that happens, instead of a delivery about to be taken, to its message (at the same
   * process, when both name one), if drawn by its rate.
   */
  preempt(now: number, delivery: ActionDetails, faults: EnabledFaults<A>): A | undefined {
    if (faults.size === 0 || delivery.message === undefined || !this.active(now)) return undefined;
    return faults.firstOfMessageDrawn(delivery, this.draws, this.below);
  }

  private readonly below = (n: number): number => this.random.below(n);

  private readonly draws = (fault: string): boolean => {
    const rate = rateOf(this.plan, fault);
    return rate > 0 && this.allows(fault) && this.random.chance(rate);
  };

  private matches(a: A, fault: string, process: Value | undefined): boolean {
    const d = this.detailsOf(a);
    return (d.fault ?? a.name) === fault && (process === undefined || (d.process !== undefined && valuesEqual(d.process, process)));
  }
}

/** A fault that concerns no message. */
const isPlain = (d: ActionDetails): boolean => d.message === undefined;

/** A fault of the message of this delivery (at its process, when both name one). */
const concerns = (d: ActionDetails, delivery: ActionDetails): boolean =>
  d.message !== undefined &&
  (d.process === undefined || delivery.process === undefined || valuesEqual(d.process, delivery.process)) &&
  valuesEqual(d.message, delivery.message!);

/** The enabled faults of one type, in the order they were enabled. */
interface FaultGroup<A> {
  readonly type: string;
  readonly actions: A[];
  readonly details: ActionDetails[];
  /** Those that concern no message: the faults drawn at a step by their rate. */
  readonly plain: A[];
}

/**
 * The fault actions enabled at one step, grouped by type (in name order, so that draws replay).
 * The list of faults changes only now and then (a packet sent, a fault taken), so the groups are
 * made again only when it does; no fault's details are asked for unless it is new.
 */
export class EnabledFaults<A extends Action> {
  /** How many faults are enabled now. */
  size = 0;
  /** The last non-empty list of faults, the details of each, and its groups. */
  private actions: readonly A[] = [];
  private details: ActionDetails[] = [];
  private groups: FaultGroup<A>[] = [];

  constructor(private readonly detailsOf: (a: A) => ActionDetails) {}

  /**
   * The faults enabled now. A step with none (a process's urgent outputs hide everything else)
   * keeps the groups of the last list, which usually comes back as it was; a list that changed
   * takes the details of the faults it shares with the last one from there, in order.
   */
  reset(actions: readonly A[]): void {
    this.size = actions.length;
    if (actions.length === 0 || sameObjects(actions, this.actions)) return;
    const { actions: previous, details: previousDetails } = this;
    const details: ActionDetails[] = [];
    this.groups = [];
    for (let i = 0, j = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (previous[j] !== a && previous[j + 1] === a) j++;
      const d = previous[j] === a ? previousDetails[j++]! : this.detailsOf(a);
      details.push(d);
      const group = this.groupOf(d.fault ?? a.name);
      group.actions.push(a);
      group.details.push(d);
      if (isPlain(d)) group.plain.push(a);
    }
    this.actions = actions;
    this.details = details;
  }

  /** The group of a type, made (in name order) if there is none yet. */
  private groupOf(type: string): FaultGroup<A> {
    let t = this.groups.length;
    for (; t > 0 && this.groups[t - 1]!.type >= type; t--) if (this.groups[t - 1]!.type === type) return this.groups[t - 1]!;
    const group = { type, actions: [], details: [], plain: [] };
    this.groups.splice(t, 0, group);
    return group;
  }

  /** The first type, in name order, with plain faults for which `draws` is true: its plain faults. */
  firstPlainDrawn(draws: (type: string) => boolean): readonly A[] | undefined {
    for (const group of this.groups) if (group.plain.length > 0 && draws(group.type)) return group.plain;
    return undefined;
  }

  /**
   * The first type, in name order, with faults of the delivery's message for which `draws` is true:
   * the one of them `pick` chooses, given how many there are.
   */
  firstOfMessageDrawn(delivery: ActionDetails, draws: (type: string) => boolean, pick: (n: number) => number): A | undefined {
    for (const group of this.groups) {
      let n = 0;
      for (const d of group.details) if (concerns(d, delivery)) n++;
      if (n === 0 || !draws(group.type)) continue;
      let k = pick(n);
      for (let i = 0; i < group.actions.length; i++) if (concerns(group.details[i]!, delivery) && k-- === 0) return group.actions[i];
    }
    return undefined;
  }
}

function sameObjects<X>(xs: readonly X[], ys: readonly X[]): boolean {
  if (xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i++) if (xs[i] !== ys[i]) return false;
  return true;
}

function componentOf(components: readonly (readonly Value[])[], p: Value): number {
  return components.findIndex((c) => c.some((q) => valuesEqual(q, p)));
}

/** Do the process and peer of these details sit in different components? */
function separates(components: readonly (readonly Value[])[], d: ActionDetails): boolean {
  if (d.process === undefined || d.peer === undefined) return false;
  const a = componentOf(components, d.process);
  const b = componentOf(components, d.peer);
  return a >= 0 && b >= 0 && a !== b;
}

function sameComponents(x: readonly (readonly Value[])[], y: readonly (readonly Value[])[]): boolean {
  const key = (cs: readonly (readonly Value[])[]) => cs.map((c) => c.map((p) => formatValue(p)).sort().join(",")).sort().join("|");
  return key(x) === key(y);
}
