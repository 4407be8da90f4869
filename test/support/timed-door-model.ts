// A model whose XState machine has a delayed transition, which the adapter refuses: the command
// line must say so cleanly. (A file in the repository, so that it resolves the `xstate` package.)

import { createMachine } from "xstate";
import { model } from "../../ioa/index.ts";
import { fromMachine } from "../../ioa/xstate/index.ts";

const timedDoor = createMachine({ id: "door", initial: "closed", states: { closed: { on: { OPEN: "open" } }, open: { after: { 5000: "closed" } } } });

export default model({ name: "timed-door", params: {}, build: () => ({ automaton: fromMachine("door", timedDoor, { events: { OPEN: {} } }) }) });
