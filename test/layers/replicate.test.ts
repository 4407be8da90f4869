import { describe, expect, it } from "vitest";
import { automaton, DefinitionError, enabledActions, t } from "../../ioa/index.ts";
import { replicate } from "../../layers/replicate.ts";

const P = t.ids("P", 3);
const counter = (p: number) =>
  automaton("counter", { count: t.int(0, 2) })
    .start({ count: 0 })
    .output("bump", { p: P }, { owner: "p", enabled: (s) => (s.count < 2 ? [{ p }] : []), next: (s) => ({ count: s.count + 1 }) })
    .instance(p);

describe("replicate", () => {
  it("keeps one state per process in a table and routes each action to its process", () => {
    const group = replicate("counters", P, [0, 1, 2].map(counter));
    expect(group.stateType.description).toBe("{ count: 0..2 }[P]");
    const s = group.step(group.startStates()[0]!, { name: "bump", p: 1 });
    expect(s).toEqual([{ count: 0 }, { count: 1 }, { count: 0 }]);
    expect(enabledActions(group, s)).toEqual([{ name: "bump", p: 0 }, { name: "bump", p: 1 }, { name: "bump", p: 2 }]);
    expect(group.why(s, { name: "bump", p: 5 })).toBe("bump(p: 5) is not an action of counters");
  });

  it("needs one automaton per process, and an owner for every action", () => {
    expect(() => replicate("two", P, [counter(0), counter(1)])).toThrow("replicate two: needs one automaton per P (3), got 2");
    const ownerless = automaton("x", {}).start({}).output("go", {}, {});
    expect(() => replicate("x", P, [ownerless, ownerless, ownerless])).toThrow(new DefinitionError("replicate x: action go of x names no owner, so no process can take it"));
  });
});
