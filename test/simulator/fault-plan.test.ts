import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Random } from "../../ioa/index.ts";
import { parseDistribution, sample } from "../../simulator/distribution.ts";
import { DEFAULT_PLAN, formatPlan, parseFaultItems, PlanError, rateOf, readPlanFile, type FaultPlan } from "../../simulator/fault-plan.ts";

const dir = mkdtempSync(join(tmpdir(), "troupe-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function planFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("latency distributions", () => {
  it("read the three forms and a bare number", () => {
    expect(parseDistribution("constant(5)", "x")).toEqual({ kind: "constant", value: 5 });
    expect(parseDistribution("uniform(1, 20)", "x")).toEqual({ kind: "uniform", min: 1, max: 20 });
    expect(parseDistribution("exponential(8)", "x")).toEqual({ kind: "exponential", mean: 8 });
    expect(parseDistribution("7", "x")).toEqual({ kind: "constant", value: 7 });
  });

  it("name what is wrong", () => {
    expect(() => parseDistribution("normal(3)", "--faults latency=normal(3)")).toThrowError('--faults latency=normal(3): "normal" is not a distribution; expected constant(n), uniform(min,max) or exponential(mean)');
    expect(() => parseDistribution("uniform(5,1)", "x")).toThrowError("uniform(5,1) has its minimum above its maximum");
    expect(() => parseDistribution("uniform(1)", "x")).toThrowError("uniform takes 2 arguments, got 1");
    expect(() => parseDistribution("constant(-1)", "x")).toThrowError('"-1" is not a whole number of milliseconds ≥ 0');
    expect(() => parseDistribution("exponential(0)", "x")).toThrowError("exponential needs a mean above 0");
  });

  it("draw whole numbers within their bounds", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, a, b) => {
        const random = Random.seeded(seed);
        const [min, max] = [Math.min(a, b), Math.max(a, b)];
        const u = sample({ kind: "uniform", min, max }, random);
        const e = sample({ kind: "exponential", mean: max + 1 }, random);
        return Number.isInteger(u) && u >= min && u <= max && Number.isInteger(e) && e >= 0;
      }),
    );
  });
});

