import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkItfSchema, instantiate, readItfFile, replayExecution } from "../../ioa/index.ts";
import twoPhase from "../../specs/examples/two-phase.ts";
import { root, scratchDir, troupe } from "../support/cli.ts";

const dir = scratchDir("check");

describe("troupe check", () => {
  it("--json prints the verdict and figures", () => {
    const r = troupe("check", "specs/examples/two-phase.ts", "--param", "rms=4", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "holds", distinctStates: 1568, generatedStates: 8258, maxDepth: 13, seconds: expect.any(Number) });
  });

  it("reports a violation with its shortest counterexample, exits 1 and writes the counterexample as ITF", () => {
    const out = join(dir, "cex.itf.json");
    const json = troupe("check", "two-phase", "--param", "commitOnAnyPrepared=true", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ verdict: "violated", property: "consistent", counterexampleLength: 5 });
    const human = troupe("check", "two-phase", "--param", "commitOnAnyPrepared=true", "--out", out);
    expect(human.out).toContain("✗ invariant consistent is violated: RMs 0 committed but 1 aborted");
    expect(human.out).toContain("shortest counterexample: 5 steps");
    expect(human.out).toContain("1  RMPrepare(r: 0)");
    expect(human.out).toContain(`wrote ${out}`);
    checkItfSchema(JSON.parse(readFileSync(out, "utf8")));
    const m = instantiate(twoPhase, { commitOnAnyPrepared: true });
    expect(replayExecution(m.automaton, readItfFile(m.automaton, out)).ok).toBe(true);
  });

  it("stops cleanly on Ctrl-C and still reports what it found", async () => {
    const child = spawn(process.execPath, [join(root, "bin/troupe.js"), "check", "two-phase", "--param", "rms=9", "--json"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    // Interrupt once the search is under way (the first progress tick is not printed with --json, so wait a moment).
    const timer = setTimeout(() => child.kill("SIGINT"), 4000);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearTimeout(timer);
    const report = JSON.parse(out);
    expect(code).toBe(3);
    expect(report).toMatchObject({ verdict: "incomplete", stopped: "interrupted", incomplete: "the search was interrupted" });
    expect(report.distinctStates).toBeGreaterThan(0);
  });

  it("--memory stops cleanly at the bound: an incomplete verdict, the states covered, memory per state, exit 3", () => {
    const r = troupe("check", "two-phase", "--param", "rms=7", "--memory", "1MB", "--json");
    expect(r.code).toBe(3);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ verdict: "incomplete", stopped: "memory", bytesPerState: expect.any(Number) });
    expect(report.distinctStates).toBeGreaterThan(0);
    const human = troupe("check", "two-phase", "--param", "rms=7", "--memory", "1MB");
    expect(human.out).toMatch(/\? incomplete after [\d,]+ distinct states: the search stopped at the --memory bound; no property was violated/);
    expect(human.out).toContain("bytes per stored state");
  });

  it("--fairness judges every liveness property under the fairness asked for, and says so", () => {
    const args = ["check", "two-phase", "--param", "rms=3", "--param", "liveness=true"];
    expect(JSON.parse(troupe(...args, "--json").out).liveness).toEqual([{ property: "decides", verdict: "holds", fairness: "weak" }]);
    const none = troupe(...args, "--fairness", "none");
    expect(none.code).toBe(1);
    expect(none.out).toContain("by breadth-first search, liveness without fairness");
    expect(none.out).toMatch(/✗ liveness property decides is violated: the obligation is never discharged: (steps \d+–\d+ repeat|step \d+ repeats) forever/);
    const symmetric = JSON.parse(troupe(...args, "--fairness", "none", "--symmetry", "--json").out);
    expect(symmetric).toMatchObject({ verdict: "violated", property: "decides", liveness: [{ verdict: "violated", fairness: "none" }] });
  });

  it("reduces by symmetry and reports bounds", () => {
    expect(JSON.parse(troupe("check", "two-phase", "--param", "rms=5", "--symmetry", "--json").out)).toMatchObject({ verdict: "holds", distinctStates: 314, symmetryAudited: 256 });
    const bounded = troupe("check", "two-phase", "--param", "rms=5", "--max-states", "100", "--json");
    expect(bounded.code).toBe(3);
    expect(JSON.parse(bounded.out)).toMatchObject({ verdict: "incomplete", stopped: "max-states" });
    expect(troupe("check", "two-phase", "--max-depth", "x").err).toContain('--max-depth expects an integer ≥ 0, got "x"');
    expect(troupe("check", "two-phase", "--memory", "lots").err).toContain('--memory expects a size such as 2GB or 512MB, got "lots"');
    expect(troupe("check", "fifo-channel", "--symmetry").err).toContain("the model's state has no interchangeable ids");
  });

  it("refuses --symmetry on a model that tells its ids apart: exit status 2, and where", () => {
    const r = troupe("check", "vsync", "--symmetry", "--property", "crashedExcluded");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--symmetry: the model tells its ids apart, so symmetry reduction would be unsound: in the start state: ");
  });
});
