// A search node with trace monitors, as symmetry reduction renames it: the state together with the
// monitors' states, as one typed value, so that renaming the processes renames what the monitors
// remember of them too. Each monitor must declare the type of its states (`Monitor.type`), with no
// ids the model's state does not declare alike.
//
// A state that is a record becomes the record with one more field per monitor: its tables stay at
// the top, where the renamed fingerprint splits them into parts (a process's stack remembered by
// object), and each monitor's state is a part of its own. Any other state is paired with a tuple
// of the monitors' states.

import { DefinitionError, t, type Action, type Monitor, type Type, type Value } from "../ioa/index.ts";
import type { Named } from "./properties.ts";

export interface MonitoredNodes<S> {
  /** The type of a node. */
  readonly type: Type<unknown>;
  /** The node of a state with the monitors' states. */
  node(state: S, monitors: readonly Value[]): unknown;
  /** The state and the monitors' states of a node (of a renamed one too). */
  split(node: unknown): { readonly state: S; readonly monitors: readonly Value[] };
}

export function monitoredNodes<S>(type: Type<S>, monitors: readonly Named<Monitor<Action>>[]): MonitoredNodes<S> {
  const types = monitorTypes(type, monitors);
  const layout = type.layout();
  if (layout.kind !== "record") return paired(type, types);
  const stateKeys = layout.fields.map((f) => f.key);
  const keys = monitors.map((m) => `monitor ${m.name}`);
  const clash = keys.find((k) => stateKeys.includes(k));
  if (clash !== undefined) return paired(type, types);
  // Compiled object literals: one shape for every node (a spread and added keys would make each a dictionary).
  const read = (from: string, key: string) => `${from}[${JSON.stringify(key)}]`;
  const field = (key: string, value: string) => `${JSON.stringify(key)}: ${value}`;
  const node = new Function("s", "m", `return { ${[...stateKeys.map((k) => field(k, read("s", k))), ...keys.map((k, i) => field(k, `m[${i}]`))].join(", ")} };`);
  const state = new Function("n", `const s = { ${stateKeys.map((k) => field(k, read("n", k))).join(", ")} }; ${optionalKeys(layout.fields).map((k) => `if (s[${JSON.stringify(k)}] === undefined) delete s[${JSON.stringify(k)}];`).join(" ")} return s;`);
  const values = new Function("n", `return [${keys.map((k) => read("n", k)).join(", ")}];`);
  return {
    type: t.record({ ...Object.fromEntries(layout.fields.map((f) => [f.key, f.optional ? t.optional(f.type) : f.type])), ...Object.fromEntries(keys.map((k, i) => [k, types[i]!])) }),
    node: node as (state: S, monitors: readonly Value[]) => unknown,
    split: (n) => ({ state: state(n) as S, monitors: values(n) as Value[] }),
  };
}

function optionalKeys(fields: readonly { readonly key: string; readonly optional: boolean }[]): string[] {
  return fields.filter((f) => f.optional).map((f) => f.key);
}

/** A state that is not a record, paired with a tuple of the monitors' states. */
function paired<S>(type: Type<S>, types: readonly Type<Value>[]): MonitoredNodes<S> {
  return {
    type: t.record({ state: type as Type<unknown>, monitors: t.tuple(...types) }),
    node: (state, monitors) => ({ state, monitors }),
    split: (node) => node as { state: S; monitors: readonly Value[] },
  };
}

/** The monitors' state types, each checked against the state's ids. */
function monitorTypes(type: Type<unknown>, monitors: readonly Named<Monitor<Action>>[]): Type<Value>[] {
  const untyped = monitors.filter((m) => m.property.type === undefined).map((m) => m.name);
  if (untyped.length > 0) {
    const one = untyped.length === 1;
    throw new DefinitionError(
      `--symmetry cannot rename the states of the trace monitor${one ? "" : "s"} ${untyped.join(", ")}: ${one ? "it is" : "they are"} untyped (a monitor declares the type of its states as Monitor.type, its process ids with the model's t.ids); check without --symmetry, or without ${one ? "that property" : "those properties"} (--property)`,
    );
  }
  for (const { name, property } of monitors) {
    for (const [set, count] of property.type!.idSets) {
      const declared = type.idSets.get(set);
      if (declared !== count) {
        throw new DefinitionError(`--symmetry: the trace monitor ${name} declares ids ${set} (${count} of them), which the model's state ${declared === undefined ? "does not declare" : `declares ${declared} of`}`);
      }
    }
  }
  return monitors.map((m) => m.property.type!);
}
