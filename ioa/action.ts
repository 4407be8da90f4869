// Actions and signatures.
//
// An action is plain immutable data: a name and named parameters, `{ name: "send", p: 1, m: "a" }`.
// A signature says, per action name, whether the action is an input, an output or an internal
// action of an automaton, what its parameters are, and — when one parameter names a process — which
// parameter that is (the owner): `send(p, m)` may be an output of process p only.

import type { Type } from "./types.ts";
import type { Value } from "./value.ts";

export type Params = { readonly [key: string]: Value };
export type Action<N extends string = string, P extends Params = Params> = { readonly name: N } & P;

export type Role = "input" | "output" | "internal";

/**
 * What an action means to explorers that know nothing of networks: a process's own step, the
 * delivery of a message, a timer firing, or an injected fault. The simulator schedules by kind;
 * the sequence chart draws by kind.
 */
export type ActionKind = "step" | "deliver" | "timer" | "fault";

export interface ActionInfo {
  readonly name: string;
  readonly role: Role;
  readonly params: Type<Params>;
  /** The parameter that names the process owning the action, if any. */
  readonly owner?: string | undefined;
  /** Owner values this automaton has the action for; undefined means every value. */
  readonly ownerIds?: readonly Value[] | undefined;
  readonly kind: ActionKind;
}

export function isLocallyControlled(role: Role): boolean {
  return role !== "input";
}

export function isExternal(role: Role): boolean {
  return role !== "internal";
}
