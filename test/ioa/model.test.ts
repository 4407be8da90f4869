import { describe, expect, it } from "vitest";
import { instantiate, ParamError, parseParamArgs } from "../../ioa/index.ts";
import twoPhase from "../../specs/examples/two-phase.ts";

describe("model parameters", () => {
  it("are read from key=value arguments by the type of their default", () => {
    const m = instantiate(twoPhase, parseParamArgs(["rms=4", "commitOnAnyPrepared=true"]));
    expect(m.params).toEqual({ rms: 4, commitOnAnyPrepared: true, liveness: false });
    expect(m.automaton.startStates()[0]).toMatchObject({ rmState: ["working", "working", "working", "working"] });
  });

  it("reject unknown names, listing the known ones", () => {
    expect(() => instantiate(twoPhase, { rm: "3" })).toThrowError(ParamError);
    expect(() => instantiate(twoPhase, { rm: "3" })).toThrowError('model two-phase has no parameter "rm"; its parameters are rms, commitOnAnyPrepared');
  });

  it("reject values of the wrong kind", () => {
    expect(() => instantiate(twoPhase, { rms: "three" })).toThrowError('parameter rms of model two-phase expects an integer, got "three"');
    expect(() => instantiate(twoPhase, { rms: "2.5" })).toThrowError("expects an integer");
    expect(() => instantiate(twoPhase, { commitOnAnyPrepared: "yes" })).toThrowError('expects true or false, got "yes"');
    expect(() => parseParamArgs(["rms"])).toThrowError('--param expects key=value, got "rms"');
  });
});
