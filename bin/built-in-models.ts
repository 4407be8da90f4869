// The built-in models, by name (`troupe check two-phase`): the example models of specs/examples/
// and the models of the layer stacks in layers/models/. Each module is imported only when its
// model is named. The list is written out, not read from the folders, so that the bundle of the
// CLI (bin/bundle.js) holds every one; a test checks that it names each model module there.

export const BUILT_IN_MODELS: Readonly<Record<string, () => Promise<{ default?: unknown }>>> = {
  "alternating-bit": () => import("../specs/examples/alternating-bit.ts"),
  door: () => import("../specs/examples/door.ts"),
  "door-jams-late": () => import("../specs/examples/door-jams-late.ts"),
  "fifo-channel": () => import("../specs/examples/fifo-channel.ts"),
  "fifo-service": () => import("../specs/examples/fifo-service.ts"),
  "fifo-xstate": () => import("../specs/examples/fifo-xstate.ts"),
  "lossy-channel": () => import("../specs/examples/lossy-channel.ts"),
  membership: () => import("../specs/examples/membership.ts"),
  "ordering-race": () => import("../specs/examples/ordering-race.ts"),
  to: () => import("../specs/examples/to.ts"),
  "two-phase": () => import("../specs/examples/two-phase.ts"),
  vs: () => import("../specs/examples/vs.ts"),
  vstoto: () => import("../specs/examples/vstoto.ts"),
  fifo: () => import("../layers/models/fifo.ts"),
  total: () => import("../layers/models/total.ts"),
  "total-token": () => import("../layers/models/total-token.ts"),
  vsync: () => import("../layers/models/vsync.ts"),
  "vsync-secure": () => import("../layers/models/vsync-secure.ts"),
};
