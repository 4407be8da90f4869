import { describe, expect, it } from "vitest";
import { instantiate, walk } from "../../../ioa/index.ts";
import { check } from "../../../checker/check.ts";
import vsyncSecure from "../../../layers/models/vsync-secure.ts";

// 2 processes that cast nothing of their own: the only cast is the intruder's forgery. Members
// suspect one another at will in the model, so a live member is excluded (the `exclusion` goal).
const small = { processes: 2, casts: 0, crashes: 0 };
// A founder and a process that starts alone to join it, each asking for one merge.
const joining = { ...small, joiners: 1, merges: 1 };

describe("the secure vsync model with an intruder, exhaustively", () => {
  it("2 processes, an intruder that forges a cast (sealed under its own key) once: no outsider message delivered, no key outside its view, over 188,644 states", async () => {
    const result = await check(instantiate(vsyncSecure, { ...small, injections: 1, memory: 0 }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(188_644);
    expect(result.goals.map((g) => [g.property, g.witness !== undefined])).toEqual([
      ["exclusion", true],
      ["intruderInjects", true],
    ]);
  }, 120_000);

  it.skipIf(!process.env.VSYNC_SLOW)("… and that also replays and tampers with the first packet it sees (a cross-view gossip, once views split): 529,876 states", async () => {
    const result = await check(instantiate(vsyncSecure, { ...small, injections: 1, memory: 1 }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(529_876);
  }, 300_000);

  it("a joiner with the group's keys is let in (it merges over packets sealed under pairwise keys, and gets the view's key): 202,003 states", async () => {
    const result = await check(instantiate(vsyncSecure, { ...joining, falseSuspicions: false, injections: 0, memory: 0 }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(202_003);
    expect(result.goals.find((g) => g.property === "joinerAdmitted")?.witness).toBeDefined();
  }, 120_000);

  it("a joiner without the group's keys is never let in, though the intruder replays and tampers with the first two packets it sees (the cross-view gossip of both) twice: 22,162 states", async () => {
    const result = await check(instantiate(vsyncSecure, { ...joining, outsiders: 1, injections: 2, memory: 2 }));
    expect(result.verdict).toBe("holds");
    expect(result.distinctStates).toBe(22_162);
    expect(Object.keys(instantiate(vsyncSecure, { ...joining, outsiders: 1 }).properties)).toContain("outsidersStayOut");
    expect(result.goals.map((g) => [g.property, g.witness !== undefined])).toContainEqual(["intruderInjects", true]);
  }, 60_000);
});

describe("planted bugs are found, with a shortest counterexample", () => {
  it("admits-unchecked: a member takes a cross-view packet without opening it, and lets in a process that holds no key", async () => {
    const result = await check(instantiate(vsyncSecure, { ...joining, outsiders: 1, injections: 0, memory: 0, bug: "admits-unchecked" }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe("outsidersStayOut");
    expect(result.violation?.message).toMatch(/process 0 is in view \d+ with process 1, which holds no key of the group/);
    expect(result.violation?.counterexample?.actions.length).toBe(13);
  });

  it("skips-authentication: the intruder's forged cast is delivered", async () => {
    const result = await check(instantiate(vsyncSecure, { bug: "skips-authentication" }));
    expect(result.verdict).toBe("violated");
    // The vsync service's own integrity check and ours say the same; whichever is judged first reports it.
    expect(["deliveryIntegrity", "noOutsiderDelivered"]).toContain(result.violation?.property);
    expect(result.violation?.message).toMatch(/"evil"/);
  });

  it("grants-excluded-members: a member left out of a view holds its key", async () => {
    const result = await check(instantiate(vsyncSecure, { ...small, injections: 0, bug: "grants-excluded-members" }));
    expect(result.verdict).toBe("violated");
    expect(result.violation?.property).toBe("keysStayInView");
    expect(result.violation?.message).toMatch(/process \d holds key K\d+:\d, of a view it is not a member of/);
  });
});

describe("random walks with crashes, partitions, drops and an intruder", () => {
  it("break no property", () => {
    const instance = instantiate(vsyncSecure, { processes: 3, casts: 1, crashes: 1, partitions: 1, drops: 2, injections: 3, memory: 3 });
    const invariants = Object.entries(instance.properties).filter(([, p]) => p.kind === "always");
    let injected = 0;
    for (let seed = 0; seed < 40; seed++) {
      const run = walk(instance.automaton, { steps: 1500, seed, validate: false });
      for (const s of run.states) for (const [name, p] of invariants) if (p.kind === "always" && !p.holds(s)) expect.fail(`seed ${seed}: ${name}: ${p.explain?.(s)}`);
      injected += run.actions.filter((a) => a.name === "inject").length;
    }
    expect(injected).toBeGreaterThan(20);
  }, 120_000);

  it("with a joiner that holds the keys and one that does not, merging and rejoining: the outsider is never let in, the joiner is", () => {
    const instance = instantiate(vsyncSecure, { processes: 3, joiners: 2, outsiders: 1, merges: 2, casts: 1, crashes: 1, partitions: 1, drops: 1, injections: 3, memory: 3 });
    const invariants = Object.entries(instance.properties).filter(([, p]) => p.kind === "always");
    expect(invariants.map(([name]) => name)).toContain("outsidersStayOut");
    type S = { readonly stacks: readonly { readonly view: { readonly members: { has(p: number): boolean } } }[] };
    let admitted = 0;
    for (let seed = 0; seed < 40; seed++) {
      const run = walk(instance.automaton, { steps: 1500, seed, validate: false });
      for (const s of run.states) for (const [name, p] of invariants) if (p.kind === "always" && !p.holds(s)) expect.fail(`seed ${seed}: ${name}: ${p.explain?.(s)}`);
      if (run.states.some((s) => (s as unknown as S).stacks[0]!.view.members.has(1))) admitted++;
    }
    expect(admitted).toBeGreaterThan(0);
  }, 120_000);
});
