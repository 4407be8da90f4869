// The total order service (one order per view, agreed at view changes), with clients that cast
// and, within a budget, crashes. Its properties are the TO trace checker and every catalogue
// property the service promises.

import { compose, model, withProperties } from "../../ioa/index.ts";
import { failures } from "../failures.ts";
import { clientMessages, groupClient } from "../group-client.ts";
import { serviceProperties, services } from "../services.ts";
import { toService } from "../to.ts";

export default model({
  name: "to",
  description: "The total order service with casting clients and crashes.",
  params: { processes: 2, messages: 1, views: 1, crashes: 0 },
  paramHelp: {
    processes: "group members",
    messages: "messages each member casts",
    views: "view ids the service may create (1..views, any membership)",
    crashes: "crashes in a run at most",
  },
  build: ({ processes, messages, views, crashes }) =>
    withProperties(
      compose("to", {
        clients: groupClient(processes, messages),
        service: toService({ processes, msg: clientMessages(messages), views }),
        failures: failures(processes, crashes),
      }),
      serviceProperties(services.to, processes),
    ),
});
