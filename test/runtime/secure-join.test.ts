// Secure groups that grow and heal (vsync-secure over UDP on 127.0.0.1): a process joins through
// a member's address only if it proves it holds the group's keys — the secret, or a listed key —;
// an outsider is refused and counted and leaves nothing behind (no slot, no directory entry, no
// merge); an authorized joiner is let in, gets the view's key and delivers; the sides of a
// partition 2|2 merge again when it heals, their merge sealed under pairwise keys.

import { createSocket } from "node:dgram";
import { describe, expect, it } from "vitest";
import { range } from "../../ioa/index.ts";
import { ConfigError, decodeJoin, encodeJoin, freePorts, join, makeKeyPair, type Directory, type Member } from "../../runtime/index.ts";
import { closedAfterEach, until } from "../support/runtime.ts";

const { members, sockets } = closedAfterEach();

const SECRET = { secret: "the fortress's long secret" };
const viewOf = (m: Member) => m.view.members.toArray().join();
const keyOf = (m: Member) => (m.state.layers as unknown as { encrypt: { key: string } }).encrypt.key;
const directoryOf = (m: Member) => (m as unknown as { directory: Directory }).directory;
/** What a member's membership layer holds of merges: a merge it asked for, or one it grants. */
const merging = (m: Member) => {
  const { contact, joiner } = (m.state.layers as unknown as { membership: { contact: number; joiner: number } }).membership;
  return { contact, joiner };
};
const deliveredOf = (m: Member) => {
  const got: string[] = [];
  m.on("deliver", (d) => got.push(`${d.sender}:${d.text()}`));
  return got;
};

// Timers at a fifth of their delays: a view forms, and a joiner merges, within a couple of seconds.
// Generous waits: on a loaded machine a stalled member is suspected and rejoins by merging, which
// takes longer.
const timing = { timerScale: 0.2, gossip: 100 } as const;

async function founders(n: number, capacity: number, security: (rank: number) => Parameters<typeof join>[0]["security"]) {
  const ports = await freePorts(n);
  const peers = ports.map((p) => `127.0.0.1:${p}`);
  const joined = await Promise.all(range(n).map((rank) => join({ group: "fortress", stack: "vsync-secure", peers, rank, capacity, security: security(rank), ...timing })));
  members.push(...joined);
  await until(() => joined.every((m) => viewOf(m) === range(n).join() && keyOf(m) !== "" && keyOf(m) === keyOf(joined[0]!)), "the founders hold their view's key", 15_000);
  return { joined, peers };
}

describe("joining a secure group (group secret)", () => {
  it("refuses and counts an outsider with the wrong secret, leaving no state behind; lets in a process with the secret, which gets the view's key and delivers", async () => {
    const { joined, peers } = await founders(3, 4, () => SECRET);
    const contact = joined[1]!;
    await expect(join({ group: "fortress", contact: peers[1]!, bind: "127.0.0.1:0", security: { secret: "a guessed secret!" }, joinTimeout: 3000, ...timing })).rejects.toThrow(/refused to let this process join group fortress: unauthorized/);
    await expect(join({ group: "fortress", contact: peers[1]!, bind: "127.0.0.1:0", joinTimeout: 3000, ...timing })).rejects.toThrow(/is a secure group: give security/);
    expect(contact.counters.join.unauthorized).toBe(1);
    expect(contact.rejected.unauthorized).toBeGreaterThanOrEqual(1);
    expect(contact.counters.join.welcomed).toBe(0);
    // Nothing left behind: no member gave out slot 3, heard of an address for it, or is merging.
    await new Promise((r) => setTimeout(r, 300));
    for (const m of joined) {
      expect(directoryOf(m).address(3)).toBeUndefined();
      expect(merging(m)).toEqual({ contact: -1, joiner: -1 });
      expect(viewOf(m)).toBe("0,1,2");
    }

    const got = joined.map(deliveredOf);
    const late = await join({ group: "fortress", contact: peers[1]!, bind: "127.0.0.1:0", security: SECRET, ...timing });
    members.push(late);
    const lateGot = deliveredOf(late);
    expect(late.rank).toBe(3);
    expect(contact.counters.join.welcomed).toBe(1);
    await until(() => [...joined, late].every((m) => viewOf(m) === "0,1,2,3"), "the joiner is merged into the group's view", 20_000);
    await until(() => [...joined, late].every((m) => keyOf(m) !== "" && keyOf(m) === keyOf(late)), "every member holds the new view's key", 10_000);
    joined[0]!.cast("to the newcomer");
    late.cast("from the newcomer");
    await until(() => lateGot.includes("0:to the newcomer") && got.every((g) => g.includes("3:from the newcomer")), "casts flow both ways", 10_000);
    expect(joined.every((m) => m.rejected.forged === 0)).toBe(true);
  }, 60_000);
});

