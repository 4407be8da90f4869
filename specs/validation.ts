// Validating a recorded trace against a service: its exact checker and every property it promises,
// each monitor run over the whole trace, each violation reported with the events that break it.
//
// A recorded run is finished, so properties judged at the end of a run are judged; properties
// judged at quiescence only when the run is known to have reached it (the recorder says so).

import { formatAction, monitorJudged, TroupeError, Violation, type Action, type Checkability, type Monitor, type Value } from "../ioa/index.ts";
import type { GroupAction } from "./group.ts";
import { isTransitional } from "./properties/configurations.ts";
import type { Service } from "./services.ts";
import { GroupViolation, matches } from "./violation.ts";

export interface PropertyVerdict {
  /** The catalogue name, or the service's name for its checker. */
  readonly property: string;
  readonly id: string;
  readonly statement: string;
  readonly checkability: Checkability;
  readonly verdict: "holds" | "violated" | "not judged";
  /**
   * It holds vacuously: no event of the trace concerned it (its monitor judged none: a view
   * property over a trace with no views, say). Such a "holds" says nothing.
   */
  readonly vacuous?: boolean;
  /** For a violation: the explanation and the indices of the events involved (0-based, ascending). */
  readonly violation?: { readonly message: string; readonly events: readonly number[] };
}

export interface ValidationOptions {
  /** Group size; by default one more than the largest process id in the trace. */
  readonly processes?: number;
  /** The run reached quiescence, so liveness-at-quiescence properties are judged too. */
  readonly quiescent?: boolean;
}

interface Judge {
  readonly property: string;
  readonly id: string;
  readonly statement: string;
  readonly monitor: Monitor<Action, Value>;
}

export function validateTrace(service: Service, trace: readonly GroupAction<Value>[], options: ValidationOptions = {}): PropertyVerdict[] {
  const n = options.processes ?? processesOf(trace);
  const outside = trace.findIndex((a) => processesOf([a]) > n);
  if (outside >= 0) throw new TroupeError(`event ${outside + 1}, ${formatAction(trace[outside]!)}, names a process outside the group of ${n} processes (ids 0 to ${n - 1})`);
  const judges: Judge[] = [
    ...(service.checker ? [{ property: service.name, id: service.name.toUpperCase(), statement: `a trace of the ${service.name} service: ${service.title}`, monitor: service.checker(n) }] : []),
    ...service.promises.map((p) => ({ property: p.name, id: p.id, statement: p.statement, monitor: p.monitor(n) })),
  ];
  const judged = service.transitionalConfigurations ? () => true : (a: GroupAction<Value>) => !isTransitionalConfiguration(a);
  return judges.map((judge) => run(judge, trace, judged, options.quiescent ?? false));
}

/** A transitional configuration of extended virtual synchrony: outside every other service's signature. */
export function isTransitionalConfiguration(a: GroupAction<Value>): boolean {
  return a.name === "view" && isTransitional(a.view);
}

function run(judge: Judge, trace: readonly GroupAction<Value>[], judged: (a: GroupAction<Value>) => boolean, quiescent: boolean): PropertyVerdict {
  const { monitor } = judge;
  const checkability = monitor.checkability ?? "online";
  const about = { property: judge.property, id: judge.id, statement: judge.statement, checkability };
  let m = monitor.start;
  let touched = false;
  for (let i = 0; i < trace.length; i++) {
    if (!judged(trace[i]!)) continue;
    const next = monitor.step(m, trace[i]!);
    if (next instanceof Violation) return { ...about, verdict: "violated", violation: located(next, trace, i) };
    touched ||= monitorJudged(monitor, m, next, trace[i]!);
    m = next;
  }
  if (checkability === "quiescence" && !quiescent) return { ...about, verdict: "not judged" };
  const ending = monitor.finish?.(m);
  return ending ? { ...about, verdict: "violated", violation: located(ending, trace, trace.length) } : { ...about, verdict: "holds", ...(!touched && { vacuous: true }) };
}

/** The violation's message, and the events involved: each related event's first occurrence before `at`, and the event at `at`. */
function located(v: Violation, trace: readonly GroupAction<Value>[], at: number): { message: string; events: number[] } {
  const related = v instanceof GroupViolation ? v.related : [];
  const found = related.map((r) => trace.findIndex((_, i) => i < at && matches(trace, i, r))).filter((i) => i >= 0);
  const events = [...new Set([...found, ...(at < trace.length ? [at] : [])])].sort((a, b) => a - b);
  return { message: v.message, events };
}

/** One more than the largest process id the trace mentions. */
export function processesOf(trace: readonly GroupAction<Value>[]): number {
  let max = 0;
  for (const a of trace) {
    max = Math.max(max, a.p);
    if (a.name === "deliver" || a.name === "safe") max = Math.max(max, a.from);
    if (a.name === "view") max = Math.max(max, ...a.view.members, ...(a.view.transitional ?? []));
  }
  return max + 1;
}
