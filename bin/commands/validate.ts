// troupe validate --spec <service> <trace>…: judge recorded traces against a service specification
// (its exact checker and every catalogue property it promises).

import { type Command, InvalidArgumentError } from "commander";
import { formatAction, TroupeError, type Action } from "../../ioa/index.ts";
import { isServiceName, SERVICE_NAMES, services } from "../../specs/services.ts";
import { toJsonLine } from "../../specs/trace/json-lines.ts";
import { mergeRecordings } from "../../specs/trace/merge.ts";
import { readRecording } from "../../specs/trace/read.ts";
import type { RecordedEvent, Recording } from "../../specs/trace/recorded.ts";
import { processesOf, validateTrace, type PropertyVerdict } from "../../specs/validation.ts";
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
      const recordings = files.map(readRecording);
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
      console.log(options.json ? JSON.stringify(jsonReport(verdicts, events)) : textReport(options.spec, recordings, events, processes, verdicts));
      process.exitCode = verdicts.some((v) => v.verdict === "violated") ? 1 : 0;
    });
}

function serviceOption(name: string): string {
  if (!isServiceName(name)) throw new InvalidArgumentError(`there is no service "${name}"; the services are ${SERVICE_NAMES.join(", ")}`);
  return name;
}

function jsonReport(verdicts: readonly PropertyVerdict[], events: readonly RecordedEvent[]) {
  const violated = verdicts.filter((v) => v.verdict === "violated");
  return {
    verdict: violated.length > 0 ? "violated" : "holds",
    events: events.length,
    violations: violated.map((v) => ({
      property: v.property,
      events: v.violation!.events.map((i) => ({ index: i, source: events[i]!.source, action: JSON.parse(toJsonLine(events[i]!.action)) as unknown })),
    })),
  };
}

function textReport(spec: string, recordings: readonly Recording[], events: readonly RecordedEvent[], processes: number, verdicts: readonly PropertyVerdict[]): string {
  const files = recordings.length === 1 ? recordings[0]!.file : `${recordings.length} files`;
  const lines = [`${style("bold", `validate --spec ${spec}`)}: ${files}, ${events.length} events, ${processes} processes`];
  const skipped = new Map<string, number>();
  for (const r of recordings) for (const [name, count] of r.skipped) skipped.set(name, (skipped.get(name) ?? 0) + count);
  if (skipped.size > 0) {
    const list = [...skipped].map(([name, count]) => `${name} ×${count}`).join(", ");
    lines.push(style("dim", `(${[...skipped.values()].reduce((a, b) => a + b, 0)} actions that are not group actions were not judged: ${list})`));
  }
  lines.push("");
  const width = Math.max(...verdicts.map((v) => label(v).length));
  for (const v of verdicts) lines.push(...verdictLines(v, width, events));
  const violated = verdicts.filter((v) => v.verdict === "violated").length;
  lines.push("", violated === 0 ? style("green", `holds: ${verdicts.length} properties`) : style("red", `violated: ${violated} of ${verdicts.length} properties`));
  return lines.join("\n");
}

function label(v: PropertyVerdict): string {
  return v.id.toLowerCase() === v.property ? v.property : `${v.property} (${v.id})`;
}

function verdictLines(v: PropertyVerdict, width: number, events: readonly RecordedEvent[]): string[] {
  const name = label(v).padEnd(width);
  if (v.verdict === "holds") return [`${style("green", "✓")} ${name}  ${style("dim", v.statement)}`];
  if (v.verdict === "not judged") return [`${style("dim", "–")} ${name}  ${style("dim", "not judged: liveness at quiescence (pass --quiescent if the run reached it)")}`];
  const violation = v.violation!;
  return [
    `${style("red", "✗")} ${name}  ${violation.message}`,
    ...violation.events.map((i) => `      ${style("dim", `event ${i}`)}  ${events[i]!.source}  ${formatAction(events[i]!.action as Action)}`),
  ];
}

