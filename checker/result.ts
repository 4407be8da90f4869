// What a check is asked to do, and what it answers.

import type { Action, Execution, Fairness, Lasso } from "../ioa/index.ts";

export interface CheckOptions {
  /** Depth-first (low memory) instead of breadth-first (shortest counterexamples). */
  readonly dfs?: boolean;
  /** Explore no deeper than this many steps from a start state. */
  readonly maxDepth?: number;
  /** Stop after this many distinct states. */
  readonly maxStates?: number;
  /** Stop after this many seconds. */
  readonly timeLimit?: number;
  /**
   * Stop cleanly once the process's resident memory reaches this many bytes (checked ten times a
   * second, and before the visited set doubles): the verdict is then "incomplete" unless a
   * violation was found first.
   */
  readonly memoryLimit?: number;
  /** Map states to a canonical representative under permutations of process ids (`t.ids`). */
  readonly symmetry?: boolean;
  /** Judge the model's liveness properties (true by default; false checks safety alone, as a baseline). */
  readonly liveness?: boolean;
  /** Judge every liveness property under this fairness instead of the one it names. */
  readonly fairness?: Fairness;
  /**
   * A breadth-first level keeps its first this many states as objects and packs the rest into a
   * few words each, when the state type packs (booleans, enums, ids, bounded ints, literals,
   * small unions and sets of those: checker/packed-states.ts). Default 131,072; 0 packs every
   * state, Infinity none.
   */
  readonly packStatesFrom?: number;
  /** Report states where nothing is enabled as deadlocks. */
  readonly deadlock?: boolean;
  /** Check only these properties (by name); all by default. */
  readonly only?: readonly string[];
  /** Aborting stops the search cleanly; the result says what was found so far. */
  readonly signal?: AbortSignal;
  /** Called about once a second while the search runs. */
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  readonly distinctStates: number;
  readonly generatedStates: number;
  /** States waiting to be expanded (BFS queue or DFS stack). */
  readonly queue: number;
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

export type StopReason = "max-states" | "max-depth" | "time-limit" | "memory" | "interrupted";

export interface Violation<S, A extends Action> {
  readonly property: string;
  readonly kind: "always" | "sometimes" | "trace" | "quiescent" | "transition" | "deadlock" | "leads-to" | "eventually-always";
  readonly message: string;
  /**
   * The shortest execution that breaks it (with BFS), a real execution of the model; none for a
   * goal that was never reached. For a liveness property, a lasso: a stem and a cycle repeated forever.
   */
  readonly counterexample: Execution<S, A> | Lasso<S, A> | undefined;
}

/**
 * A liveness property's verdict. "vacuous": its trigger never holds, so nothing was judged;
 * "not judged": the search was not exhaustive (a bound, a safety violation), or under symmetry a quotient step had no concrete match.
 */
export interface LivenessReport<S, A extends Action> {
  readonly property: string;
  readonly description: string | undefined;
  readonly fairness: Fairness;
  readonly verdict: "holds" | "violated" | "vacuous" | "not judged";
  /** Why it was not judged, or what the counterexample shows. */
  readonly reason: string | undefined;
  readonly counterexample: Lasso<S, A> | undefined;
}

export interface GoalReport<S, A extends Action> {
  readonly property: string;
  readonly description: string | undefined;
  /** A shortest execution reaching the goal, if it was reached. */
  readonly witness: Execution<S, A> | undefined;
}

export interface VacuousProperty {
  readonly property: string;
  readonly reason: "no quiescent state" | "never triggered";
}

export interface CheckResult<S, A extends Action> {
  /**
   * "incomplete": the search stopped at the memory bound with no violation found; the figures
   * say how many states it covered. (The other bounds, which the user sets in states, depth or
   * seconds, answer "holds" with `stopped` naming the bound.)
   */
  readonly verdict: "holds" | "violated" | "incomplete";
  readonly violation: Violation<S, A> | undefined;
  readonly goals: readonly GoalReport<S, A>[];
  readonly liveness: readonly LivenessReport<S, A>[];
  /** Seconds spent judging liveness on the recorded graph (included in `seconds`). */
  readonly livenessSeconds: number;
  /** Transitions recorded for liveness (0 without liveness properties). */
  readonly edges: number;
  readonly distinctStates: number;
  /** Start states plus transitions taken (what TLC calls "states generated"). */
  readonly generatedStates: number;
  /** Steps from a start state to the deepest state explored. */
  readonly maxDepth: number;
  readonly seconds: number;
  readonly peakMemoryBytes: number;
  /** Bytes of the fingerprint set and the trail (per distinct state: about 16). */
  readonly storeBytes: number;
  /** Why the search stopped before exhausting the state space, if it did. */
  readonly stopped: StopReason | undefined;
  readonly properties: readonly string[];
  /** States where nothing was enabled (where properties at quiescence were judged). */
  readonly quiescentStates: number;
  /**
   * Properties that were checked but never judged, and why: properties at quiescence when the
   * search reached no quiescent state; trace properties whose trigger never occurred (no action
   * judged by their monitor). A "holds" over them says nothing.
   */
  readonly vacuous: readonly VacuousProperty[];
  /** Under symmetry reduction: how many states the audit renamed (checker/symmetry-audit.ts), all found symmetric. */
  readonly symmetryAudited?: number;
}
