// The total order stack with a rotating sequencer: the vsync stack with the token layer over it,
// so that every member delivers the casts of a view in one order, ordered by the members in turn,
// and members that move together to the next view delivered the same casts in the same order (the
// FLS TO service).

import { stack } from "../stack.ts";
import { token, type TokenOptions } from "../token.ts";
import { top } from "../top.ts";
import { vsyncLayers, type VsyncOptions } from "./vsync.ts";

export interface TotalTokenOptions extends VsyncOptions {
  readonly token?: TokenOptions;
}

export function totalToken(options: TotalTokenOptions = {}) {
  return stack("total-token", [top(["totalOrder", "viewMembership", "selfDelivery", "fragmentation", "flowControl"]), token(options.token), ...vsyncLayers(options)]);
}
