// troupe run and troupe node as a user meets them: a trace folder that does not exist yet, and
// members that leave by themselves once they have delivered what they expect.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePorts } from "../../runtime/index.ts";
import { scratchDir, troupeAsync } from "../support/cli.ts";

const dir = scratchDir("run");

describe("troupe run", () => {
  it("creates the --trace-dir (nested, not there yet) and records every member's trace in it", async () => {
    const traces = join(dir, "not", "yet");
    const r = await troupeAsync(["run", "--nodes", "2", "--casts", "5", "--rate", "100", "--trace-dir", traces, "--quiet"]);
    expect(r.err).not.toContain("ENOENT");
    expect(r.code).toBe(0);
    expect(readdirSync(traces).sort()).toEqual(["node-0.jsonl", "node-1.jsonl"]);
  });
});

describe("troupe run --rate max", () => {
  it("passes max on to its members, which deliver every cast", async () => {
    const r = await troupeAsync(["run", "--nodes", "2", "--casts", "500", "--rate", "max", "--quiet"], { timeout: 30_000 });
    expect(r.timedOut, r.out + r.err).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out).toContain("stopped: 2 of 2 members delivered every cast");
  });
});

describe("troupe node --expect", () => {
  it("leaves the group and exits 0 once it has delivered what it expects", async () => {
    const ports = await freePorts(2);
    const peers = ports.map((p) => `127.0.0.1:${p}`).join(",");
    const member = (rank: number) => troupeAsync(["node", "--group", "g", "--peers", peers, "--rank", String(rank), "--casts", "5", "--rate", "100", "--expect", "10", "--quiet"], { timeout: 20_000 });
    const [a, b] = await Promise.all([member(0), member(1)]);
    for (const r of [a, b]) {
      expect(r.timedOut, r.out + r.err).toBe(false);
      expect(r.code).toBe(0);
      expect(r.out).toContain("done: delivered 10");
    }
  });
});

describe("troupe node --rate max --quiet", () => {
  it("casts as fast as the stack takes them and, quiet, prints counts of deliveries by sender instead of each delivery", async () => {
    const ports = await freePorts(2);
    const peers = ports.map((p) => `127.0.0.1:${p}`).join(",");
    const member = (rank: number) => troupeAsync(["node", "--group", "g", "--peers", peers, "--rank", String(rank), "--stack", "vsync", "--casts", "3000", "--rate", "max", "--expect", "6000", "--linger", "500", "--quiet"], { timeout: 30_000 });
    const [a, b] = await Promise.all([member(0), member(1)]);
    for (const r of [a, b]) {
      expect(r.timedOut, r.out + r.err).toBe(false);
      expect(r.code).toBe(0);
      expect(r.out).toContain("done: delivered 6000");
      expect(r.out).not.toContain("delivered #");
      // A second may have deliveries of one sender only (the other member still starting, under load).
      const lines = [...r.out.matchAll(/delivered ([\d,]+) casts in [\d.]+ s \(from ([^)]*)\)/g)];
      const number = (text: string) => Number(text.replaceAll(",", ""));
      const fromSender = (q: number) => lines.reduce((total, m) => total + number(m[2]!.match(new RegExp(`(?:^|, )${q}: ([\\d,]+)`))?.[1] ?? "0"), 0);
      expect(lines.length).toBeGreaterThan(0);
      expect([lines.reduce((total, m) => total + number(m[1]!), 0), fromSender(0), fromSender(1)]).toEqual([6000, 3000, 3000]);
    }
  });
});
