// A machine's snapshot as a Troupe state, and back.
//
// The Troupe state is `{ value, context }`: the state value ("open", { light: "red", walk: "stop" })
// and the context, both canonical values so that explorers can fingerprint and compare them. The
// rest of a snapshot is derived (tags, status, `can`) or refused (children, history; see
// unsupported.ts), so XState's `resolveState` rebuilds the whole snapshot from these two.

import type { AnyMachineSnapshot, AnyStateMachine, ContextFrom, SnapshotFrom, StateValue } from "xstate";
import { DefinitionError, ValueError } from "../errors.ts";
import { assertType, t, type Type } from "../types.ts";
import { checkValue, type Value } from "../value.ts";
import { describeStateValue } from "./unsupported.ts";

/** The Troupe state of a machine: its state value and its context. */
export type MachineState<M extends AnyStateMachine> = {
  readonly value: SnapshotFrom<M>["value"];
  readonly context: ContextFrom<M>;
};

/** The same state as the adapter handles it inside, whatever the machine. */
export type TroupeState = { readonly value: Value; readonly context: Value };

/** The state type: any state value, and the context as the user typed it, or any canonical value. */
export function troupeStateType(context: Type<Value> | undefined) {
  return t.record({ value: t.value(), context: context ?? t.value() });
}

/**
 * The Troupe state of a snapshot, or an error naming the state and the event after which the
 * context stopped being a Troupe value (a float, undefined, a class instance, …).
 */
export function toTroupeState(snapshot: AnyMachineSnapshot, context: Type<Value> | undefined, where: string): TroupeState {
  const value: unknown = snapshot.value;
  const ctx: unknown = snapshot.context;
  try {
    if (context) assertType(context, ctx, "context");
    else checkValue(ctx, "context");
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    throw new DefinitionError(
      `${where} leads to state "${describeStateValue(snapshot.value)}", where ${e.message}`,
    );
  }
  return { value: value as Value, context: ctx };
}

/** The snapshot of a Troupe state, remembered per state object: enabled and step ask for the same one. */
export function snapshotCache(machine: AnyStateMachine): (s: TroupeState) => AnyMachineSnapshot {
  const cache = new WeakMap<TroupeState, AnyMachineSnapshot>();
  return (s) => {
    let snapshot = cache.get(s);
    if (!snapshot) {
      snapshot = machine.resolveState({ value: s.value as StateValue, context: s.context });
      cache.set(s, snapshot);
    }
    return snapshot;
  };
}
