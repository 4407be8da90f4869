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
  /**
   * A background action (a heartbeat, a failure detector's sweep): it goes on in a quiet system
   * and does not keep it from quiescence. Explorers judge quiescence where nothing else is enabled.
   */
  readonly background?: boolean;
  /**
   * After this action its owner's timers start afresh (a view installed: the new view's stack sets
   * its own), so that a timer set in the old view does not go off early in the new one.
   */
  readonly restartsTimers?: boolean;
  /**
   * While this action is enabled, no action that is not urgent is (a process's outputs leaving
   * during its run: layers/priority.ts). Explorers that keep time know from it that what else was
   * enabled is hidden for a moment, not gone. Set by the automaton that enforces it; a composition
   * of it with others does not, and drops the mark.
   */
  readonly urgent?: boolean;
}

/**
 * What one particular action means to explorers that know nothing of networks, and to the charts
 * that draw executions: whose step it is, the other end of a message, the message itself (so that a
 * send can be paired with its deliveries), how long a timer waits, which fault is injected.
 */
export interface ActionDetails {
  readonly kind: ActionKind;
  /** The process that takes the step (the chart's lifeline); by default the owner parameter's value. */
  readonly process?: Value;
  /** The other process: the sender of a delivery, the destination of a send. */
  readonly peer?: Value;
  /** Identity of the message carried: a send and the deliveries of the same message share it. */
  readonly message?: Value;
  /** Timers: the virtual time the timer waits before it may fire. */
  readonly delay?: number;
  /** Faults: which one (drop, duplicate, partition, heal, crash, recover, …). */
  readonly fault?: string;
  /**
   * Partitions: the components the processes are split into, each listing processes that can still
   * reach one another; a heal gives one component, or none. A fault plan that asks for a split
   * finds the action that makes it by these.
   */
  readonly components?: readonly (readonly Value[])[];
  /** Charts: a short label drawn at the event, for a milestone such as a view installed ("view 2 {0, 1}"). */
  readonly label?: string;
}

export function isLocallyControlled(role: Role): boolean {
  return role !== "input";
}

export function isExternal(role: Role): boolean {
  return role !== "internal";
}
