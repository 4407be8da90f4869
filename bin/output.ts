// Terminal output: colour only on a TTY (and never with NO_COLOR), and the readable rendering of
// an execution that walks, checks and simulations share.

import { styleText } from "node:util";
import { diffValues, formatAction, formatChange, formatValue, type Action, type Execution, type ModelInstance, type Value } from "../ioa/index.ts";

type Style = Parameters<typeof styleText>[0];

const colour = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";

export function style(format: Style, text: string): string {
  return colour ? styleText(format, text) : text;
}

export function describeInstance(instance: ModelInstance): string {
  const params = Object.entries(instance.params).map(([k, v]) => `${k}=${v}`);
  return `${style("bold", instance.model.name)}${params.length ? `  ${style("dim", params.join(" "))}` : ""}`;
}

const MAX = 100;

/** The start state field by field, then each action with what it changed (and its note, if given: a time, a cause). */
export function formatExecution<S, A extends Action>(execution: Execution<S, A>, options: { indent?: string; notes?: readonly string[] } = {}): string {
  const pad = options.indent ?? "  ";
  const lines: string[] = [];
  const first = execution.states[0] as Value;
  lines.push(`${pad}${style("dim", "initial state")}`);
  const fields = diffValues({} as Value, first).flatMap((c) => (c.kind === "added" ? [c] : []));
  const width0 = Math.max(0, ...fields.map((c) => c.path.length));
  for (const c of fields) lines.push(`${pad}    ${c.path.padEnd(width0)}  ${formatValue(c.after, { maxLength: MAX })}`);
  const width = String(execution.actions.length).length;
  execution.actions.forEach((a, i) => {
    const note = options.notes?.[i];
    lines.push(`${pad}${style("dim", String(i + 1).padStart(width))}  ${style("bold", formatAction(a, { maxLength: MAX }))}${note ? `  ${style("dim", note)}` : ""}`);
    const changes = diffValues(execution.states[i] as Value, execution.states[i + 1] as Value);
    if (changes.length === 0) lines.push(`${pad}${" ".repeat(width)}      ${style("dim", "(no change)")}`);
    for (const c of changes) lines.push(`${pad}${" ".repeat(width)}      ${formatChange(c, { maxLength: MAX })}`);
  });
  return lines.join("\n");
}
