// The group service interface: the external actions every service specification and every stack
// of layers shares, so that a trace from any source can be judged by any specification.
//
//   cast    {p, msg}        p multicasts msg to its current view
//   deliver {p, from, msg}  p delivers msg, which `from` cast
//   safe    {p, from, msg}  p learns that msg is stable in its view (every member has it)
//   view    {p, view}       p installs view {id, members}
//   crash   {p}             p crashes
//   recover {p}             p recovers
//
// Processes are ids 0..n-1 (`t.ids("P", n)`, so symmetry reduction may permute them). A message is
// identified by its sender and its value: within a run a process never casts the same value twice
// (carry a sequence number where a payload could repeat).
//
// A view may carry two optional fields. `transitional` is the transitional set of Chockler,
// Keidar and Vitenberg: the members of the new view that come to it from the installer's previous
// view. `kind: "transitional"` marks a transitional configuration of extended virtual synchrony
// (Moser, Amir, Melliar-Smith, Agarwal): it is delivered between two regular configurations, its
// members are those that move together from the old regular configuration to the next one, and it
// carries the id of that next regular configuration.

import { ISet, range, t, valuesEqual, type IdsType, type Infer, type Type, type Value } from "../ioa/index.ts";

export type ProcessId = number;

export type View = {
  readonly id: number;
  readonly members: ISet<ProcessId>;
  /** The transitional set: members of this view that come to it from the installer's previous view. */
  readonly transitional?: ISet<ProcessId>;
  /** Extended virtual synchrony only: a transitional configuration, not a regular one. */
  readonly kind?: "transitional";
};

export interface GroupTypes<M> {
  readonly P: IdsType;
  readonly View: Type<View>;
  readonly Msg: Type<M>;
  /** A message's identity: its sender and its value. */
  readonly MessageId: Type<MessageId<M>>;
  /** Parameter declarations of the group actions, for `.input(...)`/`.output(...)`. */
  readonly cast: { p: IdsType; msg: Type<M> };
  readonly deliver: { p: IdsType; from: IdsType; msg: Type<M> };
  readonly safe: { p: IdsType; from: IdsType; msg: Type<M> };
  readonly view: { p: IdsType; view: Type<View> };
  readonly crash: { p: IdsType };
  readonly recover: { p: IdsType };
}

/** The types of a group of `n` processes exchanging messages of type `msg` (any value by default). */
export function groupTypes<M = Infer<ReturnType<typeof t.value>>>(n: number, msg?: Type<M>): GroupTypes<M> {
  const P = t.ids("P", n);
  const Msg = msg ?? (t.value() as unknown as Type<M>);
  const View = t.record({
    id: t.int(0),
    members: t.set(P),
    transitional: t.optional(t.set(P)),
    kind: t.optional(t.literal("transitional")),
  }) as unknown as Type<View>;
  return {
    P,
    View,
    Msg,
    MessageId: t.record({ from: P, msg: Msg }) as unknown as Type<MessageId<M>>,
    cast: { p: P, msg: Msg },
    deliver: { p: P, from: P, msg: Msg },
    safe: { p: P, from: P, msg: Msg },
    view: { p: P, view: View },
    crash: { p: P },
    recover: { p: P },
  };
}

export type GroupAction<M = unknown> =
  | { readonly name: "cast"; readonly p: ProcessId; readonly msg: M }
  | { readonly name: "deliver"; readonly p: ProcessId; readonly from: ProcessId; readonly msg: M }
  | { readonly name: "safe"; readonly p: ProcessId; readonly from: ProcessId; readonly msg: M }
  | { readonly name: "view"; readonly p: ProcessId; readonly view: View }
  | { readonly name: "crash"; readonly p: ProcessId }
  | { readonly name: "recover"; readonly p: ProcessId };

export const GROUP_ACTIONS = ["cast", "deliver", "safe", "view", "crash", "recover"] as const;
export type GroupActionName = (typeof GROUP_ACTIONS)[number];

/** Is this action one of the group interface's (by name)? Explorers feed monitors other actions too. */
export function isGroupAction<A extends { readonly name: string }>(a: A): a is A & GroupAction<Value> {
  return (GROUP_ACTIONS as readonly string[]).includes(a.name);
}

/** The view every process of a group of `n` starts in: id 0, everyone a member. */
export function initialView(n: number): View {
  return { id: 0, members: ISet.from(range(n)) };
}

/** A message's identity: who cast it, and its value. */
export type MessageId<M = Value> = {
  readonly from: ProcessId;
  readonly msg: M;
};

export function sameMessage(a: MessageId, b: MessageId): boolean {
  return a.from === b.from && valuesEqual(a.msg, b.msg);
}
