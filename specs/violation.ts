// A violation of a group service property, with the earlier events it concerns.
//
// A monitor sees one action at a time, so the event that breaks a property is the one being judged;
// the events it conflicts with (the cast of a message, an earlier delivery, another process's view)
// are described by content in `related`, as patterns, and whoever replays the trace
// (`validateTrace`) finds the first event matching each. A pattern may leave fields out (the
// delivery of a message by anyone): monitors then need not remember who did what first, which
// would split the model checker's product states for nothing but the wording of an explanation.
// Messages, processes and views are written the same way in every explanation.

import { formatValue, valuesEqual, Violation, type Value } from "../ioa/index.ts";
import type { GroupAction, GroupActionName, MessageId, ProcessId, View } from "./group.ts";

/**
 * An earlier event, by the fields given (a view's too): `{ name: "deliver", from: 0, msg: 1 }` is
 * any delivery of that message. `afterDelivering` asks for a delivery made right after the
 * process delivered that message.
 */
export type EventPattern = {
  readonly name: GroupActionName;
  readonly p?: ProcessId;
  readonly from?: ProcessId;
  readonly msg?: Value;
  readonly view?: Partial<View>;
  readonly afterDelivering?: MessageId;
};

/** Does event i of the trace match the pattern? */
export function matches(trace: readonly GroupAction<Value>[], i: number, pattern: EventPattern): boolean {
  const a = trace[i]!;
  if (a.name !== pattern.name) return false;
  if (pattern.afterDelivering && !deliveredJustBefore(trace, i, pattern.afterDelivering)) return false;
  const event = a as unknown as Record<string, Value>;
  for (const [key, want] of Object.entries(pattern)) {
    if (key === "name" || key === "afterDelivering" || want === undefined) continue;
    if (key !== "view") {
      if (!valuesEqual(event[key]!, want as Value)) return false;
      continue;
    }
    const seen = event.view as unknown as Record<string, Value>;
    for (const [field, x] of Object.entries(want as Partial<View>)) if (x !== undefined && (seen[field] === undefined || !valuesEqual(seen[field], x as Value))) return false;
  }
  return true;
}

function deliveredJustBefore(trace: readonly GroupAction<Value>[], i: number, m: MessageId): boolean {
  const p = trace[i]!.p;
  for (let k = i - 1; k >= 0; k--) {
    const e = trace[k]!;
    if (e.p === p && e.name === "deliver") return e.from === m.from && valuesEqual(e.msg, m.msg);
  }
  return false;
}

export class GroupViolation extends Violation {
  constructor(
    message: string,
    /** Earlier events of the trace that the violating event conflicts with, by content. */
    readonly related: readonly EventPattern[] = [],
  ) {
    super(message);
  }
}

export function violation(message: string, ...related: EventPattern[]): GroupViolation {
  return new GroupViolation(message, related);
}

/** `p1` */
export function proc(p: ProcessId): string {
  return `p${p}`;
}

/** `message 2 of p0` */
export function message(m: MessageId<unknown>): string {
  return `message ${formatValue(m.msg as Value)} of ${proc(m.from)}`;
}

/** `view 3 {p0, p1}` */
export function view(v: View): string {
  return `view ${v.id} ${members(v.members)}`;
}

export function viewId(id: number | undefined): string {
  return id === undefined ? "no view" : `view ${id}`;
}

/** `{p0, p1}` */
export function members(ps: Iterable<ProcessId>): string {
  return `{${[...ps].map(proc).join(", ")}}`;
}

/** 1st, 2nd, 3rd, 4th, … */
export function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][k % 10] ?? "th");
  return `${k}${suffix}`;
}

/** The cast of m, for `related`. */
export function castOf(m: MessageId): EventPattern {
  return { name: "cast", p: m.from, msg: m.msg };
}

/** A delivery of m: by p, or by anyone. */
export function deliveryOf(m: MessageId, p?: ProcessId): EventPattern {
  return { name: "deliver", from: m.from, msg: m.msg, ...(p !== undefined && { p }) };
}

/** An installation of view `id`: by p, or by anyone. */
export function installOf(id: number, p?: ProcessId): EventPattern {
  return { name: "view", view: { id }, ...(p !== undefined && { p }) };
}
