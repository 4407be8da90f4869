// One run of the simulator: a random execution under a scheduler and a fault plan, reproducible
// from its seed, with the model's properties checked at every step.
//
// A run is a sequence of recorded choices — each action taken, when, and why (the scheduler chose
// it, a fault drawn by its rate, a timed event of the plan). Replaying the choices takes them again
// in order, skipping any that is not enabled where it comes: that is what lets the shrinker remove
// choices from a failing run and ask whether what is left still fails.
//
// At each step: the timed events of the plan that are due come first; otherwise the candidates are
// the enabled steps and the deliveries and timers whose time has come (clock.ts); a fault may be
// drawn by its rate; else the scheduler picks a candidate, and a message fault may happen to a
// chosen delivery instead. When nothing is ready the clock jumps to the next due time or event; when
// nothing but faults is enabled and the plan has nothing left to do, the run ends quiescent and the
// properties judged at quiescence are checked.

import {
  formatAction,
  formatValue,
  Random,
  valuesEqual,
  type Action,
  type ActionDetails,
  type ActionKind,
  type Automaton,
  type Execution,
  type Properties,
} from "../ioa/index.ts";
import { ActionKeys } from "./action-keys.ts";
import { Clock } from "./clock.ts";
import { DEFAULT_PLAN, type FaultPlan } from "./fault-plan.ts";
import { EnabledFaults, FaultInjector } from "./injector.ts";
import { MODEL_ERROR, PropertyChecker, type Failure } from "./properties.ts";
import type { CandidateView, Scheduler } from "./scheduler.ts";
import { randomScheduler } from "./schedulers/random.ts";

/** Why an action was taken. */
export type Cause = "scheduler" | "rate" | "plan" | "settle";

export interface Choice<A extends Action = Action> {
  readonly action: A;
  /** The virtual time it happened at. */
  readonly time: number;
  /** The scheduler chose it; a fault drawn by its rate; a timed event of the plan; settling a shrunk run. */
  readonly cause: Cause;
  /** A message fault: the delivery the scheduler had chosen, which the fault happened to instead. */
  readonly instead?: A;
}

/** How a run ended: at its step bound, quiescent (nothing but faults enabled, the plan done), or at a failure. */
export type Ending = "steps" | "quiescent" | "violation";

export interface Run<S, A extends Action> {
  readonly seed: number;
  readonly execution: Execution<S, A>;
  /** One per action of the execution. */
  readonly choices: readonly Choice<A>[];
  readonly ended: Ending;
  readonly failure?: Failure;
  /** The goals (sometimes properties) the run reached. */
  readonly goals: readonly string[];
  /** Timed events of the plan that found nothing to act on. */
  readonly missed: readonly string[];
}

export interface SimulationOptions<S, A extends Action> {
  readonly automaton: Automaton<S, A>;
  readonly properties?: Properties<S, A>;
  /** The fault plan (default: DEFAULT_PLAN). */
  readonly plan?: FaultPlan;
  /** The scheduler (default: uniform random). */
  readonly scheduler?: Scheduler;
  /** Each run takes at most this many actions (default 1000). */
  readonly steps?: number;
}

export const DEFAULT_STEPS = 1000;

/** A model set up for simulation: runs from seeds, and replays of recorded choices. */
export class Simulation<S, A extends Action> {
  readonly automaton: Automaton<S, A>;
  readonly plan: FaultPlan;
  readonly scheduler: Scheduler;
  readonly steps: number;
  readonly checker: PropertyChecker<S, A>;
  private readonly kinds: ReadonlyMap<string, ActionKind>;
  readonly detailsOf: (a: A) => ActionDetails;
  private readonly facts: ActionFacts<S, A>;
  private readonly keys: ActionKeys<A>;

  constructor(options: SimulationOptions<S, A>) {
    this.automaton = options.automaton;
    this.plan = options.plan ?? DEFAULT_PLAN;
    this.scheduler = options.scheduler ?? randomScheduler;
    this.steps = options.steps ?? DEFAULT_STEPS;
    this.checker = new PropertyChecker(options.automaton, options.properties ?? {});
    this.kinds = new Map([...options.automaton.actions].map(([name, info]) => [name, info.kind]));
    this.keys = new ActionKeys(options.automaton);
    const facts = new ActionFacts(options.automaton, this.keys);
    this.facts = facts;
    this.detailsOf = (a) => facts.of(a).details;
  }

  kindOf(a: A): ActionKind {
    return this.kinds.get(a.name) ?? "step";
  }

  /** The thread of control an action belongs to: its process, else its fairness task. */
  threadOf(a: A): string {
    const facts = this.facts.of(a);
    if (facts.thread === undefined) {
      const process = facts.details.process;
      facts.thread = process === undefined ? `task ${this.automaton.task(a)}` : `process ${formatValue(process)}`;
    }
    return facts.thread;
  }

