// A member's recorded trace: each view after the transitional configuration that leads to it, so
// that one recording is judged by extended virtual synchrony and, without them, by the others.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ISet } from "../../ioa/index.ts";
import { TraceRecorder } from "../../runtime/trace-recorder.ts";
import { services } from "../../specs/services.ts";
import { readRecording } from "../../specs/trace/read.ts";
import { validateTrace } from "../../specs/validation.ts";

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

/** Records process 1 of 3 installing `views` (member lists, ids 1, 2, …), and reads the views back. */
function recorded(views: readonly number[][]) {
  dir = mkdtempSync(join(tmpdir(), "troupe-recorder-"));
  const file = join(dir, "p1.jsonl");
  const recorder = new TraceRecorder(file);
  views.forEach((members, i) => recorder.recordView(1, { id: i + 1, members: ISet.from(members) }));
  recorder.close();
  return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line).view as { id: number; members: number[]; kind?: string });
}

describe("a member's trace recorder", () => {
  it("writes each view after the transitional configuration from the last one: the members that come with it", () => {
    expect(recorded([[0, 1], [1, 2], [0, 1, 2]]).map((v) => `${v.kind ?? "regular"} ${v.id} ${v.members.join()}`)).toEqual([
      // Before its first view a trace's every process is in the view of all processes.
      "transitional 1 0,1",
      "regular 1 0,1",
      "transitional 2 1",
      "regular 2 1,2",
      "transitional 3 1,2",
      "regular 3 0,1,2",
    ]);
  });

  it("gives a trace that extended virtual synchrony accepts, and that the other services judge without the transitional configurations", () => {
    recorded([[0, 1, 2], [1, 2]]);
    const trace = readRecording(join(dir, "p1.jsonl")).events.map((e) => e.action);
    for (const service of [services.evs, services.vs, services.vsync, services.membership]) {
      const verdicts = validateTrace(service, trace, { processes: 3 });
      expect(verdicts.filter((v) => v.verdict === "violated"), service.name).toEqual([]);
    }
    // The same trace, transitional configurations and all, is not a trace of the vs service's automaton.
    const judgedWhole = validateTrace({ ...services.vs, transitionalConfigurations: true }, trace, { processes: 3 });
    expect(judgedWhole.find((v) => v.property === "vs")!.violation!.message).toMatch(/installs a transitional configuration .*only extended virtual synchrony has them/);
  });
});
