// The total order stacks: the vsync stack with two total order protocols over it — a sequencer
// (sequencer.ts) and a rotating sequencer (token.ts) — of which one runs in each view, and a switch
// layer on top that moves the group from one to the other at a view change any member asks for.
// Every member delivers the casts of a view in one order, and members that move together to the
// next view delivered the same casts in the same order (the FLS TO service), across switches too.
// `total` starts with the sequencer, `total-token` with the rotating sequencer.

import type { AnyLayer } from "../layer.ts";
import { sequencer, type SequencerOptions } from "../sequencer.ts";
import { stack } from "../stack.ts";
import { switchable } from "../switchable.ts";
import { switching } from "../switch.ts";
import { token, type TokenOptions } from "../token.ts";
import { top } from "../top.ts";
import { vsyncLayers, type VsyncOptions } from "./vsync.ts";

/** The total order protocols a total stack holds, by the name of their layer. */
export const TOTAL_PROTOCOLS = ["sequencer", "token"] as const;
export type TotalProtocol = (typeof TOTAL_PROTOCOLS)[number];

export interface TotalOptions extends VsyncOptions {
  readonly sequencer?: SequencerOptions;
  readonly token?: TokenOptions;
}

/** What a total stack's application gets. */
export const TOTAL_PROPERTIES = ["totalOrder", "protocolSwitching", "viewMembership", "selfDelivery", "fragmentation", "flowControl"] as const;

/** The layers of a total stack under the application interface, starting with protocol `first`: what a stack built on total order puts its own layers around. */
export function totalLayers(first: TotalProtocol, options: TotalOptions): AnyLayer[] {
  return [switching(TOTAL_PROTOCOLS, first), switchable(sequencer(options.sequencer), first === "sequencer"), switchable(token(options.token), first === "token"), ...vsyncLayers(options)];
}

function totalStack(name: string, first: TotalProtocol, options: TotalOptions) {
  return stack(name, [top([...TOTAL_PROPERTIES]), ...totalLayers(first, options)]);
}

/** The total order stack that starts with the sequencer. */
export function total(options: TotalOptions = {}) {
  return totalStack("total", "sequencer", options);
}

/** The total order stack that starts with the rotating sequencer. */
export function totalToken(options: TotalOptions = {}) {
  return totalStack("total-token", "token", options);
}
