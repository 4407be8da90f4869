// The machine's events as Troupe actions: an event `{ type: "SET", n: 2 }` is the action
// `{ name: "SET", n: 2 }`, with the parameter types the user declares (`{ SET: { n: t.int(0, 3) } }`),
// so that explorers can check parameters and enumerate the enabled ones.

import type { AnyStateMachine, EventFromLogic, EventObject } from "xstate";
import type { Action, Params } from "../action.ts";
import { formatAction } from "../format.ts";
import { DefinitionError } from "../errors.ts";
import type { Fields, RecordOf } from "../types.ts";
import { nodeName, stateNodes } from "./unsupported.ts";

/** The event types of a machine (`string` for a machine whose events are not typed). */
export type EventType<M extends AnyStateMachine> = EventFromLogic<M>["type"];

/** Parameter declarations for every event of the machine: `{ OPEN: {}, SET: { n: t.int(0, 3) } }`. */
export type EventDeclarations<M extends AnyStateMachine> = { readonly [K in EventType<M>]: Fields };

/** The actions of the declared events: `{ name: "SET"; n: number } | { name: "OPEN" }`. */
export type EventAction<E extends { readonly [name: string]: Fields }> = {
  [K in keyof E & string]: Action<K> & RecordOf<E[K]>;
}[keyof E & string];

/** The XState event of the action `name(params)`: the name becomes the event's `type`. */
export function toEvent(name: string, params: { readonly [key: string]: unknown }): EventObject {
  const { name: _, ...fields } = params;
  return { ...fields, type: name };
}

/** An event as the Troupe action it is: `SET(n: 2)`. */
export function formatEvent(event: EventObject): string {
  const { type, ...params } = event;
  return formatAction({ name: type, ...(params as Params) });
}

/** XState's own events (done, error and delay events) and wildcards, which name no one event to declare. */
function isBuiltInOrPattern(event: string): boolean {
  return event.startsWith("xstate.") || event === "*" || event.endsWith(".*");
}

/** Refuses declarations that leave out an event some state handles, or that use "type" as a parameter. */
export function checkDeclarations(name: string, machine: AnyStateMachine, events: { readonly [name: string]: Fields }): void {
  for (const [event, params] of Object.entries(events)) {
    if ("type" in params) throw new DefinitionError(`${name}: event ${event} cannot have a parameter "type"; XState holds the event's name there`);
  }
  for (const node of stateNodes(machine)) {
    for (const event of node.ownEvents) {
      if (!isBuiltInOrPattern(event) && !(event in events)) {
        throw new DefinitionError(
          `${name}: state "${nodeName(node)}" handles event ${event}, which \`events\` does not declare; declare its parameters (${event}: {} if it has none)`,
        );
      }
    }
  }
}