  /** One run from `seed`: the same seed gives the same run. */
  run(seed: number): Run<S, A> {
    const random = runRandom(seed);
    const scheduler = this.scheduler.begin({ random: random.fork(), steps: this.steps });
    const allows = (fault: string) => scheduler.allowsFault?.(fault) ?? true;
    const injector = new FaultInjector<A>(this.plan, random.fork(), allows, this.detailsOf);
    const clock = new Clock<A>((a) => this.keys.key(a), this.detailsOf, (d) => injector.arrival(d));
    const held = (d: ActionDetails) => injector.holds(d);
    const starts = this.automaton.startStates();
    const trail = new Trail(this, starts[random.below(starts.length)]!);
    const view: CandidateView<A> = {
      thread: (a) => this.threadOf(a),
      details: this.detailsOf,
      get step() {
        return trail.actions.length;
      },
      get now() {
        return clock.now;
      },
    };
    const enabled: A[] = [];
    const candidates: A[] = [];
    const timed: A[] = [];
    const faults: A[] = [];
    let quiescent = false;
    while (trail.failure === undefined && trail.actions.length < this.steps) {
      if (!trail.enabled(enabled)) break;
      candidates.length = timed.length = faults.length = 0;
      for (const a of enabled) {
        const kind = this.kindOf(a);
        (kind === "step" ? candidates : kind === "fault" ? faults : timed).push(a);
      }
      clock.refresh(timed);
      const enabledFaults = new EnabledFaults(faults, this.detailsOf);
      let action = injector.timed(clock.now, faults);
      let cause: Cause = "plan";
      if (action === undefined) {
        clock.ready(candidates, held);
        if (candidates.length === 0) {
          const wake = earliest(clock.nextDue(), injector.nextWake(clock.now));
          if (wake !== undefined) {
            clock.now = wake;
            continue;
          }
          action = this.repairIn(faults);
          if (action === undefined) {
            quiescent = true;
            break;
          }
          trail.take(action, clock.now, { cause: "plan" });
          clock.now += 1;
          continue;
        }
        action = injector.drawn(clock.now, enabledFaults);
        cause = "rate";
        if (action === undefined) {
          const chosen = candidates[scheduler.choose(candidates, view)]!;
          const preempted = this.kindOf(chosen) === "deliver" ? injector.preempt(clock.now, this.detailsOf(chosen), enabledFaults) : undefined;
          if (preempted) {
            trail.take(preempted, clock.now, { cause: "rate", instead: chosen });
            clock.now += 1;
            continue;
          }
          action = chosen;
          cause = "scheduler";
        }
      }
      if (this.kindOf(action) === "deliver" || this.kindOf(action) === "timer") clock.taken(action);
      trail.take(action, clock.now, { cause });
      clock.now += 1;
    }
    return trail.finish(seed, quiescent, injector.missed);
  }

  /** A fault that repairs (heal, by default) among those enabled, for a run that has settled. */
  private repairIn(faults: readonly A[]): A | undefined {
    return this.plan.repair.length === 0 ? undefined : faults.find((a) => this.kindOf(a) === "fault" && this.plan.repair.includes(this.detailsOf(a).fault ?? a.name));
  }

  /**
   * Takes `choices` in order from `start`, skipping those not enabled where they come. The replay
   * ends quiescent when then nothing but faults is enabled and no repair is. With `settle`, it first
   * runs on to quiescence (at most `settleSteps` more, by default the step bound) in the plainest order — always the action
   * enabled longest, else a repair — so that a run shrunk for a failure at quiescence still ends
   * quiescent, and its remaining choices are the ones that depart from that order.
   */
  replay(start: S, choices: readonly Choice<A>[], seed: number, options: { settle?: boolean; settleSteps?: number } = {}): Run<S, A> {
    const trail = new Trail(this, start);
    const enabled: A[] = [];
    const seniority = options.settle ? new Seniority<A>((a) => this.keys.key(a)) : undefined;
    const take = (a: A, time: number, why: Pick<Choice<A>, "cause" | "instead">) => {
      seniority?.taken(a);
      trail.take(a, time, why);
    };
    for (const choice of choices) {
      if (trail.failure !== undefined || !trail.enabled(enabled)) break;
      seniority?.update(enabled, trail.actions.length);
      if (enabled.some((a) => valuesEqual(a, choice.action))) take(choice.action, choice.time, choice);
    }
    let quiescent = false;
    let time = choices.at(-1)?.time ?? 0;
    for (let extra = 0; trail.failure === undefined && trail.enabled(enabled); extra++) {
      seniority?.update(enabled, trail.actions.length);
      const steps = enabled.filter((a) => this.kindOf(a) !== "fault");
      const next = (steps.length > 0 ? (seniority?.oldest(steps) ?? steps[0]) : undefined) ?? this.repairIn(enabled);
      quiescent = next === undefined;
      if (quiescent || !options.settle || extra === (options.settleSteps ?? this.steps)) break;
      take(next!, ++time, { cause: "settle" });
    }
    return trail.finish(seed, quiescent, []);
  }
}

