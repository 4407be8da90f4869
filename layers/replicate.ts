// Replication: one automaton per process, their states in one table indexed by process id.
//
//   replicate("stacks", P, range(n).map((p) => fifo.build(n, p)))
//
// Every action names its process in its owner parameter and goes to that process's automaton.
// Unlike `instances`, which makes each process a component of its own, the table holds the states
// in one value indexed by `P`: renaming process ids permutes the table, so symmetry reduction over
// `t.ids` treats the processes as the interchangeable replicas they are.

import {
  DefinitionError,
  formatAction,
  replaceAt,
  t,
  type Action,
  type ActionDetails,
  type ActionInfo,
  type Automaton,
  type IdsType,
  type Role,
  type Type,
} from "../ioa/index.ts";

const NO_ACTIONS: readonly never[] = [];

export class Replicated<S, A extends Action> implements Automaton<S[], A> {
  readonly stateType: Type<S[]>;
  readonly actions: ReadonlyMap<string, ActionInfo>;
  private readonly owners: ReadonlyMap<string, string>;
  /**
   * Per replica, the state last asked for its enabled actions, and those actions. A step changes
   * one replica's state, so a search asks about the very same states of the others again and
   * again (a state's siblings share them): asking once spares the replicas' guards, and the
   * actions they would build afresh.
   */
  private readonly askedAbout: (S | undefined)[];
  private readonly answered: (readonly A[])[];

  constructor(
    readonly name: string,
    P: IdsType,
    private readonly parts: readonly Automaton<S, A>[],
  ) {
    const first = parts[0];
    if (!first || parts.length !== P.count) throw new DefinitionError(`replicate ${name}: needs one automaton per ${P.name} (${P.count}), got ${parts.length}`);
    this.stateType = t.table(P, first.stateType);
    const unowned = [...first.actions.values()].find((info) => info.owner === undefined);
    if (unowned) throw new DefinitionError(`replicate ${name}: action ${unowned.name} of ${first.name} names no owner, so no process can take it`);
    this.actions = new Map([...first.actions].map(([n, info]) => [n, { ...info, ownerIds: undefined }]));
    this.owners = new Map([...first.actions].map(([n, info]) => [n, info.owner!]));
    this.askedAbout = parts.map(() => undefined);
    this.answered = parts.map(() => []);
  }

  private part(a: A): number | undefined {
    const owner = this.owners.get(a.name);
    const p = owner === undefined ? undefined : a[owner];
    return typeof p === "number" && p >= 0 && p < this.parts.length ? p : undefined;
  }

  startStates(): readonly S[][] {
    let states: S[][] = [[]];
    for (const part of this.parts) states = states.flatMap((s) => part.startStates().map((x) => [...s, x]));
    return states;
  }

  enabled(s: S[], out: A[]): void {
    for (let p = 0; p < this.parts.length; p++) {
      const x = s[p]!;
      if (x !== this.askedAbout[p]) {
        // Asked into `out`, and kept as a copy of exactly their number (an array filled by push has room for a dozen more).
        const start = out.length;
        this.parts[p]!.enabled(x, out);
        this.answered[p] = out.length === start ? NO_ACTIONS : out.slice(start);
        this.askedAbout[p] = x;
        continue;
      }
      const actions = this.answered[p]!;
      for (let k = 0; k < actions.length; k++) out.push(actions[k]!);
    }
  }

  step(s: S[], a: A): S[] {
    const p = this.part(a);
    if (p === undefined) throw new DefinitionError(`${formatAction(a)} is not an action of ${this.name}`);
    return replaceAt(s, p, this.parts[p]!.step(s[p]!, a));
  }

  why(s: S[], a: A): string | undefined {
    const p = this.part(a);
    return p === undefined ? `${formatAction(a)} is not an action of ${this.name}` : this.parts[p]!.why(s[p]!, a);
  }

  roleOf(a: A): Role | undefined {
    const p = this.part(a);
    return p === undefined ? undefined : this.parts[p]!.roleOf(a);
  }

  task(a: A): string {
    const p = this.part(a);
    return p === undefined ? a.name : this.parts[p]!.task(a);
  }

  details(a: A): ActionDetails {
    const p = this.part(a);
    if (p === undefined) throw new DefinitionError(`${formatAction(a)} is not an action of ${this.name}`);
    return this.parts[p]!.details(a);
  }
}

/** One automaton per process of `P` (process `p` is `parts[p]`), their states in a table. */
export function replicate<S, A extends Action>(name: string, P: IdsType, parts: readonly Automaton<S, A>[]): Replicated<S, A> {
  return new Replicated(name, P, parts);
}
