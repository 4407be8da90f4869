// A door with a code lock, written as an XState machine (xstate/door-machine.ts) and checked as an
// automaton: the door opens only unlocked, and the lock jams after three wrong codes.

import { doorMachine } from "./xstate/door-machine.ts";
import { doorModel } from "./xstate/door-model.ts";

export default doorModel("door", "A door with a code lock, an XState machine, driven by a visitor who presses anything.", doorMachine);
