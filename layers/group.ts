// A group: the application of every process, the stack of every process, and the network between
// them, composed into one automaton that the checker and the simulator explore.
//
//   const system = group(fifo(), { n: 3, workload: { casts: 1, sends: 0 }, budget: { ...NO_FAULTS, drops: 1 } });
//
// The stacks' emissions are urgent (a run's outputs leave before anything else happens), timers
// wait until no packet is in flight (priority.ts) — background timers too: a heartbeat every 100 ms
// does not keep a network that delivers in far less permanently busy, starving every other timer
// (a cycle the liveness checker would otherwise report) — and the plumbing between stacks and network — packets and timers — is hidden: the trace holds the group
// interface, cast, send, deliver, receive, crash and recover.

import { compose, hide, ISet, range } from "../ioa/index.ts";
import { application, type Workload } from "./application.ts";
import { intruder, type IntruderOptions } from "./intruder.ts";
import { network, type FaultBudget } from "./network.ts";
import { rememberingSteps } from "../ioa/remembered-steps.ts";
import { replicate } from "./replicate.ts";
import { IMMEDIATE_OUTPUTS, joinerView, startView, TIMER_ACTIONS, type StackDefinition } from "./stack.ts";
import { prioritize } from "./priority.ts";

export interface GroupOptions {
  readonly n: number;
  readonly workload: Workload;
  readonly budget: FaultBudget;
  /** Timers fire only when no packet is in flight (default true; see priority.ts). */
  readonly patientTimers?: boolean;
  /**
   * How many processes, the highest-ranked ones, start alone (each in its joinerView) to join the
   * others, who start together in the view of them all (default 0: everyone starts in view 0).
   */
  readonly joiners?: number;
  /** An intruder on the network (intruder.ts): it replays, tampers with and forges packets. */
  readonly intruder?: IntruderOptions;
}

export function group(definition: StackDefinition, options: GroupOptions) {
  const { n, workload, budget } = options;
  const joiners = options.joiners ?? 0;
  if (!Number.isInteger(joiners) || joiners < 0 || joiners >= n) throw new RangeError(`group: joiners should be an integer from 0 to ${n - 1} (at least one process founds the group), but is ${joiners}`);
  const founders = startView(ISet.from(range(n - joiners)));
  const startOf = (p: number) => (p < n - joiners ? founders : joinerView(p));
  const { group: types, Packet } = definition.types(n);
  const ids = range(n);
  const system = compose(definition.name, {
    application: replicate("application", types.P, ids.map((p) => rememberingSteps(application(types.P, types.View, p, workload)))),
    stacks: replicate("stacks", types.P, ids.map((p) => definition.build(n, p, startOf(p)))),
    network: rememberingSteps(network(types.P, Packet, budget, { open: options.intruder !== undefined })),
    ...(options.intruder && { intruder: intruder(types.P, Packet, options.intruder) }),
  });
  const scheduled = prioritize(system, { urgent: IMMEDIATE_OUTPUTS, ...(options.patientTimers !== false && { patient: TIMER_ACTIONS, waitFor: ["arrive"] }) });
  // The plumbing between stacks and network, and the layers' timers (background ones too, where a stack has them), are internal.
  const timers = TIMER_ACTIONS.filter((name) => scheduled.actions.has(name));
  return hide(scheduled, ["transmit", "arrive", ...timers, ...(options.intruder ? (["inject"] as const) : [])]);
}
