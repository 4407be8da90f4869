// Joining a running group through one member's address: the contact gives a free slot, the group
// learns the newcomer's address, impostors are dropped and counted; bad join datagrams never crash.

import { createSocket } from "node:dgram";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ISet, range } from "../../ioa/index.ts";
import { decodeJoin, Directory, encodeJoin, freePorts, join, Wire, type Member } from "../../runtime/index.ts";
import { closedAfterEach, until } from "../support/runtime.ts";

const { members, sockets } = closedAfterEach();

async function founders(n: number, capacity: number, slander = false) {
  const ports = await freePorts(n);
  const peers = ports.map((p) => `127.0.0.1:${p}`);
  const joined = await Promise.all(range(n).map((rank) => join({ group: "g", stack: "vsync", peers, rank, capacity, timerScale: 0.2, gossip: 100, slander })));
  members.push(...joined);
  return { joined, peers };
}

describe("joining by contact address", () => {
  it("gives the newcomer a free slot and the group's settings; every member learns its address; a full group refuses", async () => {
    const { joined, peers } = await founders(3, 4);
    const late = await join({ group: "g", contact: peers[1]!, bind: "127.0.0.1:0", timerScale: 0.2, gossip: 100 });
    members.push(late);
    expect([late.rank, late.n, late.stack.name]).toEqual([3, 4, "vsync[3]"]);
    expect(late.needsState).toBe(true);
    expect(joined[1]!.counters.join).toMatchObject({ requests: 1, welcomed: 1 });
    // The others hear of slot 3's address by gossip: they accept its datagrams (its heartbeats, merge requests).
    await until(() => joined.every((m) => m.counters.dropped["unknown sender"] === 0 && (m as unknown as { directory: Directory }).directory.address(3)?.port === late.address!.port), "every founder learns slot 3's address");
    await expect(join({ group: "g", contact: peers[0]!, bind: "127.0.0.1:0", joinTimeout: 2000 })).rejects.toThrow(/refused to let this process join group g: the group is full: its 4 slots are taken/);
    await expect(join({ group: "other", contact: peers[0]!, bind: "127.0.0.1:0", joinTimeout: 600 })).rejects.toThrow(/no slot in group other from 127\.0\.0\.1:\d+ within 600 ms \(no answer\)/);
  }, 20_000);

  it("gives the newcomer the group's slander setting, and refuses a joiner that asks for the other", async () => {
    const layers = (m: Member) => Object.keys(m.stack.startStates()[0]!.layers);
    const { peers } = await founders(2, 4, true);
    const late = await join({ group: "g", contact: peers[0]!, bind: "127.0.0.1:0", timerScale: 0.2, gossip: 100 });
    members.push(late);
    expect(layers(late)).toContain("slander");
    await expect(join({ group: "g", contact: peers[1]!, bind: "127.0.0.1:0", slander: false })).rejects.toThrow("group g runs with slander; a joiner takes the group's setting (leave slander out)");
  }, 20_000);

  it("drops and counts impostors (a member's datagram naming another slot), strangers and bad join datagrams, without crashing; gossip cannot move a member of the view", async () => {
    const { joined, peers } = await founders(2, 3);
    const wire = new Wire(joined[0]!.stack.types, { group: "g", stack: "vsync", n: 3, maxDatagram: 60_000 });
    const rogue = createSocket("udp4");
    sockets.push(rogue);
    const answers: Uint8Array[] = [];
    rogue.on("message", (m) => answers.push(m));
    await new Promise<void>((done) => rogue.bind(0, "127.0.0.1", () => done()));
    const port = Number(peers[0]!.split(":")[1]);
    const send = (bytes: Uint8Array) => rogue.send(bytes, port, "127.0.0.1");
    const c = joined[0]!.counters;
    const suspectPacket = { headers: { origin: "suspect" } as never };
    // A stranger: its datagrams name no slot it holds, and its gossip is not taken.
    send(wire.encode(1, [suspectPacket]));
    send(encodeJoin({ type: "addresses", group: "g", entries: [{ slot: 2, address: { host: "127.0.0.1", port: 9 }, stamp: 1e15, by: 0 }] }));
    send(Buffer.from("Tj\u0001{not json"));
    send(Buffer.from("Tj\u0009{}"));
    await until(() => c.dropped["unknown sender"] >= 1 && c.join.bad === 1 && c.dropped.malformed === 2, "member 0 takes the stranger's datagrams", 3000);
    // It joins (slot 2), then claims to be member 1: an impostor. Its gossip moving member 1 elsewhere is not taken either.
    send(encodeJoin({ type: "join", group: "g" }));
    await until(() => answers.some((a) => (decodeJoin(a) as { type?: string }).type === "welcome"), "the rogue is welcomed");
    send(wire.encode(1, [suspectPacket]));
    send(encodeJoin({ type: "addresses", group: "g", entries: [{ slot: 1, address: { host: "127.0.0.1", port: 9 }, stamp: 1e15, by: 0 }] }));
    await until(() => c.dropped.impostor === 1, "member 0 drops the impostor's datagram", 3000);
    const directory = (joined[0] as unknown as { directory: Directory }).directory;
    await new Promise((r) => setTimeout(r, 100));
    expect(directory.address(1)?.port).toBe(Number(peers[1]!.split(":")[1]));
    expect(directory.address(2)?.port).toBe((rogue.address()).port);
    expect(c.accepted + Object.values(c.dropped).reduce((a, b) => a + b, 0)).toBe(c.datagramsIn);
  });

  it("decodes every join datagram it encodes, and never throws on mutated ones", () => {
    const entry = fc.record({ slot: fc.integer({ min: 0, max: 7 }), address: fc.record({ host: fc.constantFrom("127.0.0.1", "10.0.0.2"), port: fc.integer({ min: 1, max: 65535 }) }), stamp: fc.nat(), by: fc.integer({ min: -1, max: 7 }) });
    const message = fc.oneof(
      fc.record({ type: fc.constant("join" as const), group: fc.string({ maxLength: 20 }) }),
      fc.record({ type: fc.constant("join" as const), group: fc.string({ maxLength: 20 }), slot: fc.integer({ min: 0, max: 7 }), nonce: fc.base64String({ maxLength: 32 }), proof: fc.base64String({ maxLength: 100 }) }),
      fc.record({ type: fc.constant("challenge" as const), group: fc.string({ maxLength: 20 }), slot: fc.integer({ min: 0, max: 7 }), contact: fc.integer({ min: 0, max: 7 }), capacity: fc.constant(8), nonce: fc.base64String({ maxLength: 32 }) }),
      fc.record({ type: fc.constant("refused" as const), group: fc.string({ maxLength: 20 }), reason: fc.string({ maxLength: 50 }) }),
      fc.record({ type: fc.constant("addresses" as const), group: fc.string({ maxLength: 20 }), entries: fc.array(entry, { maxLength: 5 }) }),
      fc.record({ type: fc.constant("welcome" as const), group: fc.string({ maxLength: 20 }), stack: fc.constant("vsync"), capacity: fc.constant(8), slot: fc.integer({ min: 0, max: 7 }), fragment: fc.constant(8192), maxDatagram: fc.constant(60_000), slander: fc.boolean(), entries: fc.array(entry, { maxLength: 5 }) }),
    );
    fc.assert(
      fc.property(message, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }), (m, flips) => {
        const bytes = encodeJoin(m);
        expect(decodeJoin(bytes)).toEqual(m);
        for (const [at, b] of flips) bytes[at % bytes.length] = b;
        const decoded = decodeJoin(bytes);
        expect(typeof decoded === "string" || typeof decoded.type === "string").toBe(true);
      }),
      { numRuns: 300 },
    );
    const welcome = { type: "welcome", group: "g", stack: "vsync", capacity: 4, slot: 3, fragment: 8192, maxDatagram: 60_000, entries: [] };
    expect(decodeJoin(encodeJoin({ ...welcome, slander: "yes" } as never))).toMatch(/welcome: slander is true or false/);
    expect(decodeJoin(encodeJoin(welcome as never))).toMatchObject({ slander: false });
  });
});

