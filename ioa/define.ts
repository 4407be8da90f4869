// The definition API: a primitive automaton, written in a few typed lines.
//
//   const channel = automaton("channel", { queue: t.array(t.string()) })
//     .start({ queue: [] })
//     .input("send", { m: t.string() }, (s, { m }) => { s.queue.push(m); })
//     .output("receive", { m: t.string() }, {
//       enabled: (s) => s.queue.slice(0, 1).map((m) => ({ m })),
//       effect: (s) => { s.queue.shift(); },
//     });
//
// Each call returns a new definition whose state and action types grow with it, so handlers are
// typed from the declarations and nothing needs annotating. Effects mutate an immer draft; where
// speed matters, `next` is a pure function from state to state instead.

import { produce, type Draft } from "immer";
import type { Action, ActionDetails, ActionInfo, ActionKind, Role } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { DefinitionError, ValueError } from "./errors.ts";
import { formatAction, formatValue } from "./format.ts";
import { assertType, RecordType, t, type Fields, type RecordOf, type Type } from "./types.ts";
import { valuesEqual, type Value } from "./value.ts";

type Condition<S, P> = (s: S, params: P) => boolean;
/** A precondition: one predicate, or named conjuncts so that a failure can say which one failed. */
export type Precondition<S, P> = Condition<S, P> | { readonly [name: string]: Condition<S, P> };

interface Common<P> {
  /** The parameter naming the process that owns the action. */
  owner?: keyof P & string;
  /** What the action means to the simulator: a step (the default), a delivery, a timer or a fault. */
  kind?: ActionKind;
  /** A background action (a heartbeat): it goes on in a quiet system and does not keep it from quiescence. */
  background?: boolean;
  /** More about a particular action, for schedulers and charts: peer, message, timer delay, fault. */
  details?: (params: P) => Omit<ActionDetails, "kind">;
}

type Transition<S, P> =
  | { effect: (draft: Draft<S>, params: P) => void; next?: never }
  | { next: (s: S, params: P) => S; effect?: never }
  | { effect?: never; next?: never };

export type InputSpec<S, P> = ((draft: Draft<S>, params: P) => void) | (Common<P> & Transition<S, P>);

export type LocalSpec<S, P> = Common<P> &
  Transition<S, P> & {
    pre?: Precondition<S, P>;
    /** The parameters with which the action is enabled; without it, the finite parameter domain is searched. */
    enabled?: (s: S) => Iterable<P>;
    /** The fairness task; by default one per action name and owner. */
    task?: string | ((params: P) => string);
  };

type AnyCondition = Condition<unknown, Action>;

interface ActionDef {
  readonly info: ActionInfo;
  /** Precondition conjuncts, with their names when they were given names. */
  readonly conditions: readonly AnyCondition[];
  /** All the conditions as one predicate (the hot path: no loop for the common single condition). */
  readonly holds: AnyCondition;
  readonly conditionNames: readonly (string | undefined)[];
  readonly candidates: ((s: unknown) => Iterable<object>) | undefined;
  readonly apply: (s: unknown, a: Action) => unknown;
  readonly task: ((a: Action) => string) | undefined;
  readonly details: ((a: Action) => Omit<ActionDetails, "kind">) | undefined;
  /** The actions of the finite parameter domain that this automaton owns, enumerated once. */
  domainActions: readonly Action[] | undefined;
  /**
   * The action with parameters `p` (an object `enabled` produced); `p` itself if it is the action
   * already (it has the action's name), so that a model can hand out the same action objects from
   * step to step (the network, for the packets in flight), which explorers remember facts about.
   */
  actionOf: (p: object) => Action;
}

/** Starts the definition of a primitive automaton whose state is a record with the given fields. */
export function automaton<const F extends Fields>(name: string, state: F | RecordType<F>): Definition<RecordOf<F>, never> {
  const stateType = state instanceof RecordType ? state : t.record(state);
  return new Definition<RecordOf<F>, never>(name, stateType, [], new Map(), undefined);
}

export class Definition<S, A extends Action> implements Automaton<S, A> {
  readonly actions: ReadonlyMap<string, ActionInfo>;
  private readonly locals: readonly ActionDef[];

  constructor(
    readonly name: string,
    readonly stateType: Type<S>,
    private readonly starts: readonly S[],
    private readonly defs: ReadonlyMap<string, ActionDef>,
    /** The process this definition is the instance of, if it was bound with `instance`. */
    readonly id: Value | undefined,
  ) {
    this.actions = new Map([...defs].map(([n, d]) => [n, d.info]));
    this.locals = [...defs.values()].filter((d) => d.info.role !== "input");
  }

