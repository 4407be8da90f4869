// Renaming: the same automaton with some of its actions called differently, so that definitions
// written apart can be connected (a client's `send` becomes a channel's `put`).

import type { Action, ActionDetails, ActionInfo, Role } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { DefinitionError } from "./errors.ts";

type Renamed<A extends Action, M extends Record<string, string>> = A extends Action<infer N>
  ? N extends keyof M
    ? Omit<A, "name"> & { readonly name: M[N] }
    : A
  : never;

export class Renaming<S, A extends Action, B extends Action> implements Automaton<S, B> {
  readonly actions: ReadonlyMap<string, ActionInfo>;
  readonly stateType;
  readonly name;
  private readonly back: ReadonlyMap<string, string>;

  constructor(
    readonly inner: Automaton<S, A>,
    private readonly forth: ReadonlyMap<string, string>,
  ) {
    this.name = inner.name;
    this.stateType = inner.stateType;
    this.back = new Map([...forth].map(([from, to]) => [to, from]));
    this.actions = new Map([...inner.actions].map(([n, info]) => {
      const to = forth.get(n) ?? n;
      return [to, { ...info, name: to }];
    }));
  }

  private inward(b: B): A {
    const from = this.back.get(b.name);
    return (from === undefined ? b : { ...b, name: from }) as unknown as A;
  }

  private outward(a: A): B {
    const to = this.forth.get(a.name);
    return (to === undefined ? a : { ...a, name: to }) as unknown as B;
  }

  startStates(): readonly S[] {
    return this.inner.startStates();
  }

  enabled(s: S, out: B[]): void {
    const inner: A[] = [];
    this.inner.enabled(s, inner);
    for (const a of inner) out.push(this.outward(a));
  }

  step(s: S, b: B): S {
    return this.inner.step(s, this.inward(b));
  }

  why(s: S, b: B): string | undefined {
    if (this.forth.has(b.name) && !this.back.has(b.name)) return `${b.name} is not an action of ${this.name} (it was renamed)`;
    return this.inner.why(s, this.inward(b));
  }

  roleOf(b: B): Role | undefined {
    if (this.forth.has(b.name) && !this.back.has(b.name)) return undefined;
    return this.inner.roleOf(this.inward(b));
  }

  task(b: B): string {
    return this.inner.task(this.inward(b));
  }

  details(b: B): ActionDetails {
    return this.inner.details(this.inward(b));
  }
}

/** Renames actions: `rename(client, { send: "put" })`. */
export function rename<S, A extends Action, const M extends Record<string, string>>(
  automaton: Automaton<S, A>,
  mapping: M,
): Renaming<S, A, Renamed<A, M>> {
  const forth = new Map(Object.entries(mapping));
  for (const [from, to] of forth) {
    if (!automaton.actions.has(from)) throw new DefinitionError(`rename: "${from}" is not an action of ${automaton.name}`);
    if (automaton.actions.has(to) && !forth.has(to)) {
      throw new DefinitionError(`rename: "${from}" cannot become "${to}", which ${automaton.name} already has`);
    }
  }
  const targets = [...forth.values()];
  const twice = targets.find((x, i) => targets.indexOf(x) !== i);
  if (twice !== undefined) throw new DefinitionError(`rename: two actions of ${automaton.name} would both be called "${twice}"`);
  return new Renaming(automaton, forth);
}
