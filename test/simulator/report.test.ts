import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instantiate } from "../../ioa/index.ts";
import { simulate } from "../../simulator/batch.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";
import { htmlReport } from "../../simulator/report/html.ts";
import { dumpDom, findOrInstallChromium, screenshot, type Browser } from "../support/chromium.ts";
import ping from "../support/ping-network.ts";

const dir = mkdtempSync(join(tmpdir(), "troupe-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A failing run of a small group with every kind of mark: casts, deliveries, drops, a duplicate,
// a crash and recovery at given times, a partition and its heal.
const { automaton, properties, params } = instantiate(ping, { processes: 3, casts: 2, drops: 2, duplicates: 1, crashes: 1 });
const plan = parseFaultItems(["drop=0.3,duplicate=0.3", "crash@4=2", "recover@14=2", "partition@6..12=[[0,1],[2]]"]);
const result = simulate({ automaton, properties, plan, runs: 1, seed: 1, shrink: false });
const run = result.failing!;
const html = htmlReport(result, { model: "ping", params, command: "troupe sim ping --runs 1 --seed 1" });
const count = (pattern: RegExp) => html.match(new RegExp(pattern, "g"))?.length ?? 0;
const named = (name: string) => run.execution.actions.filter((a) => a.name === name).length;

describe("the HTML report", () => {
  it("is self-contained: nothing is loaded from anywhere", () => {
    expect(html).not.toMatch(/<link\b|<script\s+src|<img\b|\b(?:src|href)=["']?https?:|@import|url\(["']?https?:/i);
    expect(html).toContain("<style>");
  });

  it("draws one lifeline per process, and a row per step that a click opens", () => {
    expect(count(/<g class="lifeline">/)).toBe(3);
    for (const p of [0, 1, 2]) expect(html).toContain(`>process ${p}</text>`);
    expect(count(/<rect class="row" data-step="\d+"/)).toBe(run.execution.actions.length + 1);
    const steps = JSON.parse(html.match(/<script type="application\/json" id="steps">(.*?)<\/script>/s)![1]!);
    expect(steps).toHaveLength(run.execution.actions.length + 1);
    expect(steps[run.failure!.step].failure).toBe(`allDelivered: ${run.failure!.message}`);
    expect(steps[1].changes.length).toBeGreaterThan(0);
  });

  it("draws an arrow for every message delivered or lost, and a mark for every fault and milestone", () => {
    expect(named("deliver")).toBeGreaterThan(0);
    expect(count(/class="message"/)).toBe(named("deliver") + named("drop") + named("duplicate"));
    expect(count(/class="fault drop"/)).toBe(named("drop"));
    expect(count(/class="fault duplicate"/)).toBe(named("duplicate"));
    expect(count(/class="fault crash"/)).toBe(1);
    expect(count(/class="fault recover"/)).toBe(1);
    expect(count(/class="fault partition"/)).toBe(1);
    expect(count(/class="fault heal"/)).toBe(1);
    expect(html).toContain("partition {0, 1} | {2}");
    expect(count(/<g class="label">/)).toBe(named("cast"));
    expect(count(/class="crashed"/)).toBe(1);
    expect(count(/<rect class="failure"/)).toBe(1);
  });

  it("says what broke, how to repeat it, and what the batch covered", () => {
    expect(html).toContain("✗ <b>allDelivered</b> broke in run 1 (seed 1)");
    expect(html).toContain("<code>troupe sim ping --runs 1 --seed 1</code>");
    expect(html).toMatch(/<h3>Faults<\/h3><table><tr><td>\w+<\/td>/);
    expect(html).toContain("Never taken: retransmit");
  });
});

describe("the HTML report in headless Chromium", () => {
  let browser: Browser;
  const file = join(dir, "report.html");
  beforeAll(() => {
    browser = findOrInstallChromium();
    writeFileSync(file, html);
  }, 660_000);

  it("opens, runs its script and shows the chart with the failing step's state", (ctx) => {
    if ("unavailable" in browser) return ctx.skip(`no headless Chromium: ${browser.unavailable}`);
    const dom = dumpDom(browser.path, file);
    expect(dom).toMatch(/<svg[^>]*class="chart"/);
    expect(dom.match(/<rect class="row/g)?.length).toBe(run.execution.actions.length + 1);
    // The script selected the failing row and filled the state panel with it.
    expect(dom).toContain(`<rect class="row selected" data-step="${run.failure!.step}"`);
    expect(dom).toMatch(/<aside id="state"><h3>\d+\. \w+/);
    expect(dom).toContain('<p class="failure">✗ allDelivered');
    const png = join(dir, "report.png");
    screenshot(browser.path, file, png);
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });
});