/** Since which step each enabled action has been enabled (an action taken and still enabled starts again). */
class Seniority<A extends Action> {
  private readonly since = new Map<string, number>();
  private generation = 0;
  private readonly seen = new Map<string, number>();

  constructor(private readonly keyOf: (a: A) => string) {}

  update(enabled: readonly A[], step: number): void {
    const generation = ++this.generation;
    for (const a of enabled) {
      const key = this.keyOf(a);
      this.seen.set(key, generation);
      if (!this.since.has(key)) this.since.set(key, step);
    }
    for (const [key, g] of this.seen) {
      if (g === generation) continue;
      this.seen.delete(key);
      this.since.delete(key);
    }
  }

  taken(a: A): void {
    this.since.delete(this.keyOf(a));
  }

  /** The candidate enabled longest; the first such in enabling order on a tie. */
  oldest(candidates: readonly A[]): A | undefined {
    let best: A | undefined;
    let bestSince = Infinity;
    for (const a of candidates) {
      const since = this.since.get(this.keyOf(a)) ?? Infinity;
      if (since < bestSince) {
        best = a;
        bestSince = since;
      }
    }
    return best;
  }
}

/** The execution and choices of a run so far, with the properties checked as it grows. */
class Trail<S, A extends Action> {
  readonly states: S[];
  readonly actions: A[] = [];
  readonly choices: Choice<A>[] = [];
  failure: Failure | undefined;

  constructor(
    private readonly simulation: Simulation<S, A>,
    start: S,
  ) {
    this.states = [start];
    this.failure = guard(0, undefined, () => simulation.checker.begin(start));
  }

  get state(): S {
    return this.states[this.states.length - 1]!;
  }

  /** Fills `out` with the enabled actions; false if the model threw (a failure). */
  enabled(out: A[]): boolean {
    out.length = 0;
    this.failure = guard(this.actions.length, undefined, () => void this.simulation.automaton.enabled(this.state, out));
    return this.failure === undefined;
  }

  take(a: A, time: number, why: Pick<Choice<A>, "cause" | "instead">): void {
    const before = this.state;
    const index = this.actions.length + 1;
    this.failure = guard(index, a, () => {
      const after = this.simulation.automaton.step(before, a);
      this.states.push(after);
      this.actions.push(a);
      this.choices.push(why.instead === undefined ? { action: a, time, cause: why.cause } : { action: a, time, cause: why.cause, instead: why.instead });
      return this.simulation.checker.step(before, a, after, index);
    });
  }

  finish(seed: number, quiescent: boolean, missed: readonly string[]): Run<S, A> {
    this.failure ??= guard(this.actions.length, undefined, () => this.simulation.checker.end(this.state, quiescent, this.actions.length));
    const ended = this.failure ? "violation" : quiescent ? "quiescent" : "steps";
    const run = { seed, execution: { states: this.states, actions: this.actions }, choices: this.choices, ended, goals: this.simulation.checker.reachedGoals(), missed } as const;
    return this.failure ? { ...run, failure: this.failure } : run;
  }
}

/** Runs a step of the model or of a property; an exception is a failure of the model, not of the simulator. */
function guard(step: number, a: Action | undefined, body: () => Failure | undefined): Failure | undefined {
  try {
    return body();
  } catch (e) {
    const where = a ? `${formatAction(a)} threw` : "the model threw";
    return { property: MODEL_ERROR, kind: "error", step, message: `${where}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

interface Facts {
  readonly details: ActionDetails;
  thread?: string;
}

/**
 * What the simulator asks about an action, remembered: by the action object (actions enumerated
 * from a finite domain are the same objects at every step), else by its key, since a composition's
 * details cost more than a key and the simulator asks about the faults and the candidates at every
 * step.
 */
class ActionFacts<S, A extends Action> {
  private readonly byObject = new WeakMap<A, Facts>();
  private readonly byValue = new Map<string, Facts>();

  constructor(
    private readonly automaton: Automaton<S, A>,
    private readonly keys: ActionKeys<A>,
  ) {}

  of(a: A): Facts {
    let facts = this.byObject.get(a);
    if (facts !== undefined) return facts;
    const key = this.keys.key(a);
    facts = this.byValue.get(key);
    if (facts === undefined) {
      if (this.byValue.size >= 100_000) this.byValue.clear();
      this.byValue.set(key, (facts = { details: this.automaton.details(a) }));
    }
    this.byObject.set(a, facts);
    return facts;
  }
}

function earliest(x: number | undefined, y: number | undefined): number | undefined {
  return x === undefined ? y : y === undefined ? x : Math.min(x, y);
}

/**
 * The randomness of the run with this seed. Seeds are mixed first (murmur3's finalizer): the
 * generator's state follows its seed closely, and the runs of a batch have consecutive seeds.
 */
function runRandom(seed: number): Random {
  let h = seed | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return Random.seeded(h).fork();
}
