// Helpers for the runtime's tests: waiting for a condition, judging recorded traces.

import { mergeRecordings } from "../../specs/trace/merge.ts";
import { readRecording } from "../../specs/trace/read.ts";
import { services } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";

/** Resolves once `holds()` is true; rejects with `what` after `limitMs`. */
export async function until(holds: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const give = Date.now() + limitMs;
  while (!holds()) {
    if (Date.now() > give) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The FIFO service's verdicts on a group's recorded files ("holds" for each property, or the violation). */
export function fifoVerdicts(files: readonly string[], processes: number, quiescent: boolean): Record<string, string> {
  const events = mergeRecordings(files.map((f) => readRecording(f).events), processes);
  const verdicts = validateTrace(services.fifo, events.map((e) => e.action), { processes, quiescent });
  return Object.fromEntries(verdicts.map((v) => [v.property, v.verdict === "violated" ? v.violation!.message : v.verdict]));
}
