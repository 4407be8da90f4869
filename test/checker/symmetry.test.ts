import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantiate, range, type Action } from "../../ioa/index.ts";
import fifo from "../../layers/models/fifo.ts";
import { symmetryReduction } from "../../checker/symmetry.ts";

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe("symmetry reduction's keys", () => {
  // Two processes: the least key over both renamings; three: ids sorted by signatures, ties tried.
  for (const processes of [2, 3]) {
    it(`law: every renaming of a state has the state's key (fifo, ${processes} processes, on random executions)`, () => {
      const { automaton } = instantiate(fifo, { processes, casts: 2, sends: 1, drops: 1, duplicates: 1, partitions: 1, crashes: 1, recoveries: 1 });
      const type = automaton.stateType;
      const canonical = symmetryReduction(type);
      if (!("key" in canonical)) throw new Error("the fifo state is keyed without building representatives");
      const keyOf = (s: typeof automaton extends { step(s: infer S, a: never): unknown } ? S : never) => {
        const out = new Int32Array(2);
        canonical.key(s, out);
        return `${out[0]}:${out[1]}`;
      };
      const renamings = permutations(range(processes));
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), fc.nat(renamings.length - 1), (choices, which) => {
          let s = automaton.startStates()[0]!;
          const newId = renamings[which]!;
          for (const choice of choices) {
            const enabled: Action[] = [];
            automaton.enabled(s, enabled as never[]);
            if (enabled.length === 0) break;
            s = automaton.step(s, enabled[choice % enabled.length] as never);
            expect(keyOf(type.mapIds(s, (_, id) => newId[id]!))).toBe(keyOf(s));
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});
