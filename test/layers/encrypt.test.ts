import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../../ioa/index.ts";
import { accepted, REJECTIONS, type EncryptHeader, type Rejection } from "../../layers/encrypt.ts";
import type { Packet } from "../../layers/message.ts";
import { symbolicCrypto, symbolicCryptoWith, symbolicPlaintext } from "../../layers/models/symbolic-crypto.ts";
import type { ViewValue } from "../../layers/event.ts";
import { joinerView, startView, type Output, type Stack, type StackAction, type StackState } from "../../layers/stack.ts";
import { vsyncSecure } from "../../layers/stacks/secure.ts";
import { ISet, range } from "../../ioa/index.ts";
import { VirtualGroup } from "../support/virtual-group.ts";

describe("the replay window", () => {
  const WINDOW = 31;
  const SPACE = 2 ** 32;
  it("accepts a number exactly when it was not accepted before and is no more than the window below the highest (a reference set says)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 120 }), { maxLength: 200 }), (seqs) => {
        let w = { highest: -1, recent: 0 };
        const seen = new Set<number>();
        for (const seq of seqs) {
          const expected = !seen.has(seq) && (w.highest < 0 || seq >= w.highest - WINDOW);
          const after = accepted(w, seq, WINDOW, SPACE);
          expect(after !== undefined).toBe(expected);
          if (after) {
            seen.add(seq);
            w = after;
          }
        }
      }),
    );
  });

  it("accepts every number of an in-order stream once, across the wrap of a small space", () => {
    let w = { highest: -1, recent: 0 };
    for (let i = 0; i < 40; i++) {
      const seq = i % 8;
      const after = accepted(w, seq, 3, 8);
      expect(after).toBeDefined();
      expect(accepted(after!, seq, 3, 8)).toBeUndefined();
      w = after!;
    }
  });
});

/** Two processes of vsync-secure with the symbolic cipher, stepped by hand. */
function pair() {
  const definition = vsyncSecure({ crypto: symbolicCrypto });
  const stacks = [definition.build(2, 0), definition.build(2, 1)];
  const states: StackState[] = stacks.map((s) => s.startStates()[0]!);
  const delivered: string[][] = [[], []];
  /** Steps process p with `a`, and returns what it transmitted (its deliveries are recorded). */
  const step = (p: number, a: StackAction): Packet[] => {
    const stack = stacks[p]! as Stack;
    const { outputs, state } = stack.drain(stack.step(states[p]!, a));
    states[p] = state;
    const sent: Packet[] = [];
    for (const o of outputs as readonly Output[]) {
      if (o.kind === "transmit") sent.push(o.packet);
      if (o.kind === "deliver") delivered[p]!.push(o.msg);
    }
    return sent;
  };
  const arrive = (p: number, from: number, packet: Packet) => step(p, { name: "arrive", p, from, packet });
  const encryptOf = (p: number) => (states[p]!.layers as unknown as { encrypt: { key: string; rejected: Record<Rejection, number> } }).encrypt;
  return { step, arrive, states, delivered, encryptOf };
}

const header = (packet: Packet) => (packet.headers as unknown as { encrypt: EncryptHeader }).encrypt;
const sealedText = (packet: Packet) => packet.payload!;

