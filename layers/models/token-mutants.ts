// Planted bugs of the token layer (the rotating sequencer): each the layer with one handler
// replaced, kept here beside the model and never inside the layer.

import type { AnyLayer } from "../layer.ts";

export const TOKEN_MUTANTS = {} satisfies Record<string, AnyLayer>;
