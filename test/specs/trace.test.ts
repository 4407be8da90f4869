import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { instantiate, ISet, toItf, valueFromItf, valuesEqual, valueToItf, walk, type Value } from "../../ioa/index.ts";
import vsModel from "../../specs/examples/vs.ts";
import type { GroupAction } from "../../specs/group.ts";
import { services } from "../../specs/services.ts";
import { readItfActions } from "../../specs/trace/itf-actions.ts";
import { readJsonLines, toJsonLine } from "../../specs/trace/json-lines.ts";
import { mergeRecordings } from "../../specs/trace/merge.ts";
import type { RecordedEvent } from "../../specs/trace/recorded.ts";
import { validateTrace } from "../../specs/validation.ts";
import { valueArb } from "../support/arbitraries.ts";
import { walkTraces, type Trace } from "../support/group-traces.ts";

const dir = mkdtempSync(join(tmpdir(), "troupe-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const id = fc.integer({ min: 0, max: 4 });
const ids = fc.uniqueArray(id, { minLength: 1, maxLength: 5 }).map((xs) => ISet.from(xs));
const actionArb: fc.Arbitrary<GroupAction<Value>> = fc.oneof(
  fc.record({ name: fc.constant("cast" as const), p: id, msg: valueArb }),
  fc.record({ name: fc.constantFrom("deliver" as const, "safe" as const), p: id, from: id, msg: valueArb }),
  fc.record({
    name: fc.constant("view" as const),
    p: id,
    view: fc.record({ id: fc.nat(), members: ids, transitional: ids, kind: fc.constant("transitional" as const) }, { requiredKeys: ["id", "members"] }),
  }),
  fc.record({ name: fc.constantFrom("crash" as const, "recover" as const), p: id }),
);

describe("the JSON-lines form", () => {
  // Without a type, ITF reads an integer as a number when it is a safe integer: so do messages.
  const asRead = (a: GroupAction<Value>) => ("msg" in a ? { ...a, msg: valueFromItf(valueToItf(a.msg), "$") } : a) as unknown as Value;

  it("reads back every group action it writes, with its time", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(actionArb, fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined })), { maxLength: 8 }), (rows) => {
        const text = rows.map(([a, time]) => toJsonLine(a, time)).join("\n");
        const { events } = readJsonLines("t.jsonl", `${text}\n\n`);
        expect(events).toHaveLength(rows.length);
        events.forEach((e, i) => {
          expect(valuesEqual(e.action as unknown as Value, asRead(rows[i]![0]))).toBe(true);
          expect(e.time).toBe(rows[i]![1] === undefined ? undefined : rows[i]![1] === 0 ? 0 : rows[i]![1]);
          expect(e.source).toBe(`t.jsonl:${i + 1}`);
        });
      }),
    );
  });

  it("writes views with member arrays and messages as readable JSON", () => {
    expect(toJsonLine({ name: "view", p: 1, view: { id: 2, members: ISet.of(0, 1), transitional: ISet.of(1) } })).toBe('{"name":"view","p":1,"view":{"id":2,"members":[0,1],"transitional":[1]}}');
    expect(toJsonLine({ name: "deliver", p: 1, from: 0, msg: { sender: 0, seq: 1 } }, 12.5)).toBe('{"name":"deliver","p":1,"from":0,"msg":{"sender":0,"seq":1},"time":12.5}');
  });

  it("names the file, the line and the field of malformed input", () => {
    const bad = (line: string) => () => readJsonLines("node1.jsonl", `{"name":"crash","p":0}\n${line}\n`);
    expect(bad("{nope")).toThrowError(/^node1\.jsonl: line 2: is not JSON: /);
    expect(bad("[1]")).toThrowError('node1.jsonl: line 2, $: should be a JSON object with a name, such as {"name":"cast","p":0,"msg":1}');
    expect(bad('{"name":"send","p":0}')).toThrowError('node1.jsonl: line 2, $.name: should be one of cast, deliver, safe, view, crash, recover, but is "send"');
    expect(bad('{"name":"cast","p":"x","msg":1}')).toThrowError('node1.jsonl: line 2, $.p: is "x", but an earlier event named process 0: the processes of one trace are either all integers or all names');
    expect(bad('{"name":"cast","p":1.5,"msg":1}')).toThrowError("node1.jsonl: line 2, $.p: should be a process id (a non-negative integer or a name), but is 1.5");
    expect(bad('{"name":"deliver","p":1,"msg":1}')).toThrowError("node1.jsonl: line 2, $.from: is missing (deliver has p, from, msg)");
    expect(bad('{"name":"cast","p":1,"msg":1,"to":2}')).toThrowError("node1.jsonl: line 2, $.to: is not a field of cast (its fields are p, msg)");
    expect(bad('{"name":"cast","p":1,"msg":null}')).toThrowError("node1.jsonl: line 2, $.msg: expected an ITF value, found null");
    expect(bad('{"name":"cast","p":1,"msg":{"n":1.5}}')).toThrowError("node1.jsonl: line 2, $.msg.n: expected an integer, found 1.5");
    expect(bad('{"name":"view","p":1,"view":{"id":1,"members":3}}')).toThrowError("node1.jsonl: line 2, $.view.members: should be a list of process ids such as [0, 1], but is 3");
    expect(bad('{"name":"view","p":1,"view":{"id":1,"members":[0,1,0]}}')).toThrowError("node1.jsonl: line 2, $.view.members: lists process 0 twice");
    expect(bad('{"name":"view","p":1,"view":{"id":1,"members":[0,-1]}}')).toThrowError("node1.jsonl: line 2, $.view.members[1]: should be a process id (a non-negative integer or a name), but is -1");
    expect(bad('{"name":"view","p":1,"view":{"id":1,"members":[1],"kind":"regular"}}')).toThrowError('node1.jsonl: line 2, $.view.kind: should be "transitional" (or absent), but is "regular"');
    expect(bad('{"name":"crash","p":1,"time":"noon"}')).toThrowError('node1.jsonl: line 2, $.time: should be a number (milliseconds), but is "noon"');
  });
});

