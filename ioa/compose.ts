// Composition: automata run side by side and synchronize on shared actions.
//
// An action shared by several components happens in all of them at once: the one component that
// controls it (its output or internal action) decides when, and every component having it as an
// input takes the step. Components are compatible when no action is controlled by two of them and
// internal actions stay private; instances of one definition for different process ids may share
// an action name, since each owns it only for its own id.
//
// The composite state is a record with one field per component, named by the keys of the
// components record: `compose("abp", { sender, receiver, data, ack })`.

import type { Action, ActionDetails, ActionInfo, Role } from "./action.ts";
import type { ActionOf, Automaton, StateOf } from "./automaton.ts";
import { DefinitionError } from "./errors.ts";
import { formatAction, formatValue } from "./format.ts";
import { t, type Type } from "./types.ts";
import { valuesEqual, type Value } from "./value.ts";

export type Components = { readonly [name: string]: Automaton<unknown, Action> };
export type CompositeState<C extends Components> = { -readonly [K in keyof C]: StateOf<C[K]> };

/** Which components take part in an action, by its owner when the components are instances. */
interface Route {
  readonly owner: string | undefined;
  /** Components that have the action for every owner value. */
  readonly always: readonly number[];
  /** Components that have it only for some owner values (primitive ids). */
  readonly byId: ReadonlyMap<Value, readonly number[]>;
  /** Components whose owner ids are structured values: asked one by one. */
  readonly others: readonly number[];
}

export class Composition<S, A extends Action> implements Automaton<S, A> {
  readonly stateType: Type<S>;
  readonly actions: ReadonlyMap<string, ActionInfo>;
  readonly keys: readonly string[];
  readonly parts: readonly Automaton<unknown, Action>[];
  private readonly routes: ReadonlyMap<string, Route>;
  /** Compiled `(state, componentState) => state` per component: one object shape for every composite state. */
  private readonly setters: readonly ((s: unknown, v: unknown) => unknown)[];

  constructor(
    readonly name: string,
    components: Components,
  ) {
    this.keys = Object.keys(components);
    if (this.keys.length === 0) throw new DefinitionError(`compose ${name}: no components`);
    this.parts = this.keys.map((k) => components[k]!);
    const stateType = t.record(Object.fromEntries(this.keys.map((k, i) => [k, this.parts[i]!.stateType])));
    this.stateType = stateType as unknown as Type<S>;
    this.setters = this.keys.map((k) => stateType.setter(k) as (s: unknown, v: unknown) => unknown);
    const byName = collectSignatures(this.parts);
    byName.forEach((entries, action) => checkCompatible(name, action, entries, this.keys));
    this.actions = new Map([...byName].map(([action, entries]) => [action, mergedInfo(entries)]));
    this.routes = new Map([...byName].map(([action, entries]) => [action, routeOf(entries)]));
  }

  private participants(a: Action): number[] {
    const found: number[] = [];
    this.findParticipant(a, (i) => void found.push(i));
    return found;
  }

  /**
   * The first component taking part in `a` for which `test` is true, or -1; `test` sees every
   * participant in order until then. Allocates nothing: roleOf and details run on hot paths.
   */
  private findParticipant(a: Action, test: (i: number) => boolean | void): number {
    const route = this.routes.get(a.name);
    if (!route) return -1;
    for (let j = 0; j < route.always.length; j++) if (test(route.always[j]!)) return route.always[j]!;
    const owned = route.owner === undefined ? undefined : route.byId.get(a[route.owner]!);
    if (owned) for (let j = 0; j < owned.length; j++) if (test(owned[j]!)) return owned[j]!;
    for (let j = 0; j < route.others.length; j++) {
      const i = route.others[j]!;
      if (this.parts[i]!.roleOf(a) !== undefined && test(i)) return i;
    }
    return -1;
  }

  startStates(): readonly S[] {
    let states: Record<string, unknown>[] = [{}];
    this.keys.forEach((k, i) => {
      const starts = this.parts[i]!.startStates();
      states = states.flatMap((s) => starts.map((x) => ({ ...s, [k]: x })));
    });
    return states as S[];
  }

  enabled(s: S, out: A[]): void {
    const rec = s as Record<string, unknown>;
    for (let i = 0; i < this.parts.length; i++) this.parts[i]!.enabled(rec[this.keys[i]!], out as Action[]);
  }

  /** The actions component `i` has enabled in `s` (`enabled` is every component's, in component order). */
  enabledIn(s: S, i: number, out: A[]): void {
    this.parts[i]!.enabled((s as Record<string, unknown>)[this.keys[i]!], out as Action[]);
  }

  /** The components that control (as outputs or internal actions) some action named in `names`. */
  controllersOf(names: ReadonlySet<string>): number[] {
    return this.parts.flatMap((part, i) => ([...part.actions.values()].some((info) => info.role !== "input" && names.has(info.name)) ? [i] : []));
  }

  step(s: S, a: A): S {
    const route = this.routes.get(a.name);
    if (!route) throw new DefinitionError(`${formatAction(a)} is not an action of ${this.name}`);
    let next: unknown = s;
    const always = route.always;
    for (let j = 0; j < always.length; j++) next = this.apply(next, always[j]!, a);
    if (route.owner !== undefined) {
      const owned = route.byId.get(a[route.owner]!);
      if (owned !== undefined) for (let j = 0; j < owned.length; j++) next = this.apply(next, owned[j]!, a);
    }
    for (let j = 0; j < route.others.length; j++) if (this.parts[route.others[j]!]!.roleOf(a) !== undefined) next = this.apply(next, route.others[j]!, a);
    return next as S;
  }

