// Members written as XState machines (xstate/member-machine.ts), one per process, composed with
// the reliable FIFO service of specs/fifo.ts: the machines cast, the service delivers. Each member
// must hear every sender in order, never be left waiting for its own message once the service is
// idle, and finish sending.

import { always, atQuiescence, compose, instances, model, range, withProperties, type StateOf } from "../../ioa/index.ts";
import { fromMachine, matchesState, type MachineState } from "../../ioa/xstate/index.ts";
import { fifoService } from "../fifo.ts";
import { clientMessages } from "../group-client.ts";
import { groupTypes } from "../group.ts";
import { memberMachine } from "./xstate/member-machine.ts";

export default model({
  name: "fifo-xstate",
  description: "Group members written as XState machines, over the reliable FIFO service.",
  params: { processes: 2, messages: 2 },
  paramHelp: { processes: "group members", messages: "messages each member casts" },
  build: ({ processes, messages }) => {
    const G = groupTypes(processes, clientMessages(messages));
    const member = (self: number) =>
      fromMachine(`member ${self}`, memberMachine, {
        events: { cast: G.cast, deliver: G.deliver },
        outputs: ["cast"],
        owner: "p",
        input: { self, processes, messages },
      }).instance(self);
    const members = compose("members", instances("member", range(processes), member));
    const system = compose("fifo-xstate", { members, service: fifoService({ processes, msg: G.Msg }) });
    const everyMember = (holds: (m: MachineState<typeof memberMachine>) => boolean) => (s: StateOf<typeof system>) => Object.values(s.members).every(holds);
    return withProperties(system, {
      inOrder: always(everyMember((m) => !matchesState({ receiving: "confused" }, m.value)), "every member hears every sender's messages in order"),
      finished: atQuiescence(everyMember((m) => matchesState({ sending: "done" }, m.value)), "once nothing is enabled, every member has cast all its messages and heard them back"),
    });
  },
});
