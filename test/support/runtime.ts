// Helpers for the runtime's tests: waiting for a condition, judging recorded traces, free ports.

import { createSocket } from "node:dgram";
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

/** `count` UDP ports on 127.0.0.1 that were free a moment ago. */
export async function freePorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createSocket>>((done) => {
      const s = createSocket("udp4");
      s.bind(0, "127.0.0.1", () => done(s));
    })),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((done) => s.close(() => done()))));
  return ports;
}
