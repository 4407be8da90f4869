import fc from "fast-check";
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

  it("answers enabled actions as its replicas do, asking a replica once per state it is in", () => {
    const asked: number[] = [];
    const counted = (p: number) => {
      const inner = counter(p);
      return Object.assign(Object.create(inner) as typeof inner, { enabled: (s: { count: number }, out: never[]) => (asked.push(p), inner.enabled(s, out)) });
    };
    const group = replicate("counters", P, [0, 1, 2].map(counted));
    const plain = replicate("counters", P, [0, 1, 2].map(counter));
    // Random walks: the remembered answers equal the replicas' own, in every state, in order.
    fc.assert(
      fc.property(fc.array(fc.nat(2), { maxLength: 12 }), (choices) => {
        let s = group.startStates()[0]!;
        for (const c of choices) {
          expect(enabledActions(group, s)).toEqual(enabledActions(plain, s));
          const enabled = enabledActions(group, s);
          if (enabled.length === 0) break;
          s = group.step(s, enabled[c % enabled.length]!);
        }
      }),
    );
    const fresh = replicate("counters", P, [0, 1, 2].map(counted));
    asked.length = 0;
    const s = fresh.step(fresh.startStates()[0]!, { name: "bump", p: 1 });
    enabledActions(fresh, s);
    enabledActions(fresh, fresh.step(s, { name: "bump", p: 1 }));
    // The second state shares processes 0 and 2's states with the first: only process 1 is asked again.
    expect(asked).toEqual([0, 1, 2, 1]);
  });

  it("needs one automaton per process, and an owner for every action", () => {
    expect(() => replicate("two", P, [counter(0), counter(1)])).toThrow("replicate two: needs one automaton per P (3), got 2");
    const ownerless = automaton("x", {}).start({}).output("go", {}, {});
    expect(() => replicate("x", P, [ownerless, ownerless, ownerless])).toThrow(new DefinitionError("replicate x: action go of x names no owner, so no process can take it"));
  });
});