describe("fault plans", () => {
  it("read command-line items over the defaults", () => {
    const plan = parseFaultItems(["drop=0.2,crash=0.01", "latency=exponential(4)", "stop=500", "crash@100=2", "partition@10..40=[[0,1],[2]]", "repair=heal+recover"]);
    expect(plan.rates).toEqual({ ...DEFAULT_PLAN.rates, drop: 0.2, crash: 0.01 });
    expect(rateOf(plan, "crash")).toBe(0.01);
    expect(rateOf(plan, "partition")).toBe(DEFAULT_PLAN.other);
    expect(plan.latency).toEqual({ kind: "exponential", mean: 4 });
    expect(plan.stop).toBe(500);
    expect(plan.repair).toEqual(["heal", "recover"]);
    expect(plan.events).toEqual([
      { kind: "fault", at: 100, fault: "crash", process: 2 },
      { kind: "partition", at: 10, until: 40, components: [[0, 1], [2]] },
    ]);
  });

  it("none turns every random fault off, and later items turn some back on", () => {
    const plan = parseFaultItems(["none", "drop=0.3"]);
    expect(plan.rates).toEqual({ drop: 0.3 });
    expect(plan.other).toBe(0);
    expect(plan.reorder).toBe(0);
  });

  it("read back what they print", () => {
    const item = fc.oneof(
      fc.tuple(fc.constantFrom("drop", "duplicate", "crash", "reorder", "other"), fc.integer({ min: 0, max: 100 })).map(([f, r]) => `${f}=${r / 100}`),
      fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })).map(([a, b]) => `latency=uniform(${Math.min(a, b)},${Math.max(a, b)})`),
      fc.integer({ min: 0, max: 1000 }).map((t) => `timer=${t}`),
      fc.integer({ min: 0, max: 1000 }).map((t) => `stop=${t}`),
      fc.tuple(fc.constantFrom("crash", "recover"), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 4 })).map(([f, t, p]) => `${f}@${t}=${p}`),
      fc.tuple(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 100 })).map(([t, d]) => `partition@${t}..${t + d}=[[0,1],[2,3]]`),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        const plan = parseFaultItems(items);
        expect(parseFaultItems([formatPlan(plan)], DEFAULT_PLAN)).toEqual(normalised(plan));
      }),
    );
  });

  it("reject bad items with the item named", () => {
    expect(() => parseFaultItems(["drop=2"])).toThrowError("--faults drop=2: a rate is a probability between 0 and 1, got \"2\"");
    expect(() => parseFaultItems(["drop"])).toThrowError("--faults drop: expected none, name=value");
    expect(() => parseFaultItems(["crash@soon=1"])).toThrowError('--faults crash@soon=1: a time is a whole number of virtual milliseconds ≥ 0, got "soon"');
    expect(() => parseFaultItems(["crash@5=[1"])).toThrowError('--faults crash@5=[1: "[1" is not JSON');
    expect(() => parseFaultItems(["crash@5={}"])).toThrowError("a process is an integer or a string, got {}");
    expect(() => parseFaultItems(["partition@50..20=[[0],[1]]"])).toThrowError("the partition ends at 20, not after it starts at 50");
    expect(() => parseFaultItems(["partition@5..20=[[0,1]]"])).toThrowError("splits the processes into two or more non-empty components");
    expect(() => parseFaultItems(["partition@5..20=[[0,1],[1]]"])).toThrowError("process 1 is in two components");
    expect(() => parseFaultItems(["partition@5=[[0],[1]]"])).toThrowError("a partition needs an interval");
    expect(() => parseFaultItems(["repair=heal+x y"])).toThrowError("repair lists fault types");
    expect(() => parseFaultItems(["missing.json"])).toThrowError(PlanError);
  });

  it("read JSON plan files, naming the file and the JSON path of a problem", () => {
    const good = planFile("good.json", {
      rates: { drop: 0.1, crash: 0.02 },
      latency: "uniform(2,8)",
      repair: ["heal"],
      events: [
        { at: 100, fault: "crash", process: 1 },
        { at: 50, until: 90, partition: [[0], [1, 2]] },
      ],
    });
    const plan = readPlanFile(good);
    expect(plan.rates.drop).toBe(0.1);
    expect(plan.latency).toEqual({ kind: "uniform", min: 2, max: 8 });
    expect(plan.events).toHaveLength(2);
    expect(parseFaultItems([good, "drop=0.5"]).rates.drop).toBe(0.5);

    const bad = (name: string, content: unknown) => () => readPlanFile(planFile(name, content));
    expect(bad("a.json", "{ not json")).toThrowError(/a\.json: ".*" is not JSON/);
    expect(bad("b.json", { rates: { drop: "often" } })).toThrowError(/b\.json: \$\.rates\.drop: a rate is a probability between 0 and 1, got "often"/);
    expect(bad("c.json", { speed: 3 })).toThrowError(/c\.json: \$\.speed: unexpected field "speed"; a plan has rates, reorder/);
    expect(bad("d.json", { events: [{ at: 1, fault: "crash", process: 0, when: 3 }] })).toThrowError(/d\.json: \$\.events\[0\]: unexpected field "when"/);
    expect(bad("e.json", { events: [{ at: -1, fault: "crash" }] })).toThrowError(/e\.json: \$\.events\[0\]\.at: a time is a whole number/);
    expect(bad("f.json", { events: [{ at: 5, until: 9, partition: [[0, 1], [1]] }] })).toThrowError(/f\.json: \$\.events\[0\]\.partition: process 1 is in two components/);
    expect(bad("g.json", [1, 2])).toThrowError(/g\.json: \$ should be an object/);
  });
});

/** A plan as it reads back from its printed form: rates listed once, in the printed order. */
function normalised(plan: FaultPlan): FaultPlan {
  return { ...plan, rates: { ...DEFAULT_PLAN.rates, ...plan.rates } };
}
