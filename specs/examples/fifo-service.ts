// The reliable FIFO channel service with casting clients. Its properties are the FIFO trace
// checker, the catalogue properties it promises, and reliability: once nothing is enabled, every
// process has delivered every message.

import { atQuiescence, compose, model, withProperties } from "../../ioa/index.ts";
import { fifoService } from "../fifo.ts";
import { clientMessages, groupClient } from "../group-client.ts";
import { serviceProperties, services } from "../services.ts";

export default model({
  name: "fifo-service",
  description: "Reliable FIFO channels joining a static group, with casting clients.",
  params: { processes: 2, messages: 2 },
  paramHelp: { processes: "group members", messages: "messages each member casts" },
  build: ({ processes, messages }) => {
    const system = compose("fifo-service", { clients: groupClient(processes, messages), service: fifoService({ processes, msg: clientMessages(messages) }) });
    return withProperties(system, {
      ...serviceProperties(services.fifo, processes),
      reliable: atQuiescence(
        (s) => s.service.channels.every((out) => out.every((queue) => queue.length === 0)),
        "once nothing is enabled, every process has delivered every message",
      ),
    });
  },
});