  /** Sets the start state, or several start states. */
  start(...states: S[]): Definition<S, A> {
    if (states.length === 0) throw new DefinitionError(`${this.name}: start() needs at least one state`);
    states.forEach((s, i) => assertType(this.stateType, s, states.length === 1 ? `${this.name} start state` : `${this.name} start state ${i}`));
    return new Definition(this.name, this.stateType, states, this.defs, this.id);
  }

  /** Binds the definition to process `id`: an action with an owner parameter is its own only when the owner is `id`. */
  instance(id: Value, name = `${this.name}[${formatValue(id)}]`): Definition<S, A> {
    const defs = new Map([...this.defs].map(([n, d]) => [n, bindOwner(d, id)]));
    return new Definition(name, this.stateType, this.starts, defs, id);
  }

  input<const N extends string, const P extends Fields>(
    name: N,
    params: P,
    spec: InputSpec<S, RecordOf<P>>,
  ): Definition<S, A | (Action<N> & RecordOf<P>)> {
    return this.add(name, "input", params, typeof spec === "function" ? { effect: spec } : spec);
  }

  output<const N extends string, const P extends Fields>(
    name: N,
    params: P,
    spec: LocalSpec<S, RecordOf<P>> = {},
  ): Definition<S, A | (Action<N> & RecordOf<P>)> {
    return this.add(name, "output", params, spec);
  }

  internal<const N extends string, const P extends Fields>(
    name: N,
    params: P,
    spec: LocalSpec<S, RecordOf<P>> = {},
  ): Definition<S, A | (Action<N> & RecordOf<P>)> {
    return this.add(name, "internal", params, spec);
  }

  private add<N extends string, P extends Fields>(
    name: N,
    role: Role,
    params: P,
    spec: LocalSpec<S, RecordOf<P>>,
  ): Definition<S, A | (Action<N> & RecordOf<P>)> {
    const where = `${this.name}: action ${name}`;
    if (this.defs.has(name)) throw new DefinitionError(`${where} is defined twice`);
    if ("name" in params) throw new DefinitionError(`${where}: "name" cannot be a parameter; it holds the action name`);
    if (spec.owner !== undefined && !(spec.owner in params)) {
      throw new DefinitionError(`${where}: its owner "${spec.owner}" is not one of its parameters (${Object.keys(params).join(", ") || "none"})`);
    }
    if (spec.effect && spec.next) throw new DefinitionError(`${where}: give an effect or a next function, not both`);
    const paramType = t.record(params);
    if (role !== "input" && !spec.enabled && paramType.domain() === undefined) {
      throw new DefinitionError(
        `${where}: its parameters ${paramType.description} are not finite, so the enabled ones cannot be searched; give \`enabled\` to list them`,
      );
    }
    const def = defineAction(name, role, paramType as unknown as Type<object>, spec as unknown as LocalSpec<unknown, Action>, this.id);
    return new Definition<S, A | (Action<N> & RecordOf<P>)>(this.name, this.stateType, this.starts, new Map(this.defs).set(name, def), this.id);
  }

  // ---- Automaton ----

  startStates(): readonly S[] {
    if (this.starts.length === 0) throw new DefinitionError(`${this.name} has no start state: call .start(...) in its definition`);
    return this.starts;
  }

  enabled(s: S, out: A[]): void {
    for (const d of this.locals) {
      if (d.candidates) {
        for (const p of d.candidates(s)) {
          const a = d.actionOf(p);
          if (owns(d.info, a) && d.holds(s, a)) out.push(a as A);
        }
      } else {
        const domain = (d.domainActions ??= domainActions(d));
        const holds = d.holds;
        for (let i = 0; i < domain.length; i++) if (holds(s, domain[i]!)) out.push(domain[i] as A);
      }
    }
  }

  step(s: S, a: A): S {
    const d = this.defs.get(a.name);
    if (!d) throw new DefinitionError(`${formatAction(a)} is not an action of ${this.name}`);
    return d.apply(s, a) as S;
  }

  why(s: S, a: A): string | undefined {
    const d = this.defs.get(a.name);
    if (!d) return `${a.name} is not an action of ${this.name}`;
    if (!owns(d.info, a)) {
      return `${formatAction(a)} is not an action of ${this.name}, which owns only ${d.info.owner} = ${formatValue(this.id!)}`;
    }
    const { name: _, ...params } = a;
    try {
      assertType(d.info.params, params, `${a.name}`);
    } catch (e) {
      if (e instanceof ValueError) return `parameter ${e.path} ${e.problem}`;
      throw e;
    }
    if (d.info.role === "input") return undefined;
    const failed = d.conditions.findIndex((c) => !c(s, a));
    if (failed >= 0) {
      const conjunct = d.conditionNames[failed];
      return conjunct === undefined ? "its precondition is false" : `its precondition "${conjunct}" is false`;
    }
    if (d.candidates && ![...d.candidates(s)].some((p) => valuesEqual({ name: a.name, ...p } as Action, a))) {
      const enabled = [...d.candidates(s)].map((p) => formatAction({ name: a.name, ...p } as Action));
      return `it is not enabled (enabled ${a.name} actions: ${enabled.join(", ") || "none"})`;
    }
    return undefined;
  }

