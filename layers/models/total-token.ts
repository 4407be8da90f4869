// The total order stack with a rotating sequencer (layers/stacks/total-token.ts) in a group with a
// fault budget, every trace judged by the FLS total order service (one order per view, agreed at
// view changes) and its properties.
//
//   troupe check total-token --param processes=2 --param casts=1 --param crashes=1
//   troupe sim total-token --param processes=5 --param crashes=1 --param partitions=1 --param drops=3
//
// `bug` plants a bug (token-mutants.ts; and MEMBERSHIP's flush-waits-forever, vsync-mutants.ts).

import { services } from "../../specs/services.ts";
import { totalToken } from "../stacks/total.ts";
import { TOKEN_MUTANTS } from "./token-mutants.ts";
import { viewModel } from "./view-model.ts";
import { flushWaitsForever } from "./vsync-mutants.ts";

export default viewModel({
  name: "total-token",
  description: "The total order stack with a rotating sequencer in a group with a fault budget: one order per view, agreed at view changes.",
  stack: (options) => totalToken(options),
  service: services.to,
  delivery: "without-view-changes",
  mutants: (membership) => ({ ...TOKEN_MUTANTS, "flush-waits-forever": flushWaitsForever(membership) }),
});
