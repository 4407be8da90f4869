// The simulator on the reliable FIFO stack of the layers (issue 5): each planted bug is found and
// shrunk, and the correct stack survives faults. The stack's model lives in layers/models/fifo.ts;
// until it is on this branch, these tests are skipped.

import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { instantiate, isModel, type Model } from "../../ioa/index.ts";
import { simulate } from "../../simulator/batch.ts";
import { parseFaultItems } from "../../simulator/fault-plan.ts";

const file = fileURLToPath(new URL("../../layers/models/fifo.ts", import.meta.url));
const present = existsSync(file);
const load = async (): Promise<Model> => {
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!isModel(module.default)) throw new Error(`${file}: its default export is not a model`);
  return module.default;
};

const MUTANTS = ["forgets-to-retransmit", "delivers-out-of-order", "delivers-duplicates", "stable-too-early"];
const group = { processes: 2, casts: 2, drops: 2, duplicates: 1 };
const plan = parseFaultItems(["drop=0.2,duplicate=0.1"]);

describe.skipIf(!present)("the FIFO stack of the layers under the simulator", () => {
  for (const bug of MUTANTS) {
    it(`finds and shrinks the mutant ${bug}`, async () => {
      const { automaton, properties } = instantiate(await load(), { ...group, bug });
      const result = simulate({ automaton, properties, plan, runs: 200, seed: 1 });
      expect(result.verdict).toBe("violated");
      const shrunk = result.shrunk!;
      expect(shrunk.run.failure!.property).toBe(result.failing!.failure!.property);
      expect(shrunk.shrunkLength).toBeLessThanOrEqual(shrunk.originalLength);
      expect(shrunk.chosen).toBeLessThan(shrunk.originalLength);
    });
  }

  it("survives drops and duplicates when no bug is planted", async () => {
    const { automaton, properties } = instantiate(await load(), group);
    expect(simulate({ automaton, properties, plan, runs: 100, seed: 1 }).verdict).toBe("holds");
  });
});
