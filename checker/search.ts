// What breadth-first and depth-first search share: the visited set, the trail, the properties,
// the bounds, and the handling of one transition — the checker's hot path.

import { monitorJudged, type Action, type Automaton, type Value } from "../ioa/index.ts";
import { FingerprintSet } from "./fingerprint-set.ts";
import type { NodeKeys } from "./node-key.ts";
import {
  brokenAtQuiescence,
  brokenInvariant,
  brokenTransition,
  isBroken,
  type Broken,
  type PropertyPlan,
} from "./properties.ts";
import type { CheckOptions, Progress, StopReason } from "./result.ts";
import { StateGraph } from "./state-graph.ts";
import type { SymmetryAudit } from "./symmetry-audit.ts";
import { startNode, Trail } from "./trail.ts";

/** A violation found during the search: where (a node, and possibly one more action), which, why. */
export interface Found {
  readonly property: string;
  readonly kind: "always" | "trace" | "quiescent" | "transition" | "deadlock";
  readonly message: string;
  readonly node: number;
  /** The ordinal of the action taken from `node` that broke the property, if it was a transition. */
  readonly extra: number | undefined;
}

/** Where newly found states go: the BFS's next level or the DFS's stack. */
export interface Sink<S> {
  /** `lanes`: what the node keys keep for the state's successors (`NodeKeys.lanes`, to be copied; empty when not incremental). */
  push(state: S, monitors: readonly Value[] | undefined, node: number, lanes: Int32Array): void;
}

const PAUSE_EVERY_MS = 100;
const PROGRESS_EVERY_MS = 1000;

export class Search<S, A extends Action> {
  readonly visited: FingerprintSet;
  readonly trail = new Trail();
  readonly hasMonitors: boolean;
  readonly goalNodes = new Map<string, number>();
  /** The reachable graph, recorded when liveness properties are to be judged. */
  readonly graph: StateGraph<S, A> | undefined;
  generated = 0;
  maxDepth = 0;
  /** States where nothing is enabled: where properties at quiescence were judged. */
  quiescentStates = 0;
  /** Which trace monitors judged some action (one that judged none was never triggered). */
  readonly monitorsJudged: boolean[];
  private monitorsStill: number;
  found: Found | undefined;
  stopped: StopReason | undefined;
  /** Under symmetry reduction: where the audit found the model telling its ids apart, and how. */
  asymmetry: { readonly node: number; readonly message: string } | undefined;
  private readonly started = performance.now();
  private lastPause = this.started;
  private lastProgress = this.started;
  private readonly key = new Int32Array(2);
  /** The names of the automaton's background actions. */
  private readonly background: ReadonlySet<string>;

  constructor(
    readonly automaton: Automaton<S, A>,
    readonly plan: PropertyPlan<S, A>,
    readonly keys: NodeKeys<S>,
    readonly options: CheckOptions,
    readonly audit?: SymmetryAudit<S, A>,
  ) {
    const liveness = plan.liveness.length > 0 && options.liveness !== false;
    this.graph = liveness ? new StateGraph(automaton, plan.liveness.map((l) => l.property)) : undefined;
    this.visited = new FingerprintSet(Math.min(options.maxStates ?? 1 << 20, 1 << 24), liveness);
    this.hasMonitors = plan.monitors.length > 0;
    this.background = new Set([...automaton.actions.values()].filter((info) => info.background).map((info) => info.name));
    this.monitorsJudged = plan.monitors.map(() => false);
    this.monitorsStill = plan.monitors.length;
  }

