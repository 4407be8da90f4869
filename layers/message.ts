// A message and its header stack.
//
// Going down, each layer pushes its header onto the message; coming up, each layer pops its own.
// The header stack is nested, one level per layer, as Ensemble's `Full(hdr, abv)`:
//
//   { header: <bottom's>, above: { header: <mnak's>, above: { … above: {} } } }
//
// `header` is absent when the layer adds nothing (Ensemble's NoHdr); `above` is absent when the
// message is the layer's own (a NAK, an acknowledgement, a gossip): no layer above has a part in it.
// The application's level, above the top layer, is the empty record. A layer is handed its own
// header and the level above as an opaque `Above`, so by construction it reads no other header.
// The payload travels beside the headers, so that a layer such as frag can cut it.

import { t, type ISet, type RecordType, type Type, type Value } from "../ioa/index.ts";
import type { Above, Carried } from "./event.ts";

export interface Level {
  readonly header?: Value;
  readonly above?: Level | Record<string, never>;
}

/** The level above the top layer: the application adds no header. */
export const APPLICATION = {} as Above;
export const applicationLevel: Type<Above> = t.record({}) as unknown as Type<Above>;

/** The type of one layer's level: its header, and the level of the layer above. */
export function levelType<H>(header: Type<H>, above: Type<Above>): Type<Above> {
  return t.record({ header: t.optional(header), above: t.optional(above) }) as unknown as Type<Above>;
}

type MessageFields = Carried & { readonly type: string; readonly peer?: number; readonly unreliable?: true; readonly dests?: ISet<number> };

/**
 * `ev` carrying `above` instead of what it carried (no `above` field when undefined). Written out
 * field by field: every message event then has one object shape, which V8 handles much faster
 * than a rest spread.
 */
export function carrying<E extends Carried>(ev: E, above: Above | undefined): E {
  const { type, peer, unreliable, dests, payload } = ev as unknown as MessageFields;
  const out: { -readonly [K in keyof MessageFields]: MessageFields[K] } = { type };
  if (peer !== undefined) out.peer = peer;
  if (unreliable !== undefined) out.unreliable = unreliable;
  if (dests !== undefined) out.dests = dests;
  if (above !== undefined) out.above = above;
  if (payload !== undefined) out.payload = payload;
  return out as unknown as E;
}

/** `ev` with `header` pushed onto its header stack. */
export function push<E extends Carried, H>(ev: E, header: H | undefined): E {
  const below = ev.above;
  let level: Level;
  if (header === undefined) level = below === undefined ? {} : { above: below as unknown as Level };
  else level = below === undefined ? { header: header as Value } : { header: header as Value, above: below as unknown as Level };
  return carrying(ev, level as unknown as Above);
}

export interface Popped<E, H> {
  /** The event carrying the levels above the one popped. */
  readonly ev: E;
  readonly header: H | undefined;
  /** The message is the popping layer's own: no layer above it has a part in it. */
  readonly own: boolean;
}

/** Pops the top header of `ev`'s header stack. */
export function pop<E extends Carried, H>(ev: E): Popped<E, H> {
  const level = ev.above as unknown as Level | undefined;
  if (level === undefined) throw new TypeError(`pop: a ${(ev as { type?: string }).type ?? ""} event without headers`);
  const above = level.above as unknown as Above | undefined;
  return { ev: carrying(ev, above), header: level.header as H | undefined, own: above === undefined };
}

/** What travels on the network: the header stack and the payload. */
export type Packet = {
  readonly headers: Above;
  readonly payload?: string;
};

export function packetType(headers: Type<Above>): RecordType<{ headers: Type<Above>; payload: ReturnType<typeof t.optional<string>> }> {
  return t.record({ headers, payload: t.optional(t.string()) });
}

/** A message a layer holds (to retransmit it, or until it can deliver it): what its event carried. */
export function bodyType(above: Type<Above>) {
  return t.record({ above: t.optional(above), payload: t.optional(t.string()) });
}

/** A message as a layer holds it: what the event carried, without the event. */
export type Body = Carried;

/** What `ev` carries (its headers above and payload), for holding it. */
export function bodyOf(ev: Carried): Body {
  const { above, payload } = ev;
  if (above === undefined) return payload === undefined ? {} : { payload };
  return payload === undefined ? { above } : { above, payload };
}
