// Traces other tools write: every trace the ITF spec allows is accepted by the schema, and traces
// Quint 0.33 itself wrote (test/fixtures/quint, made by make-fixtures.sh there) are read, replayed
// and validated. Quint's sums are read as Troupe's variants.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkItfSchema, fromItf, instantiate, ISet, readItfFile, replayExecution, t, type ItfTrace } from "../../ioa/index.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { root, troupe } from "../support/cli.ts";

const fixture = (name: string) => join(root, "test/fixtures/quint", name);
const json = (name: string) => JSON.parse(readFileSync(fixture(name), "utf8")) as ItfTrace;
const model = instantiate(twoPhase, {});

describe("traces Quint writes", () => {
  it("quint run --mbt: the TwoPhase trace replays on specs/examples/two-phase.ts, its Msg sums read as variants", () => {
    const execution = readItfFile(model.automaton, fixture("two-phase-mbt.itf.json"));
    expect(execution.actions.length).toBe(12);
    expect(execution.actions[0]).toEqual({ name: "RMPrepare", r: 0 });
    expect(execution.actions[1]).toEqual({ name: "TMAbort" }); // Quint's pick of r for this step was None
    expect(execution.states[2]!.msgs).toEqual(ISet.of({ type: "Abort" }, { type: "Prepared", rm: 0 }));
    expect(replayExecution(model.automaton, execution).ok).toBe(true);
  });

  it("quint run without --mbt: the schema accepts it; replaying it says what is missing", () => {
    const trace = json("two-phase.itf.json");
    expect(trace.vars).not.toContain("mbt::actionTaken");
    expect(() => checkItfSchema(trace)).not.toThrow();
    expect(() => readItfFile(model.automaton, fixture("two-phase.itf.json"))).toThrowError(
      /two-phase\.itf\.json: \$\.states\[1\]: does not record the action that produced it \("mbt::actionTaken"\); to replay or validate a trace Quint writes, run it with `quint run --mbt/,
    );
  });

  it("troupe validate judges a Quint group trace: named processes, tuple messages, extra nondet picks ignored", () => {
    const r = troupe("validate", "--spec", "fifo", fixture("group-fifo-mbt.itf.json"), "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "holds", events: 10, processNames: ["b", "a"] });
  });
});

/** A minimal trace as the ITF spec allows it: no #meta anywhere, no mbt variables. */
const bare = (states: Record<string, unknown>[], vars = Object.keys(states[0]!)) => ({ vars, states });

describe("what the ITF spec allows", () => {
  it("no #meta, no per-state index, no mbt variables", () => {
    expect(() => checkItfSchema(bare([{ x: { "#bigint": "1" } }]))).not.toThrow();
  });

  it("#unserializable values and Apalache's UNIT", () => {
    expect(() => checkItfSchema(bare([{ f: { "#unserializable": "λx. x + 1" }, u: { tag: "UNIT" } }]))).not.toThrow();
  });

  it("None picks, and picks the action does not use", () => {
    const msgs = { "#set": [] };
    const trace = {
      vars: ["rmState", "tmState", "tmPrepared", "msgs", "mbt::actionTaken", "mbt::nondetPicks"],
      states: [
        { rmState: ["working", "working", "working"], tmState: "init", tmPrepared: msgs, msgs, "mbt::actionTaken": "init", "mbt::nondetPicks": { r: { tag: "None", value: { "#tup": [] } } } },
        { rmState: ["working", "working", "working"], tmState: "done", tmPrepared: msgs, msgs: { "#set": [{ tag: "Abort" }] }, "mbt::actionTaken": "TMAbort", "mbt::nondetPicks": { r: { tag: "Some", value: { "#bigint": "2" } } } },
      ],
    };
    const execution = fromItf(model.automaton, trace);
    expect(execution.actions).toEqual([{ name: "TMAbort" }]);
    expect(execution.states[1]!.msgs).toEqual(ISet.of({ type: "Abort" }));
  });
});

describe("Quint sums as Troupe variants", () => {
  const Shape = t.variant("kind", { Circle: { r: t.int(0, 9) }, Rect: { w: t.int(0, 9), h: t.int(0, 9) }, Empty: {} });
  const shape = fc.oneof(
    fc.integer({ min: 0, max: 9 }).map((r) => ({ kind: "Circle" as const, r })),
    fc.record({ w: fc.integer({ min: 0, max: 9 }), h: fc.integer({ min: 0, max: 9 }) }).map((x) => ({ kind: "Rect" as const, ...x })),
    fc.constant({ kind: "Empty" as const }),
  );
  /** How Quint writes the same value: one field alone, several as a record, none as unit. */
  const asQuint = (v: { readonly kind: string }) => {
    const { kind, ...fields } = v as Record<string, unknown> & { kind: string };
    const values = Object.values(fields).map((x) => ({ "#bigint": String(x) }));
    const record = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, { "#bigint": String(x) }]));
    return { tag: kind, value: values.length === 0 ? { "#tup": [] } : values.length === 1 ? values[0] : record };
  };

  it("read the same value as Troupe's own encoding (law: fromItf(quint(v)) = fromItf(toItf(v)) = v)", () => {
    fc.assert(
      fc.property(shape, (v) => {
        expect(Shape.fromItf(asQuint(v), "$")).toEqual(v);
        expect(Shape.fromItf(Shape.toItf(v), "$")).toEqual(v);
      }),
    );
  });

  it("a case that does not fit names the path and what was expected", () => {
    expect(() => Shape.fromItf({ tag: "Square", value: { "#bigint": "1" } }, "$.s")).toThrowError('$.s.tag: should be one of "Circle", "Rect", "Empty", but is "Square"');
    expect(() => Shape.fromItf({ tag: "Rect", value: { "#bigint": "1" } }, "$.s")).toThrowError("$.s.value: the case Rect should carry a record with fields w, h");
  });
});
