// A fault plan may only name faults the model has: a misspelt fault type (`--faults bogus=1`) would
// otherwise be accepted, echoed back, and never injected.

import type { Action, Automaton } from "../ioa/index.ts";
import { DEFAULT_PLAN, PlanError, type FaultPlan } from "./fault-plan.ts";

/** The fault types of an automaton: the names of its actions of kind "fault". */
export function faultTypesOf(automaton: Automaton<unknown, Action>): string[] {
  return [...automaton.actions.values()].filter((a) => a.kind === "fault").map((a) => a.name);
}

/** Throws if the plan gives a rate, a timed event or a repair to a fault the model does not have. */
export function checkFaultNames(plan: FaultPlan, automaton: Automaton<unknown, Action>, where = "--faults"): void {
  const known = new Set(faultTypesOf(automaton));
  const named = [
    // A rate of 0 asks for nothing, and the default rates are not the user's choice.
    ...Object.entries(plan.rates).flatMap(([name, rate]) => (rate > 0 && rate !== DEFAULT_PLAN.rates[name] ? [name] : [])),
    ...plan.events.flatMap((e) => (e.kind === "fault" ? [e.fault] : [])),
    ...plan.repair.filter((name) => !DEFAULT_PLAN.repair.includes(name)),
  ];
  const unknown = named.find((name) => !known.has(name));
  if (unknown === undefined) return;
  const list = known.size > 0 ? `its faults are ${[...known].join(", ")}` : "it has no fault actions";
  throw new PlanError(`${where}: model ${automaton.name} has no fault "${unknown}"; ${list}`);
}
