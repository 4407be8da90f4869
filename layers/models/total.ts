// The total order stack (layers/stacks/total.ts) in a group with a fault budget, every trace judged
// by the FLS total order service (one order per view, agreed at view changes) and its properties.
//
//   troupe check total --param processes=2 --param casts=1 --param crashes=1
//   troupe sim total --param processes=4 --param crashes=1 --param partitions=1 --param drops=3
//
// `bug` plants a bug (total-mutants.ts): delivers-before-order, sequencer-jumps-the-queue,
// never-announces (a liveness bug); and MEMBERSHIP's flush-waits-forever (vsync-mutants.ts).

import { services } from "../../specs/services.ts";
import { total } from "../stacks/total.ts";
import { TOTAL_MUTANTS } from "./total-mutants.ts";
import { viewModel } from "./view-model.ts";
import { flushWaitsForever } from "./vsync-mutants.ts";

export default viewModel({
  name: "total",
  description: "The total order stack in a group with a fault budget: one order per view, agreed at view changes.",
  stack: (options) => total(options),
  service: services.to,
  delivery: "without-view-changes",
  mutants: (membership) => ({ ...TOTAL_MUTANTS, "flush-waits-forever": flushWaitsForever(membership) }),
});
