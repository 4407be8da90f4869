// Liveness suspects: a simulation cannot prove that something never happens, but it can notice an
// obligation that has stayed pending for a long virtual time under a scheduler that is fair with
// probability one. Such a run is reported as a suspect — worth a look, or an exhaustive check —
// never as a violation.
//
//  - leads-to: the trigger held and the response has not held since;
//  - eventually always p: p does not hold at the end, and has not since the time given.

import { isLiveness, type Action, type Execution, type LivenessProperty, type Properties } from "../ioa/index.ts";

/** Virtual time an obligation may stay pending before its run is reported as a suspect. */
export const DEFAULT_SUSPECT_AFTER = 500;

export interface Suspect {
  readonly property: string;
  /** The state (0 the start state) since which the obligation has been pending. */
  readonly since: number;
  /** Virtual time it has been pending, up to the end of the run. */
  readonly pendingFor: number;
  readonly message: string;
}

/**
 * The suspects of a finished run; `times[i]` is the virtual time of action i. A run that ended
 * quiescent with an obligation pending is a suspect however short: nothing more can happen.
 */
export function livenessSuspects<S, A extends Action>(
  properties: Properties<S, A>,
  execution: Execution<S, A>,
  times: readonly number[],
  quiescent: boolean,
  after = DEFAULT_SUSPECT_AFTER,
): Suspect[] {
  const end = times.at(-1) ?? 0;
  const timeOf = (state: number) => (state === 0 ? 0 : times[state - 1]!);
  return Object.entries(properties).flatMap(([name, p]) => {
    if (!isLiveness(p)) return [];
    const since = pendingSince(p, execution.states);
    if (since === undefined) return [];
    const pendingFor = end - timeOf(since);
    if (pendingFor < after && !quiescent) return [];
    const last = execution.states[execution.states.length - 1]!;
    const explained = p.explain?.(last);
    const how = quiescent ? "and the run ended quiescent" : `for ${pendingFor} units of virtual time`;
    return [{ property: name, since, pendingFor, message: `pending since state ${since} ${how}${explained ? `: ${explained}` : ""} (a suspect, not a proof)` }];
  });
}

/**
 * The state since which the property's obligation has been pending at the end, if it is. Read
 * backwards from the end, and only as far as the obligation goes: usually one state.
 */
function pendingSince<S>(p: LivenessProperty<S>, states: readonly S[]): number | undefined {
  let since: number | undefined;
  for (let i = states.length - 1; i >= 0; i--) {
    const s = states[i]!;
    if (p.kind === "eventually-always") {
      if (p.holds(s)) break;
      since = i;
    } else {
      if (p.response(s)) break;
      if (p.trigger(s)) since = i;
    }
  }
  return since;
}
