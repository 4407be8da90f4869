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
import { ActionFacts } from "./action-facts.ts";
import { Clock } from "./clock.ts";
import { DEFAULT_PLAN, type FaultPlan } from "./fault-plan.ts";
import { EnabledFaults, FaultInjector } from "./injector.ts";
import { PropertyChecker, type Failure } from "./properties.ts";
import type { CandidateView, RunScheduler, Scheduler } from "./scheduler.ts";
import { randomScheduler } from "./schedulers/random.ts";
import { Seniority } from "./seniority.ts";
import { livenessSuspects, type Suspect } from "./suspects.ts";
import { Trail } from "./trail.ts";

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

/** An action to take, and why. */
type Step<A extends Action> = Pick<Choice<A>, "action" | "cause" | "instead">;

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
  /** Liveness obligations left pending a long time (suspects.ts); not failures. */
  readonly suspects?: readonly Suspect[];
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
  /** Virtual time a liveness obligation may stay pending before the run is reported as a suspect (default 500). */
  readonly suspectAfter?: number;
}

export const DEFAULT_STEPS = 1000;

/** How many times each background timer may fire, with nothing else to do, before a run counts as quiescent. */
const BACKGROUND_ROUNDS = 6;

/** A model set up for simulation: runs from seeds, and replays of recorded choices. */
export class Simulation<S, A extends Action> {
  readonly automaton: Automaton<S, A>;
  readonly plan: FaultPlan;
  readonly scheduler: Scheduler;
  readonly steps: number;
  readonly checker: PropertyChecker<S, A>;
  private readonly properties: Properties<S, A>;
  private readonly suspectAfter: number | undefined;
  private readonly kinds: ReadonlyMap<string, ActionKind>;
  /** The names of background actions (heartbeats, sweeps): they do not keep a run from quiescence. */
  private readonly background: ReadonlySet<string>;
  /** The names of actions after which their process's timers start afresh (a view installed). */
  private readonly restartsTimers: ReadonlySet<string>;
  /** The names of urgent actions: while one is enabled, the deliveries and timers are hidden, not gone. */
  private readonly urgent: ReadonlySet<string>;
  readonly detailsOf: (a: A) => ActionDetails;
  private readonly facts: ActionFacts<S, A>;

  constructor(options: SimulationOptions<S, A>) {
    this.automaton = options.automaton;
    this.plan = options.plan ?? DEFAULT_PLAN;
    this.scheduler = options.scheduler ?? randomScheduler;
    this.steps = options.steps ?? DEFAULT_STEPS;
    this.checker = new PropertyChecker(options.automaton, options.properties ?? {});
    this.properties = options.properties ?? {};
    this.suspectAfter = options.suspectAfter;
    this.kinds = new Map([...options.automaton.actions].map(([name, info]) => [name, info.kind]));
    this.background = new Set([...options.automaton.actions.values()].filter((info) => info.background).map((info) => info.name));
    this.restartsTimers = new Set([...options.automaton.actions.values()].filter((info) => info.restartsTimers).map((info) => info.name));
    this.urgent = new Set([...options.automaton.actions.values()].filter((info) => info.urgent).map((info) => info.name));
    const facts = new ActionFacts(options.automaton);
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
    const random = Random.seeded(seed);
    const scheduler = this.scheduler.begin({ random: random.fork(), steps: this.steps });
    const injector = new FaultInjector<A>(this.plan, random.fork(), (fault) => scheduler.allowsFault?.(fault) ?? true, this.detailsOf);
    const clock = new Clock<A>((a) => this.facts.of(a), (d) => injector.arrival(d));
    const starts = this.automaton.startStates();
    const trail = new Trail(this, starts[random.below(starts.length)]!);
    const next = this.stepper(scheduler.choose.bind(scheduler), injector, clock, trail);
    const enabled: A[] = [];
    let quiescent = false;
    // Waiting for time to pass changes no state: the same actions stay enabled, so they are asked for once per state.
    let waited = false;
    while (trail.failure === undefined && trail.actions.length < this.steps && (waited || trail.enabled(enabled))) {
      const step = next(enabled);
      waited = typeof step === "number";
      if (step === "quiescent") {
        quiescent = true;
        break;
      }
      if (typeof step === "number") {
        clock.now = step;
        continue;
      }
      const kind = this.kindOf(step.action);
      if (kind === "deliver" || kind === "timer") clock.taken(step.action);
      else if (this.restartsTimers.has(step.action.name)) clock.restartTimers(this.detailsOf(step.action).process);
      trail.take(step.action, clock.now, step);
      clock.now += 1;
    }
    const run = trail.finish(seed, quiescent, injector.missed);
    if (run.failure) return run;
    const times = run.choices.map((c) => c.time);
    const suspects = livenessSuspects(this.properties, run.execution, times, quiescent, this.suspectAfter);
    return suspects.length > 0 ? { ...run, suspects } : run;
  }