describe("joining a secure group (key list)", () => {
  it("a process holding a listed key takes its own slot; one whose key is not listed cannot ask; a forged proof is refused and counted", async () => {
    const pairs = range(3).map(() => makeKeyPair());
    const publicKeys = pairs.map((p) => p.publicKey);
    const listed = (rank: number) => ({ privateKey: pairs[rank]!.privateKey, publicKeys });
    const { joined, peers } = await founders(2, 3, listed);
    const stranger = makeKeyPair();
    await expect(join({ group: "fortress", contact: peers[0]!, bind: "127.0.0.1:0", security: { privateKey: stranger.privateKey, publicKeys }, joinTimeout: 2000 })).rejects.toThrow(ConfigError);
    await expect(join({ group: "fortress", contact: peers[0]!, bind: "127.0.0.1:0", security: { privateKey: stranger.privateKey, publicKeys }, joinTimeout: 2000 })).rejects.toThrow(/not in security.publicKeys/);

    // A rogue that claims slot 2, is challenged, and answers with what it can make without the key.
    const rogue = createSocket("udp4");
    sockets.push(rogue);
    const answers: ReturnType<typeof decodeJoin>[] = [];
    rogue.on("message", (m) => answers.push(decodeJoin(m)));
    await new Promise<void>((done) => rogue.bind(0, "127.0.0.1", () => done()));
    const port = Number(peers[0]!.split(":")[1]);
    rogue.send(encodeJoin({ type: "join", group: "fortress", slot: 2 }), port, "127.0.0.1");
    await until(() => answers.some((a) => typeof a !== "string" && a.type === "challenge"), "the contact challenges the rogue", 3000);
    const challenge = answers.find((a) => typeof a !== "string" && a.type === "challenge") as Extract<ReturnType<typeof decodeJoin>, { type: "challenge" }>;
    expect(challenge).toMatchObject({ slot: 2, contact: 0, capacity: 3 });
    rogue.send(encodeJoin({ type: "join", group: "fortress", slot: 2, nonce: challenge.nonce, proof: Buffer.alloc(40, 7).toString("base64") }), port, "127.0.0.1");
    await until(() => answers.some((a) => typeof a !== "string" && a.type === "refused"), "the contact refuses the forged proof", 3000);
    expect(joined[0]!.counters.join.unauthorized).toBe(1);
    expect(directoryOf(joined[0]!).address(2)).toBeUndefined();

    const late = await join({ group: "fortress", contact: peers[0]!, bind: "127.0.0.1:0", security: listed(2), ...timing });
    members.push(late);
    expect(late.rank).toBe(2);
    await until(() => [...joined, late].every((m) => viewOf(m) === "0,1,2" && keyOf(m) === keyOf(late)), "the listed joiner is merged in and holds the view's key", 20_000);
  }, 60_000);
});

describe("a secure group split 2|2", () => {
  it("goes on in two views, each with a key of its own, and merges back into one view with one key when the partition heals", async () => {
    const { joined } = await founders(4, 4, () => SECRET);
    const got = joined.map(deliveredOf);
    const cut = (sides: number[][]) => sides.forEach((side) => side.forEach((p) => joined[p]!.partition(side)));
    cut([[0, 1], [2, 3]]);
    await until(() => viewOf(joined[0]!) === "0,1" && viewOf(joined[1]!) === "0,1" && viewOf(joined[2]!) === "2,3" && viewOf(joined[3]!) === "2,3", "each side installs its own view", 20_000);
    await until(() => keyOf(joined[0]!) === keyOf(joined[1]!) && keyOf(joined[2]!) === keyOf(joined[3]!) && keyOf(joined[0]!) !== keyOf(joined[2]!), "each side holds a key of its own", 10_000);
    joined.forEach((m) => m.heal());
    await until(() => joined.every((m) => viewOf(m) === "0,1,2,3"), "the heal merges the sides", 30_000);
    await until(() => joined.every((m) => keyOf(m) !== "" && keyOf(m) === keyOf(joined[0]!)), "every member holds the merged view's key", 10_000);
    joined[3]!.cast("after the heal");
    await until(() => got.every((g) => g.includes("3:after the heal")), "a cast reaches every member", 10_000);
    expect(joined.every((m) => m.rejected.unauthorized === 0)).toBe(true);
  }, 90_000);
});
