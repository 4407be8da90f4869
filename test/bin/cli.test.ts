import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { root, scratchDir, troupe, troupeWithEnv } from "../support/cli.ts";

const dir = scratchDir("cli");

describe("troupe walk", () => {
  it("writes a trace that validates against the schema, the same for the same seed", () => {
    const [a, b] = [join(dir, "a.json"), join(dir, "b.json")];
    for (const out of [a, b]) {
      const r = troupe("walk", "specs/examples/two-phase.ts", "--param", "rms=3", "--steps", "20", "--seed", "1", "--out", out);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toContain(`wrote the trace (21 states) to ${out}`);
    }
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    const schema = JSON.parse(readFileSync(join(root, "ioa/trace.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(JSON.parse(readFileSync(a, "utf8")))).toBe(true);
  });

  it("prints each step with what it changed", () => {
    const r = troupe("walk", "fifo-channel", "--param", "messages=1", "--seed", "3");
    expect(r.out).toContain('1  send(m: "m1")');
    expect(r.out).toContain('channel.queue: [] → ["m1"]');
    expect(r.out).toContain("quiescent after 2 steps: no action is enabled");
  });

  it("reports a broken invariant and exits 1", () => {
    const r = troupe("walk", "two-phase", "--param", "commitOnAnyPrepared=true", "--steps", "40", "--seed", "2", "-q");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/invariant consistent fails at step \d+: RMs .* committed but .* aborted/);
  });

  it("runs a command that names no model file from a bundle of the CLI (stack traces under --debug in the TypeScript sources), and one that names a model file through tsx", () => {
    // A cache folder of this test's own, inside node_modules so that the bundle's packages resolve.
    const cache = mkdtempSync(join(root, "node_modules/.cache/troupe-test-"));
    try {
      const env = { TROUPE_CACHE_DIR: cache };
      const model = join(root, "specs/examples/two-phase.ts");
      expect(troupeWithEnv(env, "check", model, "--param", "rms=3").code).toBe(0);
      expect(existsSync(join(cache, "cli.mjs"))).toBe(false);
      const r = troupeWithEnv(env, "check", "two-phase", "--param", "rms=3", "--param", "nosuch=1", "--debug");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/at instantiate \(\S*\/ioa\/model\.ts:\d+:\d+\)/);
      expect(existsSync(join(cache, "cli.mjs"))).toBe(true);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("names an unknown parameter, a bad value, a missing model and a file that is not a model", () => {
    expect(troupe("walk", "two-phase", "--param", "rm=3")).toMatchObject({ code: 2, err: expect.stringContaining('model two-phase has no parameter "rm"; its parameters are rms, commitOnAnyPrepared') });
    expect(troupe("walk", "two-phase", "--param", "rms=x").err).toContain('parameter rms of model two-phase expects an integer, got "x"');
    expect(troupe("walk", "two-phase", "--steps", "-1").err).toContain('--steps expects an integer ≥ 0, got "-1"');
    expect(troupe("walk", "no-such-model").err).toContain('no built-in model named "no-such-model"');
    const notModel = join(dir, "not-a-model.mts");
    writeFileSync(notModel, "export default 42;\n");
    expect(troupe("walk", notModel).err).toContain("its default export is not a model");
    const commonjs = join(dir, "model.ts");
    writeFileSync(commonjs, "export default 42;\n");
    expect(troupe("walk", commonjs).err).toContain('would load as CommonJS, but models are ES modules: rename it to .mts, or add "type": "module"');
  });
});

describe("troupe tour (npm start)", () => {
  it("checks the fifo stack, finds every planted bug, simulates it, runs it over UDP and walks the examples, and says everything behaved", () => {
    const r = troupe("tour", "--runs", "2", "--walks", "2");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ fifo, deliveryIntegrity, noDuplication, fifoOrder, reliableFifo, inOrder, allDelivered, eventuallyDelivered hold over 40,338 distinct states/);
    for (const bug of ["forgets-to-retransmit", "delivers-out-of-order", "delivers-duplicates", "stable-too-early"]) expect(r.out).toMatch(new RegExp(`✓ ${bug} +\\w+: `));
    expect(r.out).toContain("✓ no property broke in 2 runs");
    expect(r.out).toContain("✓ every member delivered all 900 casts");
    expect(r.out).toContain("recorded group actions validate");
    expect(r.out).toContain("the vsync service and its properties hold over 14,169 distinct states");
    expect(r.out).toContain("the sides of a partition merge when it heals; the vsync service and its properties hold over 17,261 distinct states");
    for (const bug of ["vsync never-suspects", "vsync coordinator-leaves-itself-out", "vsync deaf-to-casts", "total delivers-before-order"]) expect(r.out).toMatch(new RegExp(`✓ ${bug} +\\w+: `));
    expect(r.out).toMatch(/✓ vsync deaf-to-casts +castsDelivered: the obligation is never discharged: .*\(a lasso of \d+ steps\)/);
    expect(r.out).toMatch(/the others install view \{0, 1, 2\} in [\d.]+ s, and their [\d,]+ recorded group actions validate as `troupe validate --spec vsync`/);
    expect(r.out).toMatch(/two-phase +\d+ steps .*consistent: hold/);
    expect(r.out).toContain("everything behaved");
  }, 60_000);
});
