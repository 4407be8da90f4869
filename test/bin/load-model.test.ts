import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { instantiate, readItfFile, replayExecution } from "../../ioa/index.ts";
import { loadModel, resolveModelPath } from "../../bin/load-model.ts";
import fifo from "../../layers/models/fifo.ts";
import { root, scratchDir, troupe } from "../support/cli.ts";

const dir = scratchDir("load");

describe("built-in model names", () => {
  it("resolve among the example models and the models of layer stacks", async () => {
    expect(resolveModelPath("two-phase")).toBe(join(root, "specs/examples/two-phase.ts"));
    expect(resolveModelPath("fifo")).toBe(join(root, "layers/models/fifo.ts"));
    expect((await loadModel("fifo")).name).toBe("fifo");
    expect(() => resolveModelPath("nope")).toThrow(/no built-in model named "nope" \(looked for .*specs\/examples\/nope\.ts and .*layers\/models\/nope\.ts\)/);
  });

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
