// VStoTO over VS: Fekete, Lynch and Shvartsman's totally ordered broadcast on top of their VS
// service, with the VS actions hidden. Its properties are the TO trace checker and every catalogue
// property the TO service promises: checking them is checking that the layer, over the service
// below it, implements the service above it.
//
// The views VS may create follow a scenario: `stable` (none), `partition` (process 0 splits from
// the others) or `partition-merge` (then everyone joins again). `confirmsUnsafe` plants a bug.

import { compose, hide, instances, ISet, model, range, rename, t, TroupeError, withProperties } from "../../ioa/index.ts";
import { clientMessages, groupClient } from "../group-client.ts";
import type { View } from "../group.ts";
import { serviceProperties, services } from "../services.ts";
import { vsService } from "../vs.ts";
import { vstotoProcess, vstotoTypes } from "../vstoto.ts";

const SCENARIOS: Record<string, (n: number) => View[]> = {
  stable: () => [],
  "majority-moves": (n) => [{ id: 1, members: ISet.from(range(n).slice(1)) }],
  partition: (n) => [
    { id: 1, members: ISet.of(0) },
    { id: 2, members: ISet.from(range(n).slice(1)) },
  ],
  "partition-merge": (n) => [...SCENARIOS.partition!(n), { id: 3, members: ISet.from(range(n)) }],
};

/** VStoTO at every process, over the VS service, with clients casting `messages` values each. */
export function vstotoOverVs(processes: number, messages: number, views: readonly View[], options: { senders?: number; confirmsUnsafe?: boolean } = {}) {
  const value = clientMessages(messages);
  const { Packet } = vstotoTypes(t.ids("P", processes), value);
  const vs = rename(vsService({ processes, msg: Packet, views }), { cast: "gpsnd", deliver: "gprcv", safe: "gpsafe", view: "newview" });
  const layer = instances("vstoto", range(processes), (p) => vstotoProcess({ processes, value, confirmsUnsafe: options.confirmsUnsafe ?? false }, p));
  const clients = groupClient(processes, messages, options.senders ?? processes);
  return hide(compose("vstoto-over-vs", { clients, ...layer, vs }), ["gpsnd", "gprcv", "gpsafe", "newview"]);
}

export default model({
  name: "vstoto",
  description: "VStoTO over the VS service, checked against the TO service.",
  params: { processes: 3, senders: 1, messages: 1, scenario: "partition", confirmsUnsafe: false },
  paramHelp: {
    processes: "group members",
    senders: "how many members cast (the first ones)",
    messages: "values each sender casts",
    scenario: `the views VS may create: ${Object.keys(SCENARIOS).join(", ")}`,
    confirmsUnsafe: "plant a bug: confirm labels without waiting for them to be safe",
  },
  build: ({ processes, senders, messages, scenario, confirmsUnsafe }) => {
    const views = SCENARIOS[scenario];
    if (!views) throw new TroupeError(`model vstoto has no scenario "${scenario}"; its scenarios are ${Object.keys(SCENARIOS).join(", ")}`);
    return withProperties(vstotoOverVs(processes, messages, views(processes), { senders, confirmsUnsafe }), serviceProperties(services.to, processes));
  },
});
