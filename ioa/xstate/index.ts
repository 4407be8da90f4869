// XState v5 machines as Troupe automata: `import { fromMachine } from "troupe/xstate"`.
//
// A separate entry point, so that the kernel's users who do not use XState never load it.

export { fromMachine, type MachineOptions } from "./from-machine.ts";
export type { EventAction, EventDeclarations, EventType } from "./events.ts";
export type { MachineState } from "./machine-state.ts";
export { describeStateValue } from "./unsupported.ts";
export { matchesState } from "xstate";