describe("ITF traces", () => {
  const instance = instantiate(vsModel, { processes: 2, messages: 2, views: 2, crashes: 1 });
  const run = walk(instance.automaton, { steps: 40, seed: 3 });
  const file = join(dir, "vs.itf.json");
  writeFileSync(file, JSON.stringify(toItf(instance.automaton, run)));

  it("yield their group actions in order, and count the other actions", () => {
    const { events, skipped } = readItfActions(file);
    const group = run.actions.filter((a) => ["cast", "deliver", "safe", "view", "crash", "recover"].includes(a.name));
    expect(valuesEqual(events.map((e) => e.action) as unknown as Value, group as unknown as Value)).toBe(true);
    expect(group.length).toBeGreaterThan(5);
    expect(events[0]!.source).toMatch(new RegExp(`^${file.replace(/[.]/g, "\\.")} state \\d+$`));
    expect([...skipped.values()].reduce((a, b) => a + b, 0)).toBe(run.actions.length - group.length);
  });

  it("name the file and the JSON path of a malformed action", () => {
    const json = JSON.parse(JSON.stringify(toItf(instance.automaton, run)));
    const at = json.states.findIndex((s: Record<string, unknown>) => s["mbt::actionTaken"] === "deliver");
    json.states[at]["mbt::nondetPicks"].from = { tag: "Some", value: { "#bigint": "-3" } };
    const bad = join(dir, "bad.itf.json");
    writeFileSync(bad, JSON.stringify(json));
    expect(() => readItfActions(bad)).toThrowError(`${bad}: $.states[${at}]["mbt::nondetPicks"].from: should be a process id (a non-negative integer or a name), but is {"#bigint":"-3"}`);
    writeFileSync(bad, '{"#meta": {}, "vars": []}');
    expect(() => readItfActions(bad)).toThrowError(`${bad}: $: is missing "states"`);
    writeFileSync(bad, "{");
    expect(() => readItfActions(bad)).toThrowError(`${bad}: $: is not JSON`);
  });
});

/** A trace split into one file per process, each event stamped with a time that grows along the file. */
function perProcess(trace: Trace, stamps: readonly number[] | undefined): RecordedEvent[][] {
  const files: RecordedEvent[][] = [];
  trace.forEach((action, i) => {
    const file = (files[action.p] ??= []);
    const time = stamps && (file.length === 0 ? stamps[i]! : Math.max(stamps[i]!, file[file.length - 1]!.time!));
    file.push({ action, source: `node${action.p}:${file.length + 1}`, ...(time !== undefined && { time }) });
  });
  return files.map((f) => f ?? []);
}

describe("merging the files of a group", () => {
  const traces = walkTraces(vsModel, { processes: 3, messages: 2, views: 2, crashes: 1 }, 200, 30, 777);

  it("keeps each file's order, puts no delivery before its cast, and keeps a VS trace a VS trace (any clocks)", () => {
    fc.assert(
      fc.property(fc.nat(traces.length - 1), fc.option(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 40, maxLength: 40 }), { nil: undefined }), (k, stamps) => {
        const trace = traces[k]!;
        const files = perProcess(trace, stamps);
        const merged = mergeRecordings(files, 3);
        expect(merged).toHaveLength(trace.length);
        for (const file of files) expect(merged.filter((e) => file.includes(e))).toEqual(file);
        merged.forEach((e, i) => {
          const a = e.action;
          if (a.name !== "deliver") return;
          expect(merged.slice(0, i).some((c) => c.action.name === "cast" && c.action.p === a.from && valuesEqual(c.action.msg, a.msg))).toBe(true);
        });
        const verdicts = validateTrace(services.vs, merged.map((e) => e.action), { processes: 3 });
        expect(verdicts.filter((v) => v.verdict === "violated")).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("follows the clocks where causality allows", () => {
    const node0 = [{ action: { name: "cast", p: 0, msg: "a" }, source: "n0:1", time: 5 }] as RecordedEvent[];
    const node1 = [
      { action: { name: "deliver", p: 1, from: 0, msg: "a" }, source: "n1:1", time: 1 },
      { action: { name: "cast", p: 1, msg: "b" }, source: "n1:2", time: 2 },
    ] as RecordedEvent[];
    const node2 = [{ action: { name: "crash", p: 2 }, source: "n2:1", time: 3 }] as RecordedEvent[];
    expect(mergeRecordings([node0, node1, node2], 3).map((e) => e.source)).toEqual(["n2:1", "n0:1", "n1:1", "n1:2"]);
  });
});
