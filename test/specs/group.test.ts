import { describe, expect, it } from "vitest";
import { assertType, automaton, enabledActions, ISet, t } from "../../ioa/index.ts";
import { groupTypes, initialView } from "../../specs/group.ts";

describe("the group service interface", () => {
  it("types views and the parameters of group actions for n processes", () => {
    const G = groupTypes(3, t.string());
    assertType(G.View, initialView(3), "view");
    expect(() => assertType(G.View, { id: 1, members: ISet.of(0, 5) }, "view")).toThrowError("view.members.elements[1] should be an id of P (0..2), but is 5");
    const member = automaton("member", { delivered: t.array(G.Msg) })
      .start({ delivered: [] })
      .input("deliver", G.deliver, (s, { msg }) => void s.delivered.push(msg))
      .output("view", G.view, { owner: "p", enabled: () => [{ p: 0, view: initialView(3) }] })
      .instance(0);
    expect(enabledActions(member, { delivered: [] })).toEqual([{ name: "view", p: 0, view: initialView(3) }]);
    expect(member.why({ delivered: [] }, { name: "deliver", p: 0, from: 7, msg: "x" })).toBe("parameter deliver.from should be an id of P (0..2), but is 7");
  });
});
