// The total order stack: the vsync stack with a sequencer over it, so that every member delivers
// the casts of a view in one order, and members that move together to the next view delivered the
// same casts in the same order (the FLS TO service).

import { sequencer, type SequencerOptions } from "../sequencer.ts";
import { stack } from "../stack.ts";
import { top } from "../top.ts";
import { vsyncLayers, type VsyncOptions } from "./vsync.ts";

export interface TotalOptions extends VsyncOptions {
  readonly sequencer?: SequencerOptions;
}

export function total(options: TotalOptions = {}) {
  return stack("total", [top(["totalOrder", "viewMembership", "selfDelivery", "fragmentation", "flowControl"]), sequencer(options.sequencer), ...vsyncLayers(options)]);
}
