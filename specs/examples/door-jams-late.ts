// The door of door.ts with a planted bug: its jam guard is off by one, so a fourth wrong code can
// be tried. `troupe check door-jams-late` finds it.

import { lateJammingDoorMachine } from "./xstate/door-machine.ts";
import { doorModel } from "./xstate/door-model.ts";

export default doorModel("door-jams-late", "The door with a planted bug: the lock jams one wrong code too late.", lateJammingDoorMachine);
