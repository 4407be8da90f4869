import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { instantiate, isModel, readItfFile, replayExecution } from "../../ioa/index.ts";
import { BUILT_IN_MODELS } from "../../bin/built-in-models.ts";
import { loadModel } from "../../bin/load-model.ts";
import fifo from "../../layers/models/fifo.ts";
import { root, scratchDir, troupe } from "../support/cli.ts";

const dir = scratchDir("load");

describe("built-in model names", () => {
  it("name every model module of the example models and of the layer stacks' models, by file name, and nothing else", async () => {
    const files = ["specs/examples", "layers/models"].flatMap((dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts")).map((f) => join(root, dir, f)));
    const models: string[] = [];
    for (const file of files) if (isModel(((await import(pathToFileURL(file).href)) as { default?: unknown }).default)) models.push(basename(file, ".ts"));
    expect(Object.keys(BUILT_IN_MODELS).sort()).toEqual(models.sort());
    expect((await loadModel("fifo")).name).toBe("fifo");
    await expect(loadModel("nope")).rejects.toThrow(/no built-in model named "nope"; the built-in models are alternating-bit, door, .*, vsync-secure \(or give a path to a model file\)/);
    await expect(loadModel("view-model")).rejects.toThrow(/no built-in model named "view-model"/);
  }, 30_000);

  it("troupe check fifo proves a small group and finds a planted bug", () => {
    const ok = troupe("check", "fifo", "--param", "casts=1", "--param", "duplicates=0", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ verdict: "holds", distinctStates: expect.any(Number) });
    const bad = troupe("check", "fifo", "--param", "casts=1", "--param", "duplicates=0", "--param", "bug=stable-too-early", "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ verdict: "violated", property: "allDelivered" });
  });

  it("troupe walk fifo writes a trace of a faulty group that replays", () => {
    const out = join(dir, "walk.itf.json");
    const params = ["processes=4", "casts=1", "sends=1", "drops=3", "duplicates=3", "partitions=1", "crashes=1", "recoveries=1", "maxLength=1"];
    const r = troupe("walk", "fifo", ...params.flatMap((p) => ["--param", p]), "--steps", "300", "--seed", "11", "-q", "--out", out);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const instance = instantiate(fifo, Object.fromEntries(params.map((p) => p.split("=") as [string, string])));
    expect(replayExecution(instance.automaton, readItfFile(instance.automaton, out)).ok).toBe(true);
  });
});
