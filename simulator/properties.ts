// Online evaluation of a model's properties along one run, the same properties the checker uses:
//
//  - invariants (always) in every state, the start state included;
//  - trace monitors on every external action, each with its own monitor state;
//  - transition properties on every step;
//  - at the end of a run that ends quiescent (nothing but faults enabled, and faults stopped):
//    quiescent properties, and the `finish` of monitors that judge at quiescence or at the end;
//  - goals (sometimes), recorded as reached for the coverage summary, never a failure.

import { formatAction, Violation, type Action, type Automaton, type Monitor, type Properties, type Value } from "../ioa/index.ts";
import { Recent } from "../ioa/recent.ts";

export type FailureKind = "always" | "trace" | "transition" | "quiescent" | "error";

/**
 * A property that broke: which, where, and why in words. Kind "quiescent" covers everything judged
 * at the quiescent end of a run (quiescent properties, and monitors that finish there).
 */
export interface Failure {
  readonly property: string;
  readonly kind: FailureKind;
  /** The state where it failed: 0 is the start state, i the state after the i-th action. */
  readonly step: number;
  readonly message: string;
}

/** The property name under which an exception thrown by the model is reported. */
export const MODEL_ERROR = "model error";

interface Named<T> {
  readonly name: string;
  readonly property: T;
}

type Of<S, A extends Action, K extends string> = Extract<Properties<S, A>[string], { kind: K }>;

/** A model's properties, sorted by kind once, and evaluated run after run. */
export class PropertyChecker<S, A extends Action> {
  private readonly invariants: Named<Of<S, A, "always">>[] = [];
  private readonly goals: Named<Of<S, A, "sometimes">>[] = [];
  private readonly monitors: Named<Monitor<A>>[] = [];
  private readonly transitions: Named<Of<S, A, "transition">>[] = [];
  private readonly quiescent: Named<Of<S, A, "quiescent">>[] = [];
  private monitorStates: Value[] = [];
  private readonly external = new Recent<A, boolean>();
  private reached: boolean[] = [];

  constructor(
    private readonly automaton: Automaton<S, A>,
    properties: Properties<S, A>,
  ) {
    for (const [name, p] of Object.entries(properties)) {
      if (p.kind === "always") this.invariants.push({ name, property: p });
      else if (p.kind === "sometimes") this.goals.push({ name, property: p });
      else if (p.kind === "trace") this.monitors.push({ name, property: p.monitor });
      else if (p.kind === "transition") this.transitions.push({ name, property: p });
      else if (p.kind === "quiescent") this.quiescent.push({ name, property: p });
    }
  }

  /** The names of the goals, in the order the model declares them. */
  get goalNames(): readonly string[] {
    return this.goals.map((g) => g.name);
  }

  /** Starts a run in `s`: fresh monitors, and the start state checked. */
  begin(s: S): Failure | undefined {
    this.monitorStates = this.monitors.map((m) => m.property.start);
    this.reached = this.goals.map(() => false);
    return this.state(s, 0);
  }

  /** Judges the step `before --a--> after`, the `index`-th action of the run (from 1). */
  step(before: S, a: A, after: S, index: number): Failure | undefined {
    for (const { name, property } of this.transitions) {
      const v = property.check(before, a, after);
      if (v) return { property: name, kind: "transition", step: index, message: `${formatAction(a)}: ${v.message}` };
    }
    if (this.monitors.length > 0 && this.isExternal(a)) {
      for (let i = 0; i < this.monitors.length; i++) {
        const { name, property } = this.monitors[i]!;
        const next = property.step(this.monitorStates[i]!, a);
        if (next instanceof Violation) return { property: name, kind: "trace", step: index, message: `${formatAction(a)}: ${next.message}` };
        this.monitorStates[i] = next;
      }
    }
    return this.state(after, index);
  }

  /** Ends a run in `s`; a quiescent end is judged by the quiescent properties and the finishing monitors. */
  end(s: S, quiescent: boolean, index: number): Failure | undefined {
    if (!quiescent) return undefined;
    for (const { name, property } of this.quiescent) {
      if (!property.holds(s)) return { property: name, kind: "quiescent", step: index, message: property.explain?.(s) ?? property.description ?? "it does not hold at quiescence" };
    }
    for (let i = 0; i < this.monitors.length; i++) {
      const { name, property } = this.monitors[i]!;
      const v = property.finish?.(this.monitorStates[i]!);
      if (v) return { property: name, kind: "quiescent", step: index, message: v.message };
    }
    return undefined;
  }

  /** The goals reached in this run so far. */
  reachedGoals(): string[] {
    return this.goals.filter((_, i) => this.reached[i]).map((g) => g.name);
  }

  private state(s: S, index: number): Failure | undefined {
    for (const { name, property } of this.invariants) {
      if (!property.holds(s)) return { property: name, kind: "always", step: index, message: property.explain?.(s) ?? property.description ?? "it does not hold" };
    }
    for (let i = 0; i < this.goals.length; i++) if (!this.reached[i] && this.goals[i]!.property.holds(s)) this.reached[i] = true;
    return undefined;
  }

  /** Whether the action is external, remembered by object (a composition's roleOf asks its components). */
  private isExternal(a: A): boolean {
    let external = this.external.get(a);
    if (external === undefined) {
      const role = this.automaton.roleOf(a);
      this.external.set(a, (external = role === "input" || role === "output"));
    }
    return external;
  }
}
