// Helpers for the runtime's tests: closing what a test opened, waiting for a condition, judging
// recorded traces.

import type { Socket } from "node:dgram";
import { afterEach } from "vitest";
import type { Member } from "../../runtime/index.ts";
import { mergeRecordings } from "../../specs/trace/merge.ts";
import { readRecording } from "../../specs/trace/read.ts";
import { services, type Service } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";

/** Lists for the members and sockets the tests of a file open (push each as it opens): all are closed after each test. */
export function closedAfterEach(): { readonly members: Member[]; readonly sockets: Socket[] } {
  const members: Member[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.close()));
    await Promise.all(sockets.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
  });
  return { members, sockets };
}

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
  return serviceVerdicts(services.fifo, files, processes, quiescent);
}

/** A service's verdicts on a group's recorded files ("holds" for each property, or the violation). */
export function serviceVerdicts(service: Service, files: readonly string[], processes: number, quiescent = false): Record<string, string> {
  const events = mergeRecordings(files.map((f) => readRecording(f).events), processes);
  const verdicts = validateTrace(service, events.map((e) => e.action), { processes, quiescent });
  return Object.fromEntries(verdicts.map((v) => [v.property, v.verdict === "violated" ? v.violation!.message : v.verdict]));
}
