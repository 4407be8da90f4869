// The virtual synchrony stack (layers/stacks/vsync.ts) in a group with a fault budget: crashed
// and cut-off members are excluded by new views, and every trace is judged by the vsync service.
//
//   troupe check vsync --param processes=2 --param casts=1 --param crashes=1
//   troupe sim vsync --param processes=3 --param crashes=1 --param partitions=1 --param drops=3
//   troupe check vsync --param processes=3 --param joiners=1 --param casters=2 --param crashes=0 --param merges=1
//
// `bug` plants a bug (vsync-mutants.ts): answers-past-the-coordinator, installs-without-flush,
// delivers-in-later-view, coordinator-leaves-itself-out, merge-loses-message, never-suspects;
// liveness bugs never-installs, deaf-to-casts, flush-waits-forever.

import { services } from "../../specs/services.ts";
import { vsync } from "../stacks/vsync.ts";
import { viewModel } from "./view-model.ts";
import { vsyncMutants } from "./vsync-mutants.ts";

export default viewModel({
  name: "vsync",
  description: "The virtual synchrony stack in a group with a fault budget: crashed and cut-off members are excluded by new views.",
  stack: (options) => vsync(options),
  service: services.vsync,
  delivery: "always",
  mutants: vsyncMutants,
});
