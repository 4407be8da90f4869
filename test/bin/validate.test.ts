import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir, troupe } from "../support/cli.ts";

const dir = scratchDir("validate");

function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("troupe validate", () => {
  it("accepts the ITF trace of a walk of the VS model, saying what it did not judge", () => {
    const trace = join(dir, "vs.itf.json");
    expect(troupe("walk", "vs", "--param", "views=2", "--steps", "30", "--seed", "4", "--out", trace, "-q").code).toBe(0);
    const r = troupe("validate", "--spec", "vs", trace);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^validate --spec vs: .*vs\.itf\.json, \d+ events, 2 processes\n\(\d+ actions that are not group actions were not judged: /);
    expect(r.out).toContain("✓ vs  ");
    expect(r.out).toContain("✓ safeMeansStable (S3)");
    // The walk installs views: selfInclusion, whose state never changes, judged them.
    expect(r.out).toContain("✓ selfInclusion (M1)");
    expect(r.out).toMatch(/holds: 18 properties\n$/);
  });

  it("merges the JSON-lines files of a group and reports each violated property with its events (the README's example)", () => {
    const [node0, node1] = ["specs/examples/traces/node0.jsonl", "specs/examples/traces/node1.jsonl"];
    const r = troupe("validate", "--spec", "to", node0, node1);
    expect(r.code).toBe(1);
    expect(r.out).toContain("validate --spec to: 2 files, 6 events, 2 processes");
    expect(r.out).toContain(`✗ strongTotalOrder (O5)     p1 delivers message "a" of p0 after message "b" of p1, but earlier deliveries put message "a" of p0 before message "b" of p1: no single order fits
      event 4  ${node0}:3  deliver(p: 0, from: 1, msg: "b")
      event 5  ${node1}:3  deliver(p: 1, from: 0, msg: "a")`);
    expect(r.out).toMatch(/violated: 4 of 16 properties\n$/);
    expect(troupe("validate", "--spec", "fifo", node0, node1).code).toBe(0);

    const json = troupe("validate", "--spec", "to", node0, node1, "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(Object.keys(report)).toEqual(["verdict", "events", "vacuous", "violations"]);
    expect(report.verdict).toBe("violated");
    expect(report.events).toBe(6);
    expect(report.violations.map((v: { property: string }) => v.property)).toEqual(["to", "strongTotalOrder", "weakTotalOrder", "reliableTotalOrder"]);
    expect(report.violations[1]).toEqual({
      property: "strongTotalOrder",
      events: [
        { index: 4, source: `${node0}:3`, action: { name: "deliver", p: 0, from: 1, msg: "b" } },
        { index: 5, source: `${node1}:3`, action: { name: "deliver", p: 1, from: 0, msg: "a" } },
      ],
    });
  });

  it("judges liveness at quiescence only when told the run reached it", () => {
    const evs = file("evs.jsonl", ['{"name":"cast","p":0,"msg":1}', '{"name":"deliver","p":1,"from":0,"msg":1}']);
    expect(troupe("validate", "--spec", "evs", evs, "--processes", "2").out).toContain("– evsSelfDelivery (E6)");
    const quiescent = troupe("validate", "--spec", "evs", evs, "--processes", "2", "--quiescent");
    expect(quiescent.code).toBe(1);
    expect(quiescent.out).toMatch(/✗ evsSelfDelivery \(E6\) +p0 is done \(at quiescence\) without having delivered its own message 1 of p0 \(cast for regular configuration 0\)\n +event 0  .*evs\.jsonl:1  cast\(p: 0, msg: 1\)/);
  });

  it("names the file, line and field of malformed input, an unknown service, and a missing file", () => {
    const bad = file("bad.jsonl", ['{"name":"cast","p":0,"msg":1}', '{"name":"deliver","p":1,"from":"p0","msg":1}']);
    expect(troupe("validate", "--spec", "vs", bad)).toMatchObject({ code: 2, err: `troupe: ${bad}: line 2, $.from: is "p0", but an earlier event named process 0: the processes of one trace are either all integers or all names\n` });
    expect(troupe("validate", "--spec", "evs2", bad).err).toContain('there is no service "evs2"; the services are fifo, membership, vsync, vs, to, evs');
    expect(troupe("validate", bad).err).toContain("required option '--spec <service>' not specified");
    expect(troupe("validate", "--spec", "vs", join(dir, "absent.jsonl")).err).toContain(`troupe: cannot read ${join(dir, "absent.jsonl")}: no such file`);
    const three = file("three.jsonl", ['{"name":"cast","p":2,"msg":1}']);
    expect(troupe("validate", "--spec", "fifo", "--processes", "2", three)).toMatchObject({ code: 2, err: `troupe: ${three}:1: cast(p: 2, msg: 1) names a process outside the group of 2 (--processes 2: ids 0 to 1)\n` });
  });
});

describe("troupe validate: named processes and vacuous verdicts", () => {
  const lines = (name: string, events: readonly object[]) => file(name, events.map((e) => JSON.stringify(e)));

  it("accepts process names (and host:port addresses) in JSON lines and ITF alike, numbered as they first appear", () => {
    const a = "10.0.0.7:4000";
    const named = lines("named.jsonl", [
      { name: "cast", p: a, msg: 1 },
      { name: "deliver", p: "b", from: a, msg: 1 },
      { name: "deliver", p: a, from: a, msg: 1 },
    ]);
    const r = troupe("validate", "--spec", "fifo", named, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "holds", events: 3, processNames: [a, "b"] });
    const broken = lines("named-dup.jsonl", [
      { name: "cast", p: "a", msg: 1 },
      { name: "deliver", p: "b", from: "a", msg: 1 },
      { name: "deliver", p: "b", from: "a", msg: 1 },
    ]);
    expect(troupe("validate", "--spec", "fifo", broken).code).toBe(1);
  });

  it("calls the view properties vacuous over a trace without views, and not once a view is installed", () => {
    const casts = [
      { name: "cast", p: 0, msg: 1 },
      { name: "deliver", p: 1, from: 0, msg: 1 },
    ];
    const withoutViews = JSON.parse(troupe("validate", "--spec", "vsync", lines("no-views.jsonl", casts), "--json").out);
    expect(withoutViews.vacuous).toEqual(expect.arrayContaining(["selfInclusion", "localMonotonicity", "viewIdentity"]));
    const view = { name: "view", p: 1, view: { id: 1, members: { "#set": [1] } } };
    const withView = JSON.parse(troupe("validate", "--spec", "vsync", lines("a-view.jsonl", [...casts, view]), "--json").out);
    expect(withView.vacuous ?? []).not.toContain("selfInclusion");
    expect(withView.vacuous ?? []).not.toContain("localMonotonicity");
  });

  it("says a trace with no group events was not judged, and exits 3", () => {
    const empty = file("empty.jsonl", []);
    const r = troupe("validate", "--spec", "fifo", empty);
    expect(r.code).toBe(3);
    expect(r.out).toContain("incomplete: the traces hold no group events: nothing was judged");
    const json = JSON.parse(troupe("validate", "--spec", "fifo", empty, "--json").out);
    expect(json).toMatchObject({ verdict: "incomplete", events: 0, incomplete: expect.stringContaining("no group events") });
  });
});
