// Casts waiting for their turn, as the total order layers (sequencer.ts, token.ts) keep them: each
// sender's casts in the order they came up (the layers below deliver each sender's casts in
// order), and the turns announced so far — senders, in order: the k-th turn of q is q's next cast.

import { appendTo } from "../ioa/index.ts";
import type { MessageEvent } from "./event.ts";
import type { Io } from "./layer.ts";
import type { Body } from "./message.ts";

/** The header of a cast that waits for its turn. */
export const DATA = { type: "Data" } as const;

/** The handler of messages from above: a reliable cast goes down as Data, to wait for its turn at every member; anything else goes down untouched. */
export function castInTurn<S, H>(s: S, ev: MessageEvent, io: Io<H | typeof DATA>): S {
  if (ev.type === "Cast" && !ev.unreliable) io.dn(ev, DATA);
  else io.dn(ev);
  return s;
}

/** Per sender, its casts that came up and wait for their turn, oldest first. */
export type Held = readonly (readonly Body[])[];

/** `held` with `body` added at the end of sender `from`'s casts. */
export function holding(held: Held, from: number, body: Body): Body[][] {
  return held.map((list, q) => (q === from ? appendTo(list, body) : list)) as Body[][];
}

/**
 * Takes as many turns of `order` as there are held casts for: `deliver` is called on each, in
 * order. Returns what is left of the turns and the held casts (the same objects when no turn was
 * taken).
 */
export function takeTurns<O extends readonly number[], H extends Held>(order: O, held: H, deliver: (from: number, body: Body) => void): { readonly order: O; readonly held: H } {
  const taken = held.map(() => 0);
  let k = 0;
  for (; k < order.length; k++) {
    const from = order[k]!;
    const body = held[from]![taken[from]!];
    if (body === undefined) break;
    deliver(from, body);
    taken[from]!++;
  }
  if (k === 0) return { order, held };
  return { order: order.slice(k) as unknown as O, held: held.map((list, q) => (taken[q] === 0 ? list : list.slice(taken[q]))) as unknown as H };
}

/**
 * What is left at a view change, delivered before the next view is installed: the announced turns
 * first; then, if every announced turn could be taken and `ordererStays` (whoever could announce
 * next in the old view moves to the new one with this member), the casts never announced, by
 * sender rank and each in its sender's order. Otherwise those are dropped: another part of the group
 * may be ordering them otherwise, and the total order service allows a cast to go undelivered,
 * never to be delivered in two orders.
 */
export function deliverLeftovers(order: readonly number[], held: Held, ordererStays: boolean, deliver: (from: number, body: Body) => void): void {
  const left = takeTurns(order, held, deliver);
  if (left.order.length > 0 || !ordererStays) return;
  left.held.forEach((list, from) => list.forEach((body) => deliver(from, body)));
}
