// A wrapper of an automaton: the same automaton seen through a change of one or two of its parts
// (its roles, which actions it offers first, which of them it withholds). Everything the change
// leaves alone is forwarded to the automaton wrapped; a subclass overrides what it changes.

import type { Action, ActionDetails, ActionInfo, Role } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import type { Type } from "./types.ts";

export abstract class Wrapper<S, A extends Action> implements Automaton<S, A> {
  readonly name: string;
  readonly stateType: Type<S>;

  constructor(
    readonly inner: Automaton<S, A>,
    readonly actions: ReadonlyMap<string, ActionInfo> = inner.actions,
  ) {
    this.name = inner.name;
    this.stateType = inner.stateType;
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
    return this.inner.roleOf(a);
  }

  task(a: A): string {
    return this.inner.task(a);
  }

  details(a: A): ActionDetails {
    return this.inner.details(a);
  }
}
