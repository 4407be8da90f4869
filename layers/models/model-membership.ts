// The membership the view models (vsync, total, total-token, vsync-secure) run: the deployed
// stacks' own, with the bound on merges a model needs to stay finite, and their flush patience —
// the runtime's FLUSH_PATIENCE unless a check asks for fewer firings, to keep a larger model
// practical (the README's "Flush patience in the models" says what fewer firings still check).

import { ParamError } from "../../ioa/index.ts";
import { FLUSH_PATIENCE } from "../stacks/vsync.ts";

export interface ModelMembership {
  /** Merges each process may ask for. */
  readonly merges: number;
  /** Firings of a round's flush timer after which its coordinator suspects the members that have not answered. */
  readonly flushPatience: number;
}

/** The models' default patience: the runtime's. */
export const MODEL_FLUSH_PATIENCE = FLUSH_PATIENCE;

export const FLUSH_PATIENCE_HELP = `firings of a flush round's timer after which its coordinator suspects the members that have not answered (the runtime's stacks: ${FLUSH_PATIENCE}; fewer keep a larger model practical, and check the same without packet loss: see the README's "Flush patience in the models")`;

/** The membership options of model `model`, or a clear error if `flushPatience` is not a whole number of firings. */
export function modelMembership(model: string, merges: number, flushPatience: number): ModelMembership {
  if (!Number.isInteger(flushPatience) || flushPatience < 1) throw new ParamError(`model ${model}: flushPatience should be a whole number of flush timer firings, at least 1, but is ${flushPatience}`);
  return { merges, flushPatience };
}
