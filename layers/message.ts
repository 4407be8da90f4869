// A message and its header stack.
//
// Going down, each layer pushes its header onto the message; coming up, each layer pops its own.
// A stack's header stack is one record with a field per layer, typed by that layer's header type,
// and the layer the message started from:
//
//   { origin: "application", mnak: { type: "Data", seqno: 0 }, bottom: "Cast" }   a cast
//   { origin: "mnak", mnak: { type: "Nak", lo: 0, hi: 2 }, bottom: "Send" }       MNAK's own NAK
//
// A field is absent when its layer adds nothing (Ensemble's NoHdr) or has popped it. A message
// whose origin is a layer is that layer's own (a NAK, an acknowledgement, a gossip): it stops at
// that layer on the way up. A layer is handed its own header and the rest of the stack as an
// opaque `Above`, so by construction it reads no other header. The payload travels beside the
// headers, so that a layer such as frag can cut it.

import { DefinitionError, t, type ISet, type RecordType, type Type, type Value } from "../ioa/index.ts";
import type { Above, Carried } from "./event.ts";

/** The origin of a message the application cast or sent. */
export const APPLICATION = "application";

/** Field names a header stack keeps for itself, which no layer may take as its name. */
const RESERVED = new Set(["origin", APPLICATION]);

export type HeaderStack = { readonly origin: string; readonly [layer: string]: Value };

/** The header stack of a message the application hands to the top layer. */
export function fromApplication(): Above {
  return { origin: APPLICATION } as unknown as Above;
}

/** The type of the header stacks of a stack of these layers, top first: a field per layer, and the origin. */
export function headersType(layers: readonly { readonly name: string; readonly header: Type<unknown> }[]): Type<Above> {
  for (const l of layers) if (RESERVED.has(l.name)) throw new DefinitionError(`a layer may not be called "${l.name}": header stacks use that name`);
  const fields = Object.fromEntries(layers.map((l) => [l.name, t.optional(l.header)]));
  return t.record({ origin: t.enum(APPLICATION, ...layers.map((l) => l.name)), ...fields }) as unknown as Type<Above>;
}

type MessageFields = Carried & { readonly type: string; readonly peer?: number; readonly unreliable?: true; readonly outside?: true; readonly dests?: ISet<number> };

/**
 * `ev` carrying `above` instead of what it carried (no `above` field when undefined). Written out
 * field by field: every message event then has one object shape, which V8 handles much faster
 * than a rest spread.
 */
export function carrying<E extends Carried>(ev: E, above: Above | undefined): E {
  return withCarried(ev, above, ev.payload);
}

/** `ev` (its type, peer, …) carrying what `what` carries: its headers and payload. */
export function carryingOf<E extends Carried>(ev: E, what: Carried): E {
  return withCarried(ev, what.above, what.payload);
}

function withCarried<E extends Carried>(ev: E, above: Above | undefined, payload: string | undefined): E {
  const { type, peer, unreliable, outside, dests } = ev as unknown as MessageFields;
  const out: { -readonly [K in keyof MessageFields]: MessageFields[K] } = { type };
  if (peer !== undefined) out.peer = peer;
  if (unreliable !== undefined) out.unreliable = unreliable;
  if (outside !== undefined) out.outside = outside;
  if (dests !== undefined) out.dests = dests;
  if (above !== undefined) out.above = above;
  if (payload !== undefined) out.payload = payload;
  return out as unknown as E;
}

/** `ev` with layer `layer`'s `header` pushed; a message without headers becomes `layer`'s own. */
export function push<E extends Carried, H>(ev: E, layer: string, header: H | undefined): E {
  const stack = ev.above as unknown as HeaderStack | undefined;
  if (stack === undefined) return carrying(ev, (header === undefined ? { origin: layer } : { origin: layer, [layer]: header }) as unknown as Above);
  if (header === undefined) return ev;
  // Copied key by key, as in `popped`: a spread then a computed key is much slower in V8.
  const pushed: Record<string, Value> = {};
  for (const key in stack) pushed[key] = stack[key]!;
  pushed[layer] = header as Value;
  return carrying(ev, pushed as unknown as Above);
}

export interface Popped<E, H> {
  /** The event carrying the headers of the layers above. */
  readonly ev: E;
  readonly header: H | undefined;
  /** The message is the popping layer's own: no layer above it has a part in it. */
  readonly own: boolean;
}

/** Pops layer `layer`'s header off `ev`'s header stack. */
export function pop<E extends Carried, H>(ev: E, layer: string): Popped<E, H> {
  const stack = headerStackOf(ev);
  return { ev: popped(ev, stack, layer), header: stack[layer] as H | undefined, own: stack.origin === layer };
}

/** `ev`'s header stack; a message from below always has one. */
export function headerStackOf(ev: Carried): HeaderStack {
  const stack = ev.above as unknown as HeaderStack | undefined;
  if (stack === undefined) throw new TypeError(`pop: a ${(ev as { type?: string }).type ?? ""} event without headers`);
  return stack;
}

/** `ev`, whose header stack is `stack`, without layer `layer`'s header (for the hot path: `pop` without its record). */
export function popped<E extends Carried>(ev: E, stack: HeaderStack, layer: string): E {
  if (stack[layer] === undefined) return ev;
  // Copied key by key: a rest pattern with a computed key (`{ [layer]: _, ...rest }`) takes V8's slow path.
  const rest: Record<string, Value> = {};
  for (const key in stack) if (key !== layer) rest[key] = stack[key]!;
  return carrying(ev, rest as unknown as Above);
}

/** What travels on the network: the header stack and the payload. */
export type Packet = {
  readonly headers: Above;
  readonly payload?: string;
};

export function packetType(headers: Type<Above>): RecordType<{ headers: Type<Above>; payload: ReturnType<typeof t.optional<string>> }> {
  return t.record({ headers, payload: t.optional(t.string()) });
}

/** A message as a layer holds it: what the event carried, without the event. */
export type Body = Carried;

/** The type of the messages layers hold (to retransmit them, or until they can deliver them). */
export function bodyType(headers: Type<Above>) {
  return t.record({ above: t.optional(headers), payload: t.optional(t.string()) });
}

/** What `ev` carries (its headers and payload), for holding it. */
export function bodyOf(ev: Carried): Body {
  const { above, payload } = ev;
  if (above === undefined) return payload === undefined ? {} : { payload };
  return payload === undefined ? { above } : { above, payload };
}
