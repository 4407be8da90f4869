// An XState v5 machine as a Troupe automaton.
//
//   const door = fromMachine("door", doorMachine, {
//     events: { OPEN: {}, CLOSE: {}, LOCK: { code: t.int(0, 3) } },
//     internals: ["AUTO_CLOSE"],
//   });
//
// Each event is an action of the same name whose parameters are the event's other fields, typed
// as declared. Events are inputs by default: always enabled, as in the IOA model, and an event the
// machine cannot take in its current state changes nothing, as in XState. Events marked as outputs
// or internals are locally controlled: enabled exactly when the machine can take them (XState's
// `snapshot.can`, guards included), which lets a machine drive the Troupe automata it is composed
// with. Every transition is XState's own (`transition`), so nested and parallel states, guards,
// `assign`, entry and exit actions, eventless `always` transitions and final states mean exactly
// what they mean in XState; the adapter only checks that the result is a Troupe value.

import { initialTransition, transition, type AnyStateMachine, type ContextFrom, type EventObject, type InputFrom } from "xstate";
import type { Action } from "../action.ts";
import { automaton, type Definition } from "../define.ts";
import { DefinitionError } from "../errors.ts";
import type { Fields, Type } from "../types.ts";
import type { Value } from "../value.ts";
import { checkDeclarations, formatEvent, toEvent, type EventAction, type EventDeclarations } from "./events.ts";
import { snapshotCache, toTroupeState, troupeStateType, type MachineState, type TroupeState } from "./machine-state.ts";
import { describeStateValue, rejectUnsupportedActions, rejectUnsupportedNodes } from "./unsupported.ts";

export interface MachineOptions<M extends AnyStateMachine, E extends EventDeclarations<M>> {
  /** The parameters of every event the machine handles, as Troupe types: `{ SET: { n: t.int(0, 3) } }`. */
  readonly events: E;
  /** Events the machine emits to the automata it is composed with: outputs, enabled when the machine can take them. */
  readonly outputs?: readonly (keyof E & string)[];
  /** Events the machine takes on its own (a timeout, a choice): internal, enabled when the machine can take them. */
  readonly internals?: readonly (keyof E & string)[];
  /** The event parameter naming the process that owns the event, so that `.instance(p)` binds the machine to p. */
  readonly owner?: string;
  /** The type of the context, checked after every transition; by default any Troupe value. */
  readonly context?: Type<ContextFrom<M>>;
  /** The machine's input, for machines whose context is built from it. */
  readonly input?: InputFrom<M>;
}

/** The Troupe automaton that takes the machine's transitions on its events. */
export function fromMachine<M extends AnyStateMachine, const E extends EventDeclarations<M>>(
  name: string,
  machine: M,
  options: MachineOptions<M, E>,
): Definition<MachineState<M>, EventAction<E>> {
  const logic: AnyStateMachine = machine;
  rejectUnsupportedNodes(name, logic);
  const events: { readonly [event: string]: Fields } = options.events;
  checkDeclarations(name, logic, events);
  const roles = eventRoles(name, events, options);
  const contextType: Type<Value> | undefined = options.context as Type<unknown> as Type<Value> | undefined;
  const snapshotOf = snapshotCache(logic);

  const step = (s: TroupeState, event: EventObject): TroupeState => {
    const before = snapshotOf(s);
    const [after, actions] = transition(logic, before, event);
    if (after === before) return s;
    const where = `${name}: event ${formatEvent(event)} in state "${describeStateValue(before.value)}"`;
    rejectUnsupportedActions(where, actions, after.children);
    return toTroupeState(after, contextType, where);
  };

  let definition: Definition<TroupeState, Action> = automaton(name, troupeStateType(contextType)).start(startState(name, logic, contextType, options.input));
  for (const [event, params] of Object.entries(events)) {
    const owner = options.owner !== undefined && options.owner in params ? { owner: options.owner } : {};
    const next = (s: TroupeState, p: EventParams) => step(s, toEvent(event, p));
    const role = roles.get(event) ?? "input";
    if (role === "input") definition = definition.input(event, params, { next, ...owner });
    else definition = definition[role](event, params, { next, pre: (s, p) => snapshotOf(s).can(toEvent(event, p)), ...owner });
  }
  return definition as unknown as Definition<MachineState<M>, EventAction<E>>;
}

/** The parameters of an event as the definition API hands them over (the event's name among them, ignored). */
type EventParams = { readonly [key: string]: unknown };

function startState(name: string, machine: AnyStateMachine, context: Type<Value> | undefined, input: unknown): TroupeState {
  const [snapshot, actions] = initialTransition(machine, input);
  const where = `${name}: the initial transition`;
  rejectUnsupportedActions(where, actions, snapshot.children);
  return toTroupeState(snapshot, context, where);
}

/** Which events are outputs and which internal; an event named twice, or not declared, is an error. */
function eventRoles<M extends AnyStateMachine, E extends EventDeclarations<M>>(
  name: string,
  events: { readonly [event: string]: Fields },
  options: MachineOptions<M, E>,
): ReadonlyMap<string, "output" | "internal"> {
  const roles = new Map<string, "output" | "internal">();
  const mark = (list: readonly string[] | undefined, role: "output" | "internal") => {
    for (const event of list ?? []) {
      if (!(event in events)) throw new DefinitionError(`${name}: ${role} event ${event} is not one of the declared events (${Object.keys(events).join(", ")})`);
      if (roles.has(event)) throw new DefinitionError(`${name}: event ${event} is marked both ${roles.get(event)} and ${role}`);
      roles.set(event, role);
    }
  };
  mark(options.outputs, "output");
  mark(options.internals, "internal");
  return roles;
}
