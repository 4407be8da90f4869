// `troupe check`, `sim` and `walk` of XState models, as a user runs them.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { instantiate, readItfFile, replayExecution } from "../../ioa/index.ts";
import fifoXstate from "../../specs/examples/fifo-xstate.ts";
import { scratchDir, troupe } from "../support/cli.ts";

const dir = scratchDir("xstate");

describe("troupe and XState models", () => {
  it("check door holds; check door-jams-late exits 1 with the shortest counterexample", () => {
    const good = troupe("check", "door", "--json");
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ verdict: "holds" });
    const bad = troupe("check", "door-jams-late");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("✗ invariant jamsInTime is violated: 4 wrong codes were tried");
    expect(bad.out).toContain("shortest counterexample: 5 steps");
  });

  it("sim door-jams-late finds and shrinks the bug", () => {
    const r = troupe("sim", "door-jams-late", "--runs", "20", "--seed", "1", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "violated", property: "jamsInTime", shrunkLength: 5 });
  });

  it("walk fifo-xstate writes an ITF trace that reads back and replays on the model", () => {
    const out = join(dir, "walk.itf.json");
    expect(troupe("walk", "fifo-xstate", "--seed", "2", "--out", out).code).toBe(0);
    const { automaton } = instantiate(fifoXstate);
    const execution = readItfFile(automaton, out);
    expect(execution.actions.length).toBeGreaterThan(4);
    expect(replayExecution(automaton, execution).ok).toBe(true);
  });

  it("a model with a machine the adapter cannot model exits 2, naming the state and the feature", () => {
    const r = troupe("check", "test/support/timed-door-model.ts");
    expect(r.code).toBe(2);
    expect(r.err).toContain('door: state "open" has a delayed transition (after 5000)');
  });
});
