import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkItfSchema, instantiate, readItfFile, replayExecution } from "../../ioa/index.ts";
import alternatingBit from "../../specs/examples/alternating-bit.ts";
import { root, scratchDir, troupe } from "../support/cli.ts";

const dir = scratchDir("sim");

/** The shell words of a printed command line (single-quoted words kept whole). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe("troupe sim", () => {
  it("--json prints exactly the verdict, runs, steps and seconds when nothing breaks", () => {
    const r = troupe("sim", "fifo-channel", "--runs", "30", "--seed", "4", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(["verdict", "runs", "steps", "seconds"]);
    expect(json).toMatchObject({ verdict: "holds", runs: 30, steps: 30 * 6 });
  });

  it("--json adds the property, the failing run's seed and both lengths when one breaks, and exits 1", () => {
    const r = troupe("sim", "two-phase", "--param", "commitOnAnyPrepared=true", "--seed", "9", "--json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(["verdict", "runs", "steps", "seconds", "property", "seed", "shrunkLength", "originalLength"]);
    expect(json).toMatchObject({ verdict: "violated", property: "consistent", shrunkLength: 5 });
    expect(json.originalLength).toBeGreaterThanOrEqual(5);
    const again = JSON.parse(troupe("sim", "two-phase", "--param", "commitOnAnyPrepared=true", "--seed", "9", "--json").out);
    expect({ ...again, seconds: 0 }).toEqual({ ...json, seconds: 0 });
  });

  it("prints the shrunk run, a command that repeats it, and the coverage; --out writes traces that replay and the report", () => {
    const out = join(dir, "abp");
    const r = troupe("sim", "alternating-bit", "--param", "receiverIgnoresBit=true", "--scheduler", "pct", "--seed", "3", "--out", out);
    expect(r.code).toBe(1);
    const [, seed, length] = r.out.match(/✗ prefix broke in run \d+ \(seed (\d+)\) after (\d+) steps/)!;
    expect(r.out).toMatch(/shrunk to 4 steps \(\d+ replays\):/);
    expect(r.out).toMatch(/1 {2}sendData\(m: \{ bit: 0, m: "m1" \}\) {2}at \d+ ms/);
    expect(r.out).toContain("coverage\n");
    expect(r.out).toMatch(/faults +\w+ \d+/);
    const { automaton } = instantiate(alternatingBit, { receiverIgnoresBit: true });
    for (const file of ["counterexample.itf.json", "original.itf.json"]) {
      const json = JSON.parse(readFileSync(join(out, file), "utf8"));
      checkItfSchema(json);
      expect(json["#meta"]).toMatchObject({ status: "violation", troupe: { model: "alternating-bit", property: "prefix", simulator: { scheduler: "pct:3" } } });
      expect(replayExecution(automaton, readItfFile(automaton, join(out, file))).ok).toBe(true);
    }
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="chart"');

    // The printed command makes the same failing run again, on its own.
    const repeat = r.out.match(/^repeat the run: (.*)$/m)![1]!;
    const [, , ...args] = words(repeat);
    const rerun = troupe("sim", ...args, "--json");
    expect(JSON.parse(rerun.out)).toMatchObject({ verdict: "violated", runs: 1, seed: Number(seed), originalLength: Number(length), shrunkLength: 4 });
  });

  it("reports progress as plain lines when stderr is not a terminal", () => {
    const r = troupe("sim", "fifo-channel", "--runs", "50", "--seed", "1");
    expect(r.err).toContain("… 5/50 runs, 30 steps\n");
    expect(r.err).toContain("… 50/50 runs, 300 steps\n");
    expect(r.out).toContain("✓ no property broke in 50 runs, 300 steps");
  });

  it("takes a scheduler from a module", () => {
    const file = join(dir, "first.mts");
    writeFileSync(file, "export default { name: 'first', begin: () => ({ choose: () => 0 }) };\n");
    const r = troupe("sim", "fifo-channel", "--scheduler", file, "--runs", "3", "--seed", "1");
    expect(r.code).toBe(0);
    expect(r.out).toContain("scheduler first");
    writeFileSync(join(dir, "nothing.mts"), "export default 1;\n");
    expect(troupe("sim", "fifo-channel", "--scheduler", join(dir, "nothing.mts")).err).toContain("its default export is not a scheduler");
  });

  it("names a bad scheduler, fault plan or bound, and exits 2 (each bad input is also tested where it is read)", () => {
    expect(troupe("sim", "two-phase", "--faults", "drop=2")).toMatchObject({ code: 2, err: expect.stringContaining("--faults drop=2: a rate is a probability between 0 and 1") });
    expect(troupe("sim", "two-phase", "--runs", "0").err).toContain('--runs expects an integer ≥ 1, got "0"');
    expect(troupe("sim", "two-phase", "--workers", "none")).toMatchObject({ code: 2, err: expect.stringContaining('--workers expects an integer ≥ 1 or auto, got "none"') });
  });
});

describe("troupe sim --workers", () => {
  /** The JSON summary without its timing. */
  const summary = (...args: string[]) => {
    const r = troupe("sim", ...args, "--json");
    const { seconds, ...rest } = JSON.parse(r.out) as { seconds: number };
    expect(seconds).toBeGreaterThan(0);
    return { code: r.code, ...rest };
  };

  it("gives the result of one thread: a built-in model from the bundle, the same runs, steps, suspects and failing run", () => {
    const fifo = ["fifo", "--param", "processes=3", "--param", "drops=3", "--param", "crashes=1", "--faults", "drop=0.2,crash=0.02,other=0.02", "--runs", "150", "--seed", "7"];
    expect(summary(...fifo, "--workers", "2")).toEqual(summary(...fifo));
    const mutant = ["fifo", "--param", "bug=delivers-out-of-order", "--runs", "500", "--seed", "3"];
    const alone = summary(...mutant);
    expect(alone).toMatchObject({ code: 1, verdict: "violated", property: expect.any(String) });
    expect(summary(...mutant, "--workers", "3")).toEqual(alone);
  });

  it("gives the result of one thread for a model file of the user's (loaded through tsx in each worker)", () => {
    const file = ["specs/examples/two-phase.ts", "--param", "rms=3", "--param", "commitOnAnyPrepared=true", "--runs", "50", "--seed", "11"];
    expect(summary(...file, "--workers", "2")).toEqual(summary(...file));
  });

  it("says which worker could not load the model, and exits 2", () => {
    const r = troupe("sim", "test/bin/fixtures/main-thread-only.mts", "--runs", "10", "--seed", "1", "--workers", "2");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/troupe: simulation worker [12]: test\/bin\/fixtures\/main-thread-only\.mts threw while loading: Error: this model loads only on the main thread/);
  });

  it("says how many workers made the runs", () => {
    expect(troupe("sim", "fifo-channel", "--runs", "20", "--seed", "1", "--workers", "2").out).toContain("20 runs of at most 1,000 steps, scheduler random, seed 1, 2 workers");
  });
});

