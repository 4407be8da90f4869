// Hiding: outputs become internal actions. The executions are unchanged; only the traces (the
// external actions) lose the hidden ones.

import type { Action, Role } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { DefinitionError } from "./errors.ts";
import { Wrapper } from "./wrapper.ts";

export class Hidden<S, A extends Action> extends Wrapper<S, A> {
  constructor(
    inner: Automaton<S, A>,
    private readonly hidden: ReadonlySet<string>,
  ) {
    super(inner, new Map([...inner.actions].map(([n, info]) => [n, hidden.has(n) && info.role === "output" ? { ...info, role: "internal" as const } : info])));
  }

  override roleOf(a: A): Role | undefined {
    const role = this.inner.roleOf(a);
    return role === "output" && this.hidden.has(a.name) ? "internal" : role;
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