describe("ENCRYPT between two processes", () => {
  /** Process 0 grants view 0's key to process 1, which says it has it; then process 0 casts "hello". */
  function keyedPair() {
    const g = pair();
    const [grant] = g.step(0, { name: "timer", p: 0, layer: "encrypt", timer: "grant" });
    expect(header(grant!)).toEqual({ type: "Grant", view: 0 });
    expect(g.encryptOf(1).key).toBe("");
    const answers = g.arrive(1, 0, grant!);
    expect(g.encryptOf(1).key).toBe(g.encryptOf(0).key);
    expect(answers.map((p) => header(p).type)).toEqual(["GrantOk"]);
    g.arrive(0, 1, answers[0]!);
    const cast = g.step(0, { name: "cast", p: 0, msg: "hello" }).find((p) => header(p).type === "Sealed")!;
    return { ...g, cast };
  }

  it("seals what it sends: the payload and the headers above are in the sealed text, not in the clear", () => {
    const { cast } = keyedPair();
    expect(Object.keys(cast.headers as unknown as Record<string, Value>).sort()).toEqual(["encrypt", "origin"]);
    expect(symbolicPlaintext(sealedText(cast))).toContain("hello");
  });

  it("delivers a sealed cast once, and drops a replay, a tampered copy, a forgery, an unsealed packet and another view's packet, counting each", () => {
    const { cast, arrive, delivered, encryptOf } = keyedPair();
    arrive(1, 0, cast);
    expect(delivered[1]).toEqual(["hello"]);
    arrive(1, 0, cast);
    arrive(1, 0, { headers: cast.headers, payload: `${cast.payload}!` });
    const plaintext = symbolicPlaintext(sealedText(cast))!;
    const { view, seq } = header(cast) as Extract<EncryptHeader, { type: "Sealed" }>;
    arrive(1, 0, { headers: { ...(cast.headers as object), encrypt: { type: "Sealed", view, seq: seq + 5 } } as never, payload: symbolicCrypto.seal("Kx", `d/${view}/0/${seq + 5}`, plaintext) });
    arrive(1, 0, { headers: { origin: "application" } as never, payload: "evil" });
    arrive(1, 0, { headers: { ...(cast.headers as object), encrypt: { type: "Sealed", view: 7, seq: 0 } } as never, payload: cast.payload! });
    expect(delivered[1]).toEqual(["hello"]);
    expect(encryptOf(1).rejected).toEqual({ unsealed: 1, forged: 2, replayed: 1, otherView: 1, noKeyYet: 0, unauthorized: 0, stale: 0 });
    expect(Object.keys(encryptOf(1).rejected)).toEqual([...REJECTIONS]);
  });

  it("holds the packets of its view that arrive before its key, and opens them once the key comes", () => {
    const g = pair();
    const [grant] = g.step(0, { name: "timer", p: 0, layer: "encrypt", timer: "grant" });
    const cast = g.step(0, { name: "cast", p: 0, msg: "early" }).find((p) => header(p).type === "Sealed")!;
    g.arrive(1, 0, cast);
    expect(g.delivered[1]).toEqual([]);
    g.arrive(1, 0, grant!);
    expect(g.delivered[1]).toEqual(["early"]);
  });

  it("a Grant for a process other than its receiver does not open: the pairwise key is theirs alone", () => {
    const g = pair();
    const [grant] = g.step(0, { name: "timer", p: 0, layer: "encrypt", timer: "grant" });
    // The same sealed key, claimed to come from process 1 to process 0 (the distributor itself).
    g.arrive(0, 1, grant!);
    expect(g.encryptOf(0).rejected.forged).toBe(1);
  });
});

