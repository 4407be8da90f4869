// troupe validate --spec <service> <trace>…: judge recorded traces against a service specification
// (its exact checker and every catalogue property it promises).

import { type Command, InvalidArgumentError } from "commander";
import { formatAction, TroupeError, type Action } from "../../ioa/index.ts";
import { isServiceName, SERVICE_NAMES, services, type ServiceName } from "../../specs/services.ts";
import { toJsonLine } from "../../specs/trace/json-lines.ts";
import { mergeRecordings } from "../../specs/trace/merge.ts";
import { readRecording } from "../../specs/trace/read.ts";
import type { RecordedEvent, Recording } from "../../specs/trace/recorded.ts";
import { isTransitionalConfiguration, processesOf, validateTrace, type PropertyVerdict } from "../../specs/validation.ts";
import { ProcessNames } from "../../specs/trace/process-names.ts";
import { exitStatus, type Verdict } from "../exit-status.ts";
import { integerOption } from "../options.ts";
import { style } from "../output.ts";

interface ValidateOptions {
  spec: string;
  processes?: number;
  quiescent?: boolean;
  json?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check recorded traces (ITF, or JSON lines: one group action per line) against a service specification")
    .argument("<traces...>", "trace files: ITF (.json), or JSON lines (.jsonl, .ndjson); several files are merged, each keeping its order")
    .requiredOption("--spec <service>", `the service: ${SERVICE_NAMES.join(", ")}`, serviceOption)
    .option("--processes <n>", "group size (default: one more than the largest process id in the traces)", integerOption("--processes", 1))
    .option("--quiescent", "the run reached quiescence: judge liveness-at-quiescence properties too")
    .option("--json", "print one JSON object: verdict, events, violations")
    .action((files: string[], options: ValidateOptions) => {
      const names = new ProcessNames();
      const recordings = files.map((file) => readRecording(file, names));
      const processes = options.processes ?? processesOf(recordings.flatMap((r) => r.events.map((e) => e.action)));
      const outside = recordings.flatMap((r) => r.events).find((e) => processesOf([e.action]) > processes);
      if (outside) throw new TroupeError(`${outside.source}: ${formatAction(outside.action)} names a process outside the group of ${processes} (--processes ${processes}: ids 0 to ${processes - 1})`);
      const events = mergeRecordings(
        recordings.map((r) => r.events),
        processes,
      );
      const service = services[options.spec as keyof typeof services];
      const verdicts = validateTrace(
        service,
        events.map((e) => e.action),
        { processes, ...(options.quiescent && { quiescent: true }) },
      );
      const verdict = overallVerdict(verdicts, events);
      console.log(options.json ? JSON.stringify(jsonReport(verdict, verdicts, events, names)) : textReport(options.spec, recordings, events, processes, verdicts, verdict, names));
      process.exitCode = exitStatus(verdict);
    });
}

function serviceOption(name: string): string {
  if (!isServiceName(name)) throw new InvalidArgumentError(`there is no service "${name}"; the services are ${SERVICE_NAMES.join(", ")}`);
  return name;
}

/** Violated if any property is; incomplete if nothing was judged (no group events, or every property vacuous or not judged). */
function overallVerdict(verdicts: readonly PropertyVerdict[], events: readonly RecordedEvent[]): Verdict {
  if (verdicts.some((v) => v.verdict === "violated")) return "violated";
  const judged = verdicts.some((v) => v.verdict === "holds" && !v.vacuous);
  return events.length > 0 && judged ? "holds" : "incomplete";
}

function nothingJudged(events: readonly RecordedEvent[]): string {
  return events.length === 0 ? "the traces hold no group events: nothing was judged" : "no property was concerned by any event of the traces: nothing was judged";
}

function jsonReport(verdict: Verdict, verdicts: readonly PropertyVerdict[], events: readonly RecordedEvent[], names: ProcessNames) {
  const violated = verdicts.filter((v) => v.verdict === "violated");
  const vacuous = verdicts.filter((v) => v.vacuous).map((v) => v.property);
  return {
    verdict,
    ...(verdict === "incomplete" && { incomplete: nothingJudged(events) }),
    events: events.length,
    ...(vacuous.length > 0 && { vacuous }),
    ...(names.table.length > 0 && { processNames: names.table }),
    violations: violated.map((v) => ({
      property: v.property,
      events: v.violation!.events.map((i) => ({ index: i, source: events[i]!.source, action: JSON.parse(toJsonLine(events[i]!.action)) as unknown })),
    })),
  };
}

function textReport(spec: string, recordings: readonly Recording[], events: readonly RecordedEvent[], processes: number, verdicts: readonly PropertyVerdict[], verdict: Verdict, names: ProcessNames): string {
  const files = recordings.length === 1 ? recordings[0]!.file : `${recordings.length} files`;
  const lines = [`${style("bold", `validate --spec ${spec}`)}: ${files}, ${events.length} events, ${processes} processes`];
  if (names.table.length > 0) lines.push(style("dim", `(processes by name, numbered as they first appear: ${names.table.map((name, id) => `${id} ${name}`).join(", ")})`));
  const skipped = new Map<string, number>();
  for (const r of recordings) for (const [name, count] of r.skipped) skipped.set(name, (skipped.get(name) ?? 0) + count);
  if (skipped.size > 0) {
    const list = [...skipped].map(([name, count]) => `${name} ×${count}`).join(", ");
    lines.push(style("dim", `(${[...skipped.values()].reduce((a, b) => a + b, 0)} actions that are not group actions were not judged: ${list})`));
  }
  const transitional = services[spec as ServiceName].transitionalConfigurations ? 0 : events.filter((e) => isTransitionalConfiguration(e.action)).length;
  if (transitional > 0) lines.push(style("dim", `(${transitional} transitional configurations of extended virtual synchrony are outside the ${spec} service's signature: left out)`));
  lines.push("");
  const width = Math.max(...verdicts.map((v) => label(v).length));
  for (const v of verdicts) lines.push(...verdictLines(v, width, events));
  const violated = verdicts.filter((v) => v.verdict === "violated").length;
  const vacuous = verdicts.filter((v) => v.vacuous).length;
  lines.push("");
  if (verdict === "violated") lines.push(style("red", `violated: ${violated} of ${verdicts.length} properties`));
  else if (verdict === "incomplete") lines.push(style("yellow", `incomplete: ${nothingJudged(events)}`));
  else lines.push(style("green", `holds: ${verdicts.length} properties${vacuous > 0 ? ` (${vacuous} of them vacuously: no event concerned them)` : ""}`));
  return lines.join("\n");
}

function label(v: PropertyVerdict): string {
  return v.id.toLowerCase() === v.property ? v.property : `${v.property} (${v.id})`;
}

function verdictLines(v: PropertyVerdict, width: number, events: readonly RecordedEvent[]): string[] {
  const name = label(v).padEnd(width);
  if (v.verdict === "holds" && v.vacuous) return [`${style("yellow", "○")} ${name}  ${style("yellow", "vacuous: no event of the trace concerned it")}`];
  if (v.verdict === "holds") return [`${style("green", "✓")} ${name}  ${style("dim", v.statement)}`];
  if (v.verdict === "not judged") return [`${style("dim", "–")} ${name}  ${style("dim", "not judged: liveness at quiescence (pass --quiescent if the run reached it)")}`];
  const violation = v.violation!;
  return [
    `${style("red", "✗")} ${name}  ${violation.message}`,
    ...violation.events.map((i) => `      ${style("dim", `event ${i}`)}  ${events[i]!.source}  ${formatAction(events[i]!.action as Action)}`),
  ];
}

