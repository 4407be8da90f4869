// What the adapter cannot model, found before exploring (by reading the machine's state nodes) or
// on the transition that first needs it (by reading the actions XState asks to execute).
//
// A Troupe state is the machine's {value, context}: everything the future depends on must be in
// it. Delayed transitions need real time; invoked and spawned actors live outside the snapshot;
// a history state remembers configurations in `historyValue`, which {value, context} leaves out.
// Each is refused with the state and the feature named, rather than explored wrongly.

import type { AnyStateMachine, StateValue } from "xstate";
import { DefinitionError } from "../errors.ts";
import { formatValue } from "../format.ts";
import type { Value } from "../value.ts";

type StateNode = AnyStateMachine["root"];

/** Every state node of the machine, the root first, in document order. */
export function stateNodes(machine: AnyStateMachine): StateNode[] {
  const out: StateNode[] = [];
  const visit = (node: StateNode): void => {
    out.push(node);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return out;
}

/** A state node as users write it: its path from the root ("open.locked"), or the machine's id for the root. */
export function nodeName(node: StateNode): string {
  return node.path.length === 0 ? `${node.machine.id} (the root)` : node.path.join(".");
}

/** A state value as users write it: "open.locked" for nested states, a record for parallel ones. */
export function describeStateValue(value: StateValue): string {
  if (typeof value === "string") return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const child = value[keys[0]!];
    return child === undefined ? keys[0]! : `${keys[0]}.${describeStateValue(child)}`;
  }
  return formatValue(value as Value);
}

/** Refuses machines with delayed transitions, invoked actors or history states, naming the state. */
export function rejectUnsupportedNodes(name: string, machine: AnyStateMachine): void {
  for (const node of stateNodes(machine)) {
    const where = `${name}: state "${nodeName(node)}"`;
    const delay = node.after[0]?.delay;
    if (delay !== undefined) {
      throw new DefinitionError(
        `${where} has a delayed transition (after ${String(delay)}): delayed transitions need real time, which the XState adapter does not model; make the timeout an event and declare it internal`,
      );
    }
    const invoked = node.invoke[0];
    if (invoked) {
      throw new DefinitionError(
        `${where} invokes an actor (${describeSource(invoked.src)}): invoked actors are not supported, since their state is not part of the machine's {value, context}`,
      );
    }
    if (node.type === "history") {
      throw new DefinitionError(
        `${where} is a history state: history states are not supported, since what they remember is not part of the machine's {value, context}`,
      );
    }
  }
}

function describeSource(src: unknown): string {
  return typeof src === "string" ? `"${src}"` : "an inline actor";
}

/** An action XState asks to execute, as `transition` returns it. */
export interface ExecutableAction {
  readonly type: string;
  readonly params?: unknown;
}

/** Refuses a transition that spawns an actor or schedules a delayed event: the adapter cannot run either. */
export function rejectUnsupportedActions(where: string, actions: readonly ExecutableAction[], children: object): void {
  for (const action of actions) {
    if (action.type === "xstate.spawnChild") {
      throw new DefinitionError(`${where} spawns an actor: spawned actors are not supported, since their state is not part of the machine's {value, context}`);
    }
    const delay = delayOf(action.params);
    if (delay !== undefined) {
      throw new DefinitionError(
        `${where} schedules a delayed event (${action.type}, delay ${String(delay)}): delayed events need real time, which the XState adapter does not model`,
      );
    }
  }
  const child = Object.keys(children)[0];
  if (child !== undefined) {
    throw new DefinitionError(`${where} has a child actor "${child}": spawned actors are not supported, since their state is not part of the machine's {value, context}`);
  }
}

function delayOf(params: unknown): unknown {
  if (typeof params !== "object" || params === null || !("delay" in params)) return undefined;
  return params.delay ?? undefined;
}