  /**
   * What happens next in a run, given the enabled actions: an action and why, a time to wait for
   * (nothing is ready yet), or quiescence.
   */
  private stepper(choose: RunScheduler["choose"], injector: FaultInjector<A>, clock: Clock<A>, trail: Trail<S, A>) {
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
    const held = (d: ActionDetails) => injector.holds(d);
    const enabledFaults = new EnabledFaults<A>(this.detailsOf);
    // Background timers run on in a quiet system; once nothing else has been enabled for a few
    // rounds of them (time for a sweep to find a silent member), the run is quiescent.
    let backgroundOnly = 0;
    return (enabled: readonly A[]): Step<A> | number | "quiescent" => {
      // Fresh lists each step (emptying an array with `length = 0` calls into the runtime).
      // No action's facts are asked for here: the clock and the faults ask only for those of actions new to them.
      const candidates: A[] = [];
      const timed: A[] = [];
      const faults: A[] = [];
      for (const a of enabled) {
        const kind = this.kindOf(a);
        (kind === "step" ? candidates : kind === "fault" ? faults : timed).push(a);
      }
      const hidden = timed.length === 0 && candidates.length > 0 && this.urgent.has(candidates[0]!.name);
      if (hidden) clock.hide();
      else clock.refresh(timed);
      backgroundOnly = candidates.length === 0 && this.onlyBackground(timed) ? backgroundOnly + 1 : 0;
      if (backgroundOnly > BACKGROUND_ROUNDS * timed.length) {
        return injector.nextWake(clock.now) ?? this.repairOrQuiescent(faults);
      }
      // While urgent outputs leave, the faults are hidden too: the plan's events wait for them, rather than find nothing.
      const planned = hidden ? undefined : injector.timed(clock.now, faults);
      if (planned) return { action: planned, cause: "plan" };
      if (!hidden) clock.ready(candidates, held);
      if (candidates.length === 0) {
        return earliest(clock.nextDue(), injector.nextWake(clock.now)) ?? this.repairOrQuiescent(faults);
      }
      enabledFaults.reset(faults);
      const drawn = injector.drawn(clock.now, enabledFaults);
      if (drawn) return { action: drawn, cause: "rate" };
      const chosen = candidates[choose(candidates, view)]!;
      const preempted = this.kindOf(chosen) === "deliver" ? injector.preempt(clock.now, this.detailsOf(chosen), enabledFaults) : undefined;
      return preempted ? { action: preempted, cause: "rate", instead: chosen } : { action: chosen, cause: "scheduler" };
    };
  }

  /** Are there timed actions, all of them background ones? */
  private onlyBackground(timed: readonly A[]): boolean {
    if (timed.length === 0 || this.background.size === 0) return false;
    for (const a of timed) if (!this.background.has(a.name)) return false;
    return true;
  }

  /** With nothing left to wait for: a repair to take, or the end of the run. */
  private repairOrQuiescent(faults: readonly A[]): Step<A> | "quiescent" {
    const repair = this.repairIn(faults);
    return repair ? { action: repair, cause: "plan" } : "quiescent";
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
    const seniority = options.settle ? new Seniority<A>((a) => this.facts.of(a).key) : undefined;
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

function earliest(x: number | undefined, y: number | undefined): number | undefined {
  return x === undefined ? y : y === undefined ? x : Math.min(x, y);
}