describe("ENCRYPT across views: packets to processes outside the view, sealed under pairwise keys", () => {
  const members = (v: ViewValue) => v.members.toArray().join(",");
  type Encrypt = { key: string; rejected: Record<Rejection, number> };
  const encryptOf = (g: VirtualGroup, p: number) => (g.states[p]!.layers as unknown as { encrypt: Encrypt }).encrypt;
  /** A group of 4 over vsync-secure, `outsiders` holding no key of the group. */
  const secureGroup = (start: (p: number) => ViewValue, outsiders: number[] = []) => new VirtualGroup(vsyncSecure({ crypto: symbolicCryptoWith(outsiders) }), 4, start);

  it("a process that starts alone with the group's keys joins the running group by merging, gets the view's key and delivers its casts", () => {
    const g = secureGroup((p) => (p < 3 ? startView(ISet.of(0, 1, 2)) : joinerView(p)));
    g.run(4000);
    expect(range(4).map((p) => members(g.view(p)))).toEqual(Array(4).fill("0,1,2,3"));
    expect(new Set(range(4).map((p) => encryptOf(g, p).key)).size).toBe(1);
    expect(encryptOf(g, 3).key).toMatch(/^K\d+:0,1,2,3$/);
    g.cast(0, "welcome");
    g.run(500);
    expect(g.recorded[3]!.delivered.get(g.view(3).id)).toEqual(["0:welcome"]);
    expect(range(4).every((p) => encryptOf(g, p).rejected.unauthorized === 0)).toBe(true);
  });

  it("the sides of a 2|2 partition that heals merge into one view with one key", () => {
    const g = secureGroup(() => startView(ISet.from(range(4))));
    g.run(500);
    g.partition([0, 1], [2, 3]);
    g.run(3000);
    expect(range(4).map((p) => members(g.view(p)))).toEqual(["0,1", "0,1", "2,3", "2,3"]);
    g.partition();
    g.run(4000);
    expect(range(4).map((p) => members(g.view(p)))).toEqual(Array(4).fill("0,1,2,3"));
    expect(new Set(range(4).map((p) => encryptOf(g, p).key)).size).toBe(1);
    g.cast(2, "together");
    g.run(500);
    for (const p of range(4)) expect(g.recorded[p]!.delivered.get(g.view(p).id)).toEqual(["2:together"]);
  });

  it("a process without the group's keys is never taken into a view: its gossip and merge requests do not open, and are counted as unauthorized", () => {
    const g = secureGroup((p) => (p < 3 ? startView(ISet.of(0, 1, 2)) : joinerView(p)), [3]);
    g.run(6000);
    expect(range(3).map((p) => members(g.view(p)))).toEqual(Array(3).fill("0,1,2"));
    expect(members(g.view(3))).toBe("3");
    for (const p of range(3)) expect(g.recorded[p]!.views.every((v) => !v.members.has(3))).toBe(true);
    expect(encryptOf(g, 0).rejected.unauthorized).toBeGreaterThan(0);
    // …nor does it hear the members: their gossip to its slot is sealed under the slot's listed key.
    expect(encryptOf(g, 3).rejected.unauthorized).toBeGreaterThan(0);
  });

  it("drops a replayed, tampered, reflected or forged cross-view packet, counting each", () => {
    const definition = vsyncSecure({ crypto: symbolicCrypto });
    const alone = [definition.build(2, 0, startView(ISet.of(0))), definition.build(2, 1, joinerView(1))];
    const states = alone.map((s) => s.drain(s.startStates()[0]!).state);
    const run = (p: number, a: StackAction) => {
      const { outputs, state } = alone[p]!.drain(alone[p]!.step(states[p]!, a));
      states[p] = state;
      return (outputs as readonly Output[]).flatMap((o) => (o.kind === "transmit" ? [o.packet] : []));
    };
    const arrive = (p: number, from: number, packet: Packet) => run(p, { name: "arrive", p, from, packet });
    const rejected = (p: number) => (states[p]!.layers as unknown as { encrypt: Encrypt }).encrypt.rejected;
    // Process 1 (alone, view {1}) gossips its view to 0, across views.
    const [gossip] = run(1, { name: "timer", p: 1, layer: "heal", timer: "gossip" });
    expect(header(gossip!)).toEqual({ type: "Cross", stamp: 0 });
    expect(symbolicPlaintext(gossip!.payload!)).toBeDefined();
    // Opened and taken: nothing rejected, the stamp accepted.
    const before = rejected(0);
    arrive(0, 1, gossip!);
    expect(rejected(0)).toEqual(before);
    expect((states[0]!.layers as unknown as { encrypt: { crossHighest: number[] } }).encrypt.crossHighest).toEqual([-1, 0]);
    arrive(0, 1, gossip!);
    arrive(0, 1, { headers: gossip!.headers, payload: `${gossip!.payload}~` });
    arrive(1, 0, gossip!);
    arrive(0, 1, { headers: { origin: "encrypt", encrypt: { type: "Cross", stamp: 3 } } as never, payload: symbolicCrypto.seal("Kx", "x/1/0/3", symbolicPlaintext(gossip!.payload!)!) });
    expect(rejected(0)).toEqual({ ...before, replayed: before.replayed + 1, unauthorized: before.unauthorized + 2 });
    expect(rejected(1).unauthorized).toBe(1);
  });
});
