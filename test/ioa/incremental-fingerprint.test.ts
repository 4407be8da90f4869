import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IncrementalFingerprint, instantiate, t, typedFingerprintInto, ValueError, type Action, type Automaton } from "../../ioa/index.ts";
import fifo from "../../layers/models/fifo.ts";

/** The fingerprint of `s` from scratch. */
function fromScratch<S>(f: IncrementalFingerprint<S>, s: S): string {
  const out = new Int32Array(2);
  f.fingerprint(s, out, new Int32Array(f.width));
  return `${out[0]}:${out[1]}`;
}

/**
 * Walks `automaton` choosing among the enabled actions by `choices`; at every step, the incremental
 * fingerprint of the successor (from its predecessor's parts and lanes) equals its fingerprint
 * from scratch, and two states have equal fingerprints exactly when their typed fingerprints are equal.
 */
function lawHolds<S, A extends Action>(automaton: Automaton<S, A>, choices: readonly number[]): void {
  const f = IncrementalFingerprint.of(automaton.stateType)!;
  let s: S = automaton.startStates()[0]!;
  let lanes = new Int32Array(f.width);
  f.fingerprint(s, new Int32Array(2), lanes);
  const byTyped = new Map<string, string>();
  const typed = new Int32Array(2);
  for (const choice of choices) {
    const enabled: A[] = [];
    automaton.enabled(s, enabled);
    if (enabled.length === 0) break;
    const next = automaton.step(s, enabled[choice % enabled.length]!);
    const out = new Int32Array(2);
    const nextLanes = new Int32Array(f.width);
    f.fingerprint(next, out, nextLanes, s, lanes, 0);
    const incremental = `${out[0]}:${out[1]}`;
    expect(incremental).toBe(fromScratch(f, next));
    typedFingerprintInto(automaton.stateType, next, typed, 0);
    const key = `${typed[0]}:${typed[1]}`;
    expect(byTyped.get(key) ?? incremental).toBe(incremental);
    byTyped.set(key, incremental);
    s = next;
    lanes = nextLanes;
  }
}

describe("incremental fingerprints", () => {
  it("law: on random executions of the fifo stack, re-hashing only what a step changed gives the fingerprint from scratch", () => {
    const { automaton } = instantiate(fifo, { processes: 3, casts: 2, drops: 2, duplicates: 1, crashes: 1, recoveries: 1 });
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), (choices) => lawHolds(automaton, choices)),
      { numRuns: 60 },
    );
  });

  it("law: the same on random executions of fifo with partitions, crashes and sends", () => {
    const { automaton } = instantiate(fifo, { processes: 2, casts: 1, sends: 1, drops: 1, duplicates: 1, partitions: 1, crashes: 1, recoveries: 1 });
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (choices) => lawHolds(automaton, choices)),
      { numRuns: 60 },
    );
  });

  it("law: renamed by a permutation of the process ids, it is the fingerprint of the renamed state, which it does not build", () => {
    const { automaton } = instantiate(fifo, { processes: 3, casts: 2, sends: 1, drops: 2, duplicates: 1, partitions: 1, crashes: 1, recoveries: 1 });
    const type = automaton.stateType;
    const f = IncrementalFingerprint.of(type)!;
    const renamed = f.renamed("P");
    const permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    const inverses = permutations.map((p) => p.map((_, i) => p.indexOf(i)));
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), (choices) => {
        let s = automaton.startStates()[0]!;
        for (const choice of choices) {
          const enabled: (typeof automaton extends Automaton<never, infer A> ? A : never)[] = [];
          automaton.enabled(s, enabled);
          if (enabled.length === 0) break;
          s = automaton.step(s, enabled[choice % enabled.length]!);
          // Successive states under every permutation: the parts remember objects and permutations seen before.
          permutations.forEach((newId, k) => {
            const out = new Int32Array(2);
            renamed(s, out, newId, inverses[k]!);
            expect(`${out[0]}:${out[1]}`).toBe(fromScratch(f, type.mapIds(s, (_, id) => newId[id]!)));
          });
        }
      }),
      { numRuns: 40 },
    );
  });

  it("splits tables of big elements into one part per process, records of records into their fields, and refuses a state that does not fit its type", () => {
    const { automaton } = instantiate(fifo, { processes: 3 });
    // application[3]; stacks[3], each its view, its 8 layers' states, pending and crashed; the network's flights, partition, crashed and budget
    expect(IncrementalFingerprint.of(automaton.stateType)!.parts).toBe(3 + 3 * 11 + 4);
    const P = t.ids("P", 2);
    const big = t.record({ a: t.int(), b: t.int(), c: t.int(), d: t.int(), e: t.int(), f: t.int(), g: t.int() });
    const type = t.record({ n: t.int(), xs: t.table(P, big) });
    const f = IncrementalFingerprint.of(type)!;
    expect(f.parts).toBe(3);
    const x = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 };
    const lanes = () => new Int32Array(f.width);
    expect(() => f.fingerprint({ n: 1, xs: [x, { ...x, g: "no" }] } as never, new Int32Array(2), lanes())).toThrowError(ValueError);
    expect(() => f.fingerprint({ n: 1, xs: [x] } as never, new Int32Array(2), lanes())).toThrowError(ValueError);
    expect(() => f.fingerprint({ n: 1, xs: [x, x], extra: 1 } as never, new Int32Array(2), lanes())).toThrowError(ValueError);
    // Nothing to split, or not a record: the plain typed fingerprint is used instead.
    expect(IncrementalFingerprint.of(t.record({ n: t.int(), xs: t.array(t.string()) }))).toBeUndefined();
    expect(IncrementalFingerprint.of(t.int())).toBeUndefined();
  });
});
