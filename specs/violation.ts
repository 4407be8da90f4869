// A violation of a group service property, with the earlier events it concerns.
//
// A monitor sees one action at a time, so the event that breaks a property is the one being judged;
// the events it conflicts with (the cast of a message, an earlier delivery, another process's view)
// are named by content in `related`, and whoever replays the trace (`validateTrace`) finds them in
// it. Messages, processes and views are written the same way in every explanation.

import { formatValue, Violation, type Value } from "../ioa/index.ts";
import type { GroupAction, MessageId, ProcessId, View } from "./group.ts";

export class GroupViolation extends Violation {
  constructor(
    message: string,
    /** Earlier events of the trace that the violating event conflicts with, by content. */
    readonly related: readonly GroupAction[] = [],
  ) {
    super(message);
  }
}

export function violation(message: string, ...related: GroupAction[]): GroupViolation {
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

/** The group actions that mention message m at process p, for `related`. */
export function castOf(m: MessageId<unknown>): GroupAction {
  return { name: "cast", p: m.from, msg: m.msg };
}

export function deliveryOf(p: ProcessId, m: MessageId<unknown>): GroupAction {
  return { name: "deliver", p, from: m.from, msg: m.msg };
}