  roleOf(a: A): Role | undefined {
    const d = this.defs.get(a.name);
    return d && owns(d.info, a) ? d.info.role : undefined;
  }

  task(a: A): string {
    const d = this.defs.get(a.name);
    if (d?.task) return d.task(a);
    const owner = d?.info.owner;
    return owner === undefined ? a.name : `${a.name}@${formatValue(a[owner]!)}`;
  }

  details(a: A): ActionDetails {
    const d = this.defs.get(a.name);
    if (!d) throw new DefinitionError(`${formatAction(a)} is not an action of ${this.name}`);
    const owner = d.info.owner;
    const base = { kind: d.info.kind, ...(owner !== undefined && { process: a[owner] }) };
    return d.details ? { ...base, ...d.details(a) } : base;
  }
}

function defineAction(name: string, role: Role, params: Type<object>, spec: LocalSpec<unknown, Action>, id: Value | undefined): ActionDef {
  const pre = spec.pre;
  const named = pre === undefined ? [] : typeof pre === "function" ? [[undefined, pre] as const] : Object.entries(pre);
  const effect = spec.effect;
  const next = spec.next;
  const apply = next
    ? (next as (s: unknown, a: Action) => unknown)
    : effect
      ? (s: unknown, a: Action) =>
          produce(s, (draft: Draft<unknown>) => {
            effect(draft, a);
          })
      : (s: unknown) => s;
  const task = spec.task;
  return {
    info: {
      name,
      role,
      params: params as ActionInfo["params"],
      owner: spec.owner,
      ownerIds: spec.owner !== undefined && id !== undefined ? [id] : undefined,
      kind: spec.kind ?? "step",
      ...(spec.background && { background: true }),
    },
    conditions: named.map(([, c]) => c as AnyCondition),
    holds: conjunction(named.map(([, c]) => c as AnyCondition)),
    conditionNames: named.map(([n]) => n),
    candidates: spec.enabled as ((s: unknown) => Iterable<object>) | undefined,
    apply,
    task: typeof task === "string" ? () => task : (task as ((a: Action) => string) | undefined),
    details: spec.details as ((a: Action) => Omit<ActionDetails, "kind">) | undefined,
    domainActions: undefined,
    actionOf: actionBuilder(name, params),
  };
}

/** `(p) => ({ name, ...p })`, compiled for the parameters' record type (a spread takes V8's slow path); `p` if it is an action of that name. */
function actionBuilder(name: string, params: Type<object>): (p: object) => Action {
  const layout = params.layout();
  const plain = layout.kind === "record" && layout.fields.every((f) => !f.optional && f.key !== "name");
  const build = plain
    ? (new Function("p", `return { name: ${JSON.stringify(name)}, ${layout.fields.map((f) => `${JSON.stringify(f.key)}: p[${JSON.stringify(f.key)}]`).join(", ")} };`) as (p: object) => Action)
    : (p: object) => ({ name, ...p }) as Action;
  return (p) => ((p as Partial<Action>).name === name ? (p as Action) : build(p));
}

function bindOwner(d: ActionDef, id: Value): ActionDef {
  const owner = d.info.owner;
  return { ...d, info: { ...d.info, ownerIds: owner === undefined ? undefined : [id] }, domainActions: undefined, actionOf: actionBuilder(d.info.name, d.info.params) };
}

function owns(info: ActionInfo, a: Action): boolean {
  const ids = info.ownerIds;
  if (ids === undefined) return true;
  const who = a[info.owner!];
  if (who === undefined) return false;
  for (let i = 0; i < ids.length; i++) if (ids[i] === who || valuesEqual(ids[i]!, who)) return true;
  return false;
}

function conjunction(conditions: readonly AnyCondition[]): AnyCondition {
  if (conditions.length === 0) return () => true;
  if (conditions.length === 1) return conditions[0]!;
  return (s, a) => {
    for (let i = 0; i < conditions.length; i++) if (!conditions[i]!(s, a)) return false;
    return true;
  };
}

function domainActions(d: ActionDef): readonly Action[] {
  const domain = d.info.params.domain() ?? [];
  return domain.map((p) => ({ name: d.info.name, ...p }) as Action).filter((a) => owns(d.info, a));
}