  get done(): boolean {
    return this.found !== undefined || this.stopped !== undefined || this.asymmetry !== undefined;
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  initialMonitors(): readonly Value[] | undefined {
    return this.hasMonitors ? this.plan.monitors.map((m) => m.property.start) : undefined;
  }

  /** Visits the start states (distinct ones become nodes) and sends them to `sink`. */
  start(sink: Sink<S>): void {
    const monitors = this.initialMonitors();
    this.keys.from(undefined as S, undefined, 0);
    this.automaton.startStates().forEach((s, i) => {
      this.generated++;
      this.visit(s, monitors, startNode(i), sink);
    });
  }

  /**
   * Expands one state: quiescence checks if nothing is enabled, else every transition. `lanes`
   * (from `at`) are what the node keys kept for it when it was found, if the sink kept them.
   */
  expand(s: S, monitors: readonly Value[] | undefined, node: number, sink: Sink<S>, lanes?: Int32Array, at = 0): void {
    if (this.audit?.due()) this.audited(s, monitors, node);
    this.keys.from(s, lanes, at);
    // A fresh array: emptying one by setting its length is a call into the runtime, slower than
    // allocating a young array.
    const enabled: A[] = [];
    this.automaton.enabled(s, enabled);
    if (this.quiet(enabled)) this.atQuiescence(s, monitors, node, enabled.length === 0);
    for (let k = 0; k < enabled.length && !this.done; k++) this.transition(s, monitors, node, enabled[k]!, k, sink);
  }

  /** The locally controlled actions enabled in `s` (a fresh array); quiescence checks if there are none. */
  enabledAt(s: S, monitors: readonly Value[] | undefined, node: number): A[] {
    if (this.audit?.due()) this.audited(s, monitors, node);
    const enabled: A[] = [];
    this.keys.from(s, undefined, 0);
    this.automaton.enabled(s, enabled);
    if (this.quiet(enabled)) this.atQuiescence(s, monitors, node, enabled.length === 0);
    return enabled;
  }

  private audited(s: S, monitors: readonly Value[] | undefined, node: number): void {
    const wrong = this.audit!.check(s, monitors);
    if (wrong) this.asymmetry ??= { node, message: wrong };
  }

  /** Nothing is enabled but background actions (heartbeats, sweeps): the state is quiescent. */
  private quiet(enabled: readonly A[]): boolean {
    if (enabled.length === 0) return true;
    const background = this.background;
    if (background.size === 0) return false;
    for (let i = 0; i < enabled.length; i++) if (!background.has(enabled[i]!.name)) return false;
    return true;
  }

  /** Takes action `a`, the `ordinal`-th enabled in `s`: checks it and visits where it leads. */
  transition(s: S, monitors: readonly Value[] | undefined, node: number, a: A, ordinal: number, sink: Sink<S>): void {
    const t = this.automaton.step(s, a);
    this.generated++;
    if (this.plan.transitions.length > 0) {
      const broken = brokenTransition(this.plan, s, a, t);
      if (broken) return this.report(broken, "transition", node, ordinal);
    }
    let after = monitors;
    if (monitors && this.automaton.roleOf(a) !== "internal") {
      const next = this.keys.monitors.advance(this.plan, monitors, a);
      if (isBroken(next)) return this.report(next, "trace", node, ordinal);
      if (this.monitorsStill > 0) this.noteJudged(monitors, next, a);
      after = next;
    }
    if (t === s && after === monitors) return this.graph?.addEdge(node, node, a, ordinal);
    const target = this.visit(t, after, node, sink, ordinal);
    if (this.graph) this.graph.addEdge(node, target, a, ordinal);
  }

  private noteJudged(before: readonly Value[], after: readonly Value[], a: A): void {
    for (let i = 0; i < after.length; i++) {
      if (!this.monitorsJudged[i] && monitorJudged(this.plan.monitors[i]!.property, before[i]!, after[i]!, a)) {
        this.monitorsJudged[i] = true;
        this.monitorsStill--;
      }
    }
  }

  /**
   * Adds a state if it is new: records how it was reached, checks invariants and goals, queues it.
   * Answers its node — when the graph is recorded; otherwise -1 for a state seen before.
   */
  private visit(reached: S, monitors: readonly Value[] | undefined, parent: number, sink: Sink<S>, ordinal = 0): number {
    const key = this.key;
    const s = this.keys.key(reached, monitors, key);
    const kept = this.keys.keptMonitors;
    if (this.graph) {
      const known = this.visited.addOrFind(key[0]!, key[1]!, this.trail.size);
      if (known >= 0) return known;
    } else if (!this.visited.add(key[0]!, key[1]!)) return -1;
    const node = this.trail.add(parent, ordinal);
    this.graph?.label(node, s);
    const broken = this.plan.invariants.length > 0 ? brokenInvariant(this.plan, s) : undefined;
    if (broken) {
      this.report(broken, "always", node, undefined);
      return node;
    }
    if (this.plan.goals.length > this.goalNodes.size) this.recordGoals(s, node);
    sink.push(s, kept, node, this.keys.lanes);
    if (this.options.maxStates !== undefined && this.visited.size >= this.options.maxStates) this.stopped ??= "max-states";
    if (this.visited.aboutToGrow && this.overMemory(this.visited.bytes * 2)) this.stopped ??= "memory";
    return node;
  }

  private recordGoals(s: S, node: number): void {
    for (const { name, property } of this.plan.goals) {
      if (!this.goalNodes.has(name) && property.holds(s)) this.goalNodes.set(name, node);
    }
  }

  /** Judges quiescence properties at a quiescent state; with nothing at all enabled (`deadlocked`), also deadlock. */
  private atQuiescence(s: S, monitors: readonly Value[] | undefined, node: number, deadlocked: boolean): void {
    this.quiescentStates++;
    const broken = brokenAtQuiescence(this.plan, s, monitors);
    if (broken) {
      const kind = this.plan.quiescent.some((q) => q.name === broken.property) ? "quiescent" : "trace";
      return this.report(broken, kind, node, undefined);
    }
    if (this.options.deadlock && deadlocked) this.report({ property: "deadlock", message: "no action is enabled" }, "deadlock", node, undefined);
  }

  private report(broken: Broken, kind: Found["kind"], node: number, extra: number | undefined): void {
    this.found ??= { ...broken, kind, node, extra };
  }

  /**
   * Called often from the search loop: every 100 ms it checks the bounds, reports progress and lets
   * the event loop run (so Ctrl-C and timers work). True when the search must stop.
   */
  async pause(queue: number, depth: number): Promise<boolean> {
    const now = performance.now();
    if (now - this.lastPause < PAUSE_EVERY_MS) return this.done;
    this.lastPause = now;
    if (this.options.timeLimit !== undefined && now - this.started > this.options.timeLimit * 1000) this.stopped ??= "time-limit";
    if (this.overMemory(0)) this.stopped ??= "memory";
    if (this.options.onProgress && now - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = now;
      this.options.onProgress(this.progress(queue, depth));
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (this.options.signal?.aborted) this.stopped ??= "interrupted";
    return this.done;
  }

  /** Whether the process, with `more` bytes to come, would pass the memory bound. */
  private overMemory(more: number): boolean {
    const limit = this.options.memoryLimit;
    return limit !== undefined && process.memoryUsage.rss() + more >= limit;
  }

  progress(queue: number, depth: number): Progress {
    const seconds = this.seconds;
    return {
      distinctStates: this.visited.size,
      generatedStates: this.generated,
      queue,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? this.visited.size / seconds : 0,
    };
  }
}
