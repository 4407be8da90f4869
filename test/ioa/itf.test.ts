import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromItf, instantiate, toItf, TraceFormatError, valuesEqual, walk, type Model, type Value } from "../../ioa/index.ts";
import alternatingBit from "../../specs/examples/alternating-bit.ts";
import fifoChannel from "../../specs/examples/fifo-channel.ts";
import lossyChannel from "../../specs/examples/lossy-channel.ts";
import twoPhase from "../../specs/examples/two-phase.ts";

const schema = JSON.parse(readFileSync(new URL("../../ioa/trace.schema.json", import.meta.url), "utf8"));
const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
const models = [alternatingBit, fifoChannel, lossyChannel, twoPhase] as unknown as Model[];

describe("ITF traces", () => {
  it("every trace Troupe writes validates against ioa/trace.schema.json and reads back equal", () => {
    fc.assert(
      fc.property(fc.constantFrom(...models), fc.integer(), fc.integer({ min: 0, max: 40 }), (model, seed, steps) => {
        const { automaton } = instantiate(model);
        const run = walk(automaton, { steps, seed });
        const json = JSON.parse(JSON.stringify(toItf(automaton, run, { source: model.name })));
        expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
        const back = fromItf(automaton, json);
        expect(back.actions).toEqual(run.actions);
        back.states.forEach((s, i) => expect(valuesEqual(s as Value, run.states[i] as Value)).toBe(true));
      }),
      { numRuns: 200 },
    );
  });

  it("write integers as #bigint, record the action taken, and carry the model's metadata", () => {
    const { automaton } = instantiate(twoPhase, { rms: 2 });
    const run = walk(automaton, { steps: 3, seed: 4 });
    const json = toItf(automaton, run, { troupe: { model: "two-phase", seed: 4 } });
    expect(json.vars).toEqual(["rmState", "tmState", "tmPrepared", "msgs", "mbt::actionTaken", "mbt::nondetPicks"]);
    expect(json.states[0]).toMatchObject({ "#meta": { index: 0 }, "mbt::actionTaken": "init", "mbt::nondetPicks": {}, tmPrepared: { "#set": [] } });
    const picks = json.states[1]!["mbt::nondetPicks"] as Record<string, unknown>;
    for (const p of Object.values(picks)) expect(p).toMatchObject({ tag: "Some", value: { "#bigint": expect.any(String) } });
    expect(json["#meta"]).toMatchObject({ format: "ITF", status: "ok", troupe: { automaton: "two-phase", model: "two-phase", seed: 4 } });
  });

  describe("reading a malformed trace fails with the JSON path", () => {
    const { automaton } = instantiate(fifoChannel);
    const good = () => JSON.parse(JSON.stringify(toItf(automaton, walk(automaton, { steps: 4, seed: 1 }))));
    const cases: [string, (j: any) => void, string][] = [
      ["missing states (#meta may be missing: the ITF spec makes it optional)", (j) => (delete j["#meta"], delete j.states), '$: is missing "states"'],
      ["a state that does not record its action", (j) => delete j.states[1]["mbt::actionTaken"], '$.states[1]: does not record the action that produced it ("mbt::actionTaken")'],
      ["a JSON number where ITF wants #bigint in a set", (j) => (j.states[0].client = { "#set": [1.5] }), "$.states[0].client"],
      ["a missing state variable", (j) => delete j.states[2].channel, '$.states[2]: is missing the variable "channel"'],
      ["an unknown action", (j) => (j.states[1]["mbt::actionTaken"] = "fly"), '$.states[1]["mbt::actionTaken"]: "fly" is not an action of fifo-channel'],
      ["a parameter of the wrong type", (j) => (j.states[1]["mbt::nondetPicks"].m.value = { "#bigint": "3" }), '$.states[1]["mbt::nondetPicks"].m: should be a string, but is 3'],
      ["a state of the wrong type", (j) => (j.states[1].channel.queue = [true]), "$.states[1].channel.queue[0]: should be a string, but is true"],
      ["an undeclared variable", (j) => j.vars.push("extra"), '$.vars: lists "extra", which is not a state variable of fifo-channel'],
      ["a first state that is not init", (j) => (j.states[0]["mbt::actionTaken"] = "send"), '$.states[0]["mbt::actionTaken"]: should be "init" in the first state'],
      ["a pick that is not an option", (j) => (j.states[1]["mbt::nondetPicks"].m = "m1"), '$.states[1]["mbt::nondetPicks"].m: should be an object'],
    ];
    for (const [what, corrupt, message] of cases) {
      it(what, () => {
        const json = good();
        corrupt(json);
        expect(() => fromItf(automaton, json, "trace.itf.json")).toThrowError(TraceFormatError);
        expect(() => fromItf(automaton, json, "trace.itf.json")).toThrowError(`trace.itf.json: ${message}`);
      });
    }
  });
});