describe("the directory", () => {
  const at = (port: number) => ({ host: "127.0.0.1", port });
  it("gives a repeated request the same slot, then the lowest free one, then one out of the view and long silent; the newer stamp of a slot wins", () => {
    const d = new Directory(4, [0, 1].map((slot) => ({ slot, address: at(7000 + slot), stamp: 0, by: -1 })));
    const choice = { inView: ISet.of(0, 1), silentFor: () => undefined, reuseAfter: 1000 };
    expect(d.choose(at(7000), choice)).toBe("slot 0, at 127.0.0.1:7000, is still in the view: try again once it is excluded");
    expect(d.choose(at(8000), choice)).toBe(2);
    d.merge([{ slot: 2, address: at(8000), stamp: 5, by: 0 }, { slot: 3, address: at(8001), stamp: 5, by: 0 }]);
    expect(d.choose(at(8000), choice)).toBe(2);
    expect(d.choose(at(8002), { ...choice, silentFor: (q) => (q === 3 ? 5000 : 10) })).toBe(3);
    expect(d.choose(at(8002), { ...choice, silentFor: () => 10 })).toBe("the group is full: its 4 slots are taken");
    expect(d.merge([{ slot: 3, address: at(9000), stamp: 4, by: 1 }])).toEqual([]);
    expect(d.merge([{ slot: 3, address: at(9000), stamp: 5, by: 1 }]).map((e) => e.address.port)).toEqual([9000]);
  });
});
