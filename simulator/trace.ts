// A run as an ITF trace: the kernel's toItf, with each state's `#meta` also giving the virtual time
// of the action that produced it and why it was taken, and the trace's `#meta.troupe` saying how
// the simulator made the run. The trace replays with the kernel's `replay` alone.

import { toItf, type Action, type Automaton, type ItfTrace, type ParamValue } from "../ioa/index.ts";
import { formatPlan } from "./fault-plan.ts";
import type { Run, Simulation } from "./run.ts";

export interface RunTraceMeta {
  readonly model?: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** The model file or name the run came from. */
  readonly source?: string;
  /** For a shrunk run: the length of the run it was shrunk from. */
  readonly originalLength?: number;
}

export function runToItf<S, A extends Action>(simulation: Simulation<S, A>, run: Run<S, A>, meta: RunTraceMeta = {}): ItfTrace {
  const automaton: Automaton<S, A> = simulation.automaton;
  const f = run.failure;
  const trace = toItf(automaton, run.execution, {
    ...(meta.source !== undefined && { source: meta.source }),
    status: f ? "violation" : "ok",
    description: f ? `Troupe simulation of ${meta.model ?? automaton.name}: ${f.property} breaks at state ${f.step}` : `Troupe simulation of ${meta.model ?? automaton.name}`,
    troupe: {
      ...(meta.model !== undefined && { model: meta.model }),
      ...(meta.params !== undefined && { params: { ...meta.params } }),
      seed: run.seed,
      ...(f && { property: f.property, reason: f.message }),
    },
  });
  const header = trace["#meta"] as { troupe: Record<string, unknown> };
  header.troupe.simulator = {
    scheduler: simulation.scheduler.name,
    plan: formatPlan(simulation.plan),
    steps: simulation.steps,
    ended: run.ended,
    ...(meta.originalLength !== undefined && { originalLength: meta.originalLength }),
  };
  const states = trace.states.map((state, i) => {
    const choice = i === 0 ? undefined : run.choices[i - 1]!;
    return choice ? { ...state, "#meta": { ...(state["#meta"] as object), time: choice.time, cause: choice.cause } } : state;
  });
  return { ...trace, states };
}
