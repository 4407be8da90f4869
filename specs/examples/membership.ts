// The group membership service, with crashes within a budget. Its properties are the membership
// trace checker and the membership properties of the catalogue.

import { compose, model, withProperties } from "../../ioa/index.ts";
import { failures } from "../failures.ts";
import { membershipService } from "../membership.ts";
import { serviceProperties, services } from "../services.ts";

export default model({
  name: "membership",
  description: "The group membership service, with crashes.",
  params: { processes: 3, views: 2, crashes: 1 },
  paramHelp: {
    processes: "group members",
    views: "view ids the service may create (1..views, any membership)",
    crashes: "crashes in a run at most",
  },
  build: ({ processes, views, crashes }) =>
    withProperties(
      compose("membership", { service: membershipService({ processes, views }), failures: failures(processes, crashes) }),
      serviceProperties(services.membership, processes),
    ),
});
