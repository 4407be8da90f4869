import { describe, expect, it } from "vitest";
import { automaton, DefinitionError, enabledActions, t, ValueError } from "../../ioa/index.ts";

const Pid = t.ids("P", 2);

const counter = automaton("counter", { n: t.int(0, 3), log: t.array(t.string()) })
  .start({ n: 0, log: [] })
  .output("inc", { by: t.int(1, 2) }, {
    pre: { "below the limit": (s, { by }) => s.n + by <= 3, "not frozen": (s) => s.log.length < 5 },
    effect: (s, { by }) => {
      s.n += by;
      s.log.push(`+${by}`);
    },
  })
  .internal("reset", {}, { pre: (s) => s.n === 3, next: (s) => ({ ...s, n: 0 }) })
  .input("note", { text: t.string() }, (s, { text }) => void s.log.push(text));

describe("automaton definitions", () => {
  it("enumerate enabled actions from finite parameter domains and preconditions", () => {
    const [s0] = counter.startStates();
    expect(enabledActions(counter, s0!)).toEqual([
      { name: "inc", by: 1 },
      { name: "inc", by: 2 },
    ]);
    const s3 = counter.step(counter.step(s0!, { name: "inc", by: 1 }), { name: "inc", by: 2 });
    expect(s3).toEqual({ n: 3, log: ["+1", "+2"] });
    expect(enabledActions(counter, s3)).toEqual([{ name: "reset" }]);
    expect(Object.isFrozen(s3)).toBe(true);
  });

  it("say why an action cannot happen", () => {
    const [s0] = counter.startStates();
    expect(counter.why(s0!, { name: "inc", by: 1 })).toBeUndefined();
    expect(counter.why(s0!, { name: "reset" })).toBe("its precondition is false");
    expect(counter.why({ n: 2, log: [] }, { name: "inc", by: 2 })).toBe('its precondition "below the limit" is false');
    expect(counter.why(s0!, { name: "inc", by: 7 } as never)).toBe("parameter inc.by should be an integer in 1..2, but is 7");
    expect(counter.why(s0!, { name: "jump" } as never)).toBe("jump is not an action of counter");
    expect(counter.why(s0!, { name: "note", text: "hi" })).toBeUndefined();
  });

  it("explain a locally controlled action listed by `enabled` that is not enabled", () => {
    const queue = automaton("queue", { q: t.array(t.string()) })
      .start({ q: ["a", "b"] })
      .output("take", { m: t.string() }, { enabled: (s) => s.q.slice(0, 1).map((m) => ({ m })), effect: (s) => void s.q.shift() });
    expect(queue.why({ q: ["a", "b"] }, { name: "take", m: "b" })).toBe('it is not enabled (enabled take actions: take(m: "a"))');
  });

  it("restrict an instance to the actions it owns", () => {
    const node = automaton("node", { x: t.int(0, 1) })
      .start({ x: 0 })
      .output("ping", { p: Pid }, { owner: "p" })
      .instance(1);
    expect(node.name).toBe("node[1]");
    expect(enabledActions(node, { x: 0 })).toEqual([{ name: "ping", p: 1 }]);
    expect(node.roleOf({ name: "ping", p: 0 })).toBeUndefined();
    expect(node.why({ x: 0 }, { name: "ping", p: 0 })).toBe("ping(p: 0) is not an action of node[1], which owns only p = 1");
  });

  it("reject inconsistent definitions with a clear error", () => {
    const base = automaton("x", { n: t.int() }).start({ n: 0 });
    expect(() => base.output("go", {}).output("go", {})).toThrowError("x: action go is defined twice");
    expect(() => base.output("go", { m: t.string() })).toThrowError(DefinitionError);
    expect(() => base.output("go", { m: t.string() })).toThrowError("are not finite, so the enabled ones cannot be searched; give `enabled` to list them");
    expect(() => base.output("go", { p: t.int(0, 1) }, { owner: "q" as never })).toThrowError('its owner "q" is not one of its parameters (p)');
    expect(() => base.output("go", { name: t.string() } as never)).toThrowError('"name" cannot be a parameter');
    expect(() => automaton("y", { n: t.int(0, 3) }).start({ n: 9 })).toThrowError(ValueError);
    expect(() => automaton("y", { n: t.int(0, 3) }).start({ n: 9 })).toThrowError("y start state.n should be an integer in 0..3, but is 9");
    expect(() => automaton("z", { n: t.int() }).startStates()).toThrowError("z has no start state");
  });
});
