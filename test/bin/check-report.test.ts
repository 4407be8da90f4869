// troupe check --out DIR: the same self-contained HTML report sim writes, with the sequence chart of
// the counterexample; and the vacuous verdict of a search that reached no quiescent state.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { root, scratchDir, troupe } from "../support/cli.ts";
import { dumpDom, findOrInstallChromium, type Browser } from "../support/chromium.ts";

const dir = scratchDir("check-report");

describe("troupe check --out DIR", () => {
  const out = join(dir, "cex");
  let r: ReturnType<typeof troupe>;
  beforeAll(() => {
    r = troupe("check", "two-phase", "--param", "commitOnAnyPrepared=true", "--out", out);
  });

  it("writes the counterexample as ITF and the report as HTML, and exits 1", () => {
    expect(r.code).toBe(1);
    expect(r.out).toContain(`wrote ${join(out, "counterexample.itf.json")}, ${join(out, "report.html")}`);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<title>Troupe check: two-phase</title>");
    expect(html).toContain("✗ invariant consistent is violated: RMs 0 committed but 1 aborted");
    expect(html).toContain("Shortest counterexample: 5 steps");
    expect(html).not.toMatch(/<(script|link)[^>]+src=/); // self-contained
  });

  it("writes a report without a chart when the properties hold", () => {
    const holds = join(dir, "holds");
    expect(troupe("check", "two-phase", "--out", holds).code).toBe(0);
    const html = readFileSync(join(holds, "report.html"), "utf8");
    expect(html).toContain("✓ consistent holds over 288 distinct states");
    expect(existsSync(join(holds, "counterexample.itf.json"))).toBe(false);
  });

  it("draws the counterexample in headless Chromium, the failing step selected", (ctx) => {
    const browser: Browser = findOrInstallChromium();
    if ("unavailable" in browser) return ctx.skip(`no headless Chromium: ${browser.unavailable}`);
    const dom = dumpDom(browser.path, join(out, "report.html"));
    expect(dom).toMatch(/<svg[^>]*class="chart"/);
    expect(dom.match(/<rect class="row/g)?.length).toBe(6);
    expect(dom).toContain('<rect class="row selected" data-step="5"');
    expect(dom).toContain('<p class="failure">✗ consistent');
  }, 660_000);
});

describe("troupe check --out DIR with a liveness violation", () => {
  it("writes the lasso as ITF (with its loop) and the report says where the cycle starts", () => {
    const out = join(dir, "lasso");
    const r = troupe("check", join(root, "test/bin/fixtures/deaf-fifo.ts"), "--out", out);
    expect(r.code).toBe(1);
    const trace = JSON.parse(readFileSync(join(out, "counterexample.itf.json"), "utf8")) as { loop?: number; states: unknown[] };
    expect(trace.loop).toBeGreaterThan(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toMatch(/Lasso: \d+ steps; steps \d+–\d+ repeat forever \(back to the state after step \d+\)/);
    // The chart shades exactly the repeated rows, and an arrow goes back to the loop state's row.
    const loop = trace.loop!;
    const steps = trace.states.length - 1;
    expect(html).toContain(`⟲ steps ${loop + 1}–${steps} repeat forever, back to the state after step ${loop}`);
    const band = /<rect class="cycle" x="0" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/.exec(html)!;
    const [top, bottom] = [Number(band[1]), Number(band[1]) + Number(band[2])];
    const rowTop = (step: number) => Number(new RegExp(`<rect class="row" data-step="${step}" x="0" y="([\\d.]+)"`).exec(html)![1]);
    expect(rowTop(loop + 1)).toBe(top);
    expect(rowTop(steps)).toBeLessThan(bottom);
    expect(rowTop(loop)).toBeLessThan(top);
    expect(html).toContain('class="cycle-arrow"');
  });
});

describe("vacuous verdicts of check", () => {
  it("a property at quiescence in a search that reached no quiescent state is not judged: incomplete, exit 3", () => {
    // Bounded to depth 1, the fifo channel never empties: allReceived is never judged; fifo is.
    const r = troupe("check", "fifo-channel", "--max-depth", "1", "--property", "allReceived", "--json");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "incomplete", quiescentStates: 0, vacuous: ["allReceived"] });
  });

  it("says so in text when other properties were judged", () => {
    const r = troupe("check", join(root, "test/bin/fixtures/never-quiescent.mts"));
    expect(r.code).toBe(3);
    expect(r.out).toContain("? incomplete after 3 distinct states: no quiescent state was reached, so ticking (judged at quiescence) was never judged; no property was violated");
  });
});

describe("trace properties whose trigger never occurs", () => {
  const model = join(root, "test/bin/fixtures/never-triggered.mts");

  it("are a warning beside properties that were judged", () => {
    const r = troupe("check", model);
    expect(r.code).toBe(0);
    expect(r.out).toContain("warning: vacuous: no action ever concerned offOnlyOnce (a trace property whose trigger never occurred)");
  });

  it("alone, are incomplete: exit 3, and the JSON says why", () => {
    const r = troupe("check", model, "--property", "offOnlyOnce", "--json");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "incomplete", vacuous: ["offOnlyOnce"], incomplete: expect.stringContaining("trigger never occurred") });
  });

  it("do not include a property that judges each view alone, its state never moving, once views are installed", () => {
    // selfInclusion remembers nothing: it was once called vacuous even where views were installed.
    const vacuous = (views: number) => JSON.parse(troupe("check", "vs", "--param", `views=${views}`, "--param", "messages=1", "--json").out).vacuous;
    expect(vacuous(0)).toEqual(["selfInclusion", "localMonotonicity", "viewIdentity", "initialView"]);
    expect(vacuous(1)).toBeUndefined();
  });
});