  /** `s` after component `i` takes `a` (the same object if the component's state is unchanged). */
  private apply(s: unknown, i: number, a: A): unknown {
    const before = (s as Record<string, unknown>)[this.keys[i]!];
    const after = this.parts[i]!.step(before, a);
    return after === before ? s : this.setters[i]!(s, after);
  }

  why(s: S, a: A): string | undefined {
    const parts = this.participants(a);
    if (parts.length === 0) return `${formatAction(a)} is not an action of ${this.name}`;
    const rec = s as Record<string, unknown>;
    for (const i of parts) {
      const reason = this.parts[i]!.why(rec[this.keys[i]!], a);
      if (reason !== undefined) return `${this.keys[i]}: ${reason}`;
    }
    return undefined;
  }

  roleOf(a: A): Role | undefined {
    let participates = false;
    let internal = false;
    const output = this.findParticipant(a, (i) => {
      participates = true;
      const role = this.parts[i]!.roleOf(a);
      if (role === "internal") internal = true;
      return role === "output";
    });
    if (output >= 0) return "output";
    if (!participates) return undefined;
    return internal ? "internal" : "input";
  }

  task(a: A): string {
    const controller = this.controller(a);
    return controller === undefined ? a.name : `${this.keys[controller]}: ${this.parts[controller]!.task(a)}`;
  }

  /** The details the controlling component gives (for an input of the composite: its first taker). */
  details(a: A): ActionDetails {
    const controller = this.controller(a) ?? this.findParticipant(a, () => true);
    if (controller < 0) throw new DefinitionError(`${formatAction(a)} is not an action of ${this.name}`);
    return this.parts[controller]!.details(a);
  }

  private controller(a: A): number | undefined {
    const i = this.findParticipant(a, (j) => this.parts[j]!.roleOf(a) !== "input");
    return i < 0 ? undefined : i;
  }
}

type Entry = { readonly index: number; readonly info: ActionInfo };

function collectSignatures(parts: readonly Automaton<unknown, Action>[]): Map<string, Entry[]> {
  const byName = new Map<string, Entry[]>();
  parts.forEach((p, index) => {
    for (const info of p.actions.values()) {
      const list = byName.get(info.name) ?? [];
      list.push({ index, info });
      byName.set(info.name, list);
    }
  });
  return byName;
}

function checkCompatible(composite: string, action: string, entries: readonly Entry[], keys: readonly string[]): void {
  const where = `compose ${composite}: action "${action}"`;
  const first = entries[0]!;
  for (const e of entries.slice(1)) {
    if (e.info.params.description !== first.info.params.description) {
      throw new DefinitionError(
        `${where} has parameters ${first.info.params.description} in "${keys[first.index]}" but ${e.info.params.description} in "${keys[e.index]}"`,
      );
    }
  }
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, b] = [entries[i]!, entries[j]!];
      if (disjointOwners(a.info, b.info)) continue;
      const internal = a.info.role === "internal" ? a : b.info.role === "internal" ? b : undefined;
      if (internal) {
        const other = internal === a ? b : a;
        throw new DefinitionError(`${where} is internal to "${keys[internal.index]}" and may not appear in "${keys[other.index]}"`);
      }
      if (a.info.role === "output" && b.info.role === "output") {
        throw new DefinitionError(`${where} is an output of both "${keys[a.index]}" and "${keys[b.index]}"`);
      }
    }
  }
}

/** Instances of one definition share an action when each owns it for different process ids. */
function disjointOwners(a: ActionInfo, b: ActionInfo): boolean {
  if (a.owner === undefined || a.owner !== b.owner || !a.ownerIds || !b.ownerIds) return false;
  return a.ownerIds.every((x) => !b.ownerIds!.some((y) => valuesEqual(x, y)));
}

const ROLE_RANK: Record<Role, number> = { output: 2, internal: 1, input: 0 };

function mergedInfo(entries: readonly Entry[]): ActionInfo {
  const lead = [...entries].sort((x, y) => ROLE_RANK[y.info.role] - ROLE_RANK[x.info.role])[0]!.info;
  const owner = entries.find((e) => e.info.owner !== undefined)?.info.owner;
  const everyOwned = entries.every((e) => e.info.ownerIds !== undefined);
  const ownerIds = everyOwned ? entries.flatMap((e) => e.info.ownerIds!) : undefined;
  // Urgency is a promise of the automaton that enforces it (layers/priority.ts), which the other components do not keep.
  const { urgent: _, ...info } = lead;
  return { ...info, owner, ownerIds };
}

function routeOf(entries: readonly Entry[]): Route {
  const owner = entries.find((e) => e.info.owner !== undefined)?.info.owner;
  const always: number[] = [];
  const byId = new Map<Value, number[]>();
  const others: number[] = [];
  for (const { index, info } of entries) {
    if (info.ownerIds === undefined) always.push(index);
    else if (info.ownerIds.every((id) => typeof id !== "object")) {
      for (const id of info.ownerIds) byId.set(id, [...(byId.get(id) ?? []), index]);
    } else others.push(index);
  }
  return { owner, always, byId, others };
}

/** Composes automata; the keys of `components` name the fields of the composite state. */
export function compose<const C extends Components>(name: string, components: C): Composition<CompositeState<C>, ActionOf<C[keyof C]>> {
  return new Composition(name, components);
}

/** One component per id, keyed `name[id]`: `compose("group", { net, ...instances("proc", ids, proc) })`. */
export function instances<I extends Value, X extends Automaton<unknown, Action>>(
  name: string,
  ids: readonly I[],
  make: (id: I) => X,
): Record<string, X> {
  return Object.fromEntries(ids.map((id) => [`${name}[${formatValue(id)}]`, make(id)]));
}
