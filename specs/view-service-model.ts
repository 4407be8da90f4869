// A model of a service with views (VS, TO): the service closed by clients that cast and by crashes
// within a budget, judged by the service's trace checker and every catalogue property it promises.
// `specs/examples/vs.ts` and `to.ts` are this model for their service.

import { compose, model, withProperties } from "../ioa/index.ts";
import { failures } from "./failures.ts";
import { clientMessages, groupClient } from "./group-client.ts";
import { serviceProperties, type Service } from "./services.ts";
import type { toService } from "./to.ts";
import type { vsService } from "./vs.ts";

export function viewServiceModel(about: { readonly name: string; readonly description: string }, service: Service, machine: typeof vsService | typeof toService) {
  return model({
    ...about,
    params: { processes: 2, messages: 1, views: 1, crashes: 0 },
    paramHelp: {
      processes: "group members",
      messages: "messages each member casts",
      views: "view ids the service may create (1..views, any membership)",
      crashes: "crashes in a run at most",
    },
    build: ({ processes, messages, views, crashes }) =>
      withProperties(
        compose(about.name, {
          clients: groupClient(processes, messages),
          service: machine({ processes, msg: clientMessages(messages), views }),
          failures: failures(processes, crashes),
        }),
        serviceProperties(service, processes),
      ),
  });
}