describe("troupe sim, interrupted", () => {
  it("stops between runs on Ctrl-C: incomplete, exit 3, and the JSON says after how many runs", async () => {
    const child = spawn(process.execPath, [join(root, "bin/troupe.js"), "sim", "fifo", "--runs", "1000000", "--seed", "1", "--json"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGINT"), 4000);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearTimeout(timer);
    expect(code).toBe(3);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ verdict: "incomplete", stopped: "interrupted" });
    expect(report.runs).toBeGreaterThan(0);
    expect(report.runs).toBeLessThan(1000000);
  });
});

describe("troupe sim and liveness", () => {
  it("reports liveness suspects, in text and JSON, without calling them failures", () => {
    const model = join(root, "test/bin/fixtures/deaf-fifo.ts");
    const text = troupe("sim", model, "--runs", "2", "--steps", "2000", "--seed", "1", "--faults", "none");
    expect(text.code).toBe(0);
    expect(text.out).toContain("✓ no property broke");
    expect(text.out).toMatch(/liveness suspects .*not proof of a violation/);
    expect(text.out).toMatch(/eventuallyDelivered: pending since state 0 for \d+ units of virtual time: process 1 delivered 0 of the 1 casts of process 0 \(a suspect, not a proof\) \(seed 1\)/);
    const json = JSON.parse(troupe("sim", model, "--runs", "2", "--steps", "2000", "--seed", "1", "--faults", "none", "--json").out);
    expect(json).toMatchObject({ verdict: "holds", suspects: [{ seed: 1, property: "eventuallyDelivered" }, { seed: 2, property: "eventuallyDelivered" }] });
  });
});
