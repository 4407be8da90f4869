// Hiding: outputs become internal actions. The executions are unchanged; only the traces (the
// external actions) lose the hidden ones.

import type { Action, ActionDetails, ActionInfo, Role } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { DefinitionError } from "./errors.ts";

export class Hidden<S, A extends Action> implements Automaton<S, A> {
  readonly actions: ReadonlyMap<string, ActionInfo>;
  readonly stateType;
  readonly name;

  constructor(
    readonly inner: Automaton<S, A>,
    private readonly hidden: ReadonlySet<string>,
  ) {
    this.name = inner.name;
    this.stateType = inner.stateType;
    this.actions = new Map(
      [...inner.actions].map(([n, info]) => [n, hidden.has(n) && info.role === "output" ? { ...info, role: "internal" as const } : info]),
    );
  }

  startStates(): readonly S[] {
    return this.inner.startStates();
  }

  enabled(s: S, out: A[]): void {
    this.inner.enabled(s, out);
  }

  step(s: S, a: A): S {
    return this.inner.step(s, a);
  }

  why(s: S, a: A): string | undefined {
    return this.inner.why(s, a);
  }

  roleOf(a: A): Role | undefined {
    const role = this.inner.roleOf(a);
    return role === "output" && this.hidden.has(a.name) ? "internal" : role;
  }

  task(a: A): string {
    return this.inner.task(a);
  }

  details(a: A): ActionDetails {
    return this.inner.details(a);
  }
}

/** Hides the named output actions of `automaton`, making them internal. */
export function hide<S, A extends Action>(automaton: Automaton<S, A>, names: readonly A["name"][]): Hidden<S, A> {
  for (const n of names) {
    const info = automaton.actions.get(n);
    if (!info || info.role !== "output") {
      throw new DefinitionError(`hide: "${n}" is not an output of ${automaton.name}${info ? ` (it is ${info.role === "input" ? "an input" : "internal"})` : ""}`);
    }
  }
  return new Hidden(automaton, new Set(names));
}
