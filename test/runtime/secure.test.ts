// Secure groups (vsync-secure): an outsider without the keys gets nothing delivered — forged,
// tampered, replayed and earlier-view datagrams are dropped and counted —, a member excluded by a
// view change cannot open the next view's datagrams, and a storm of 25,000 random and mutated
// datagrams crashes nothing.

import { createSocket } from "node:dgram";
import { describe, expect, it } from "vitest";
import { assertType, Random, range } from "../../ioa/index.ts";
import type { Packet } from "../../layers/message.ts";
import type { Rejection } from "../../layers/encrypt.ts";
import { ConfigError, freePorts, groupCrypto, join, localPeers, makeKeyPair, memoryNetwork, totalDropped, udpTransport, Wire, type Member, type Transport } from "../../runtime/index.ts";
import { parseAddress } from "../../runtime/address.ts";
import { ForwardingTransport } from "../../runtime/forwarding-transport.ts";
import type { DatagramHandler } from "../../runtime/transport.ts";
import { mutate } from "../support/datagrams.ts";
import { closedAfterEach, until } from "../support/runtime.ts";

const { members, sockets } = closedAfterEach();

/** A key list for `n` members: each member's security. */
function keyList(n: number): { readonly privateKey: string; readonly publicKeys: readonly string[] }[] {
  const pairs = range(n).map(() => makeKeyPair());
  const publicKeys = pairs.map((p) => p.publicKey);
  return pairs.map((p) => ({ privateKey: p.privateKey, publicKeys }));
}

/** A transport that records what arrives (by sender) and can be told to send nothing (a member gone silent). */
function tap(inner: Transport) {
  const received: { from: number | undefined; bytes: Uint8Array }[] = [];
  let handler: DatagramHandler = () => {};
  const control = { silent: false, received, inject: (bytes: Uint8Array, from: number) => handler(bytes, from) };
  class Tap extends ForwardingTransport {
    override send(to: number, bytes: Uint8Array): void {
      if (!control.silent) super.send(to, bytes);
    }
    override listen(h: DatagramHandler): void {
      handler = h;
      super.listen((bytes, from, source) => {
        received.push({ from, bytes: Uint8Array.from(bytes) });
        h(bytes, from, source);
      });
    }
  }
  return { transport: new Tap(inner) as Transport, control };
}

const deliveredOf = (m: Member) => {
  const got: string[] = [];
  m.on("deliver", (d) => got.push(`${d.sender}:${d.text()}`));
  return got;
};
const viewOf = (m: Member) => m.view.members.toArray().join();
const rejected = (m: Member, reason: Rejection) => m.rejected[reason];

describe("secure members: configuration", () => {
  it("a secure stack needs a secret or a key list; a plain stack refuses one; a key list must fit the group", async () => {
    const net = memoryNetwork(2);
    const peers = localPeers(2, 9300);
    await expect(join({ group: "g", stack: "vsync-secure", peers, rank: 0, transport: net[0]! })).rejects.toThrow(ConfigError);
    await expect(join({ group: "g", stack: "vsync", peers, rank: 0, transport: net[0]!, security: { secret: "a long secret" } })).rejects.toThrow(/does not seal datagrams/);
    await expect(join({ group: "g", stack: "vsync-secure", peers, rank: 0, transport: net[0]!, security: { secret: "short" } })).rejects.toThrow(/at least 8 characters/);
    const keys = keyList(3);
    await expect(join({ group: "g", stack: "vsync-secure", peers, rank: 0, transport: net[0]!, security: keys[0]! })).rejects.toThrow(/one public key per member, 2 in all, not 3/);
    const two = keyList(2);
    await expect(join({ group: "g", stack: "vsync-secure", peers, rank: 0, transport: net[0]!, security: { ...two[1]!, publicKeys: two[0]!.publicKeys } })).rejects.toThrow(/is not the key of security.publicKeys\[0\]/);
    await expect(join({ group: "g", stack: "vsync-secure", peers, rank: 0, transport: net[0]!, security: { privateKey: "AAAA", publicKeys: two[0]!.publicKeys } })).rejects.toThrow(/32 bytes/);
  });
});

describe("secure members over UDP on loopback", () => {
  it("an outsider, even at a departed member's address, gets nothing delivered: forged, unsealed, replayed and earlier-view datagrams are dropped and counted", async () => {
    const ports = await freePorts(4);
    const peers = ports.slice(0, 3).map((p) => `127.0.0.1:${p}`);
    const security = keyList(3);
    const taps = await Promise.all(range(3).map(async (rank) => tap(await udpTransport({ bind: parseAddress(peers[rank]!, `peer ${rank}`), members: peers.map((p, i) => parseAddress(p, `peer ${i}`)) }))));
    members.push(...(await Promise.all(range(3).map((rank) => join({ group: "fortress", stack: "vsync-secure", peers, rank, security: security[rank]!, transport: taps[rank]!.transport, timerScale: 0.1 })))));
    const [m0, m1, m2] = members as [Member, Member, Member];
    const got = [deliveredOf(m0), deliveredOf(m1)];
    for (let i = 0; i < 5; i++) for (const m of members) m.cast(`view 0, ${i}`);
    await until(() => got.every((g) => g.length === 15), "members 0 and 1 deliver the casts of view 0");
    // Member 2 leaves; the others exclude it and move to a view with a fresh key.
    const fromTwo = taps[0]!.control.received.filter((r) => r.from === 2).map((r) => r.bytes);
    await m2.close();
    await until(() => viewOf(m0) === "0,1" && viewOf(m1) === "0,1", "members 0 and 1 exclude member 2", 15_000);
    m1.cast("view 1");
    await until(() => got.every((g) => g.includes("1:view 1")), "the new view works");

    const wire = new Wire(m0.stack.types, { group: "fortress", stack: "vsync-secure", n: 3, maxDatagram: 60_000 });
    const view = m0.view.id;
    const sealed = (seq: number): Packet => ({ headers: { origin: "encrypt", encrypt: { type: "Sealed", view, seq } } as never, payload: "\u0000".repeat(40) + "evil" });
    const unsealed: Packet = { headers: { origin: "application", bottom: { type: "Cast", view } } as never, payload: "evil" };
    // The outsider takes member 2's address, and sends what it can make without a key, and what it recorded.
    const outsider = createSocket("udp4");
    sockets.push(outsider);
    await new Promise<void>((done) => outsider.bind(ports[2]!, "127.0.0.1", () => done()));
    const datagrams = [...range(10).map((seq) => wire.encode(2, [sealed(seq)])), wire.encode(2, [unsealed]), ...fromTwo];
    for (const d of datagrams) outsider.send(d, ports[0]!, "127.0.0.1");
    const counted = () => rejected(m0, "forged") + rejected(m0, "unsealed") + rejected(m0, "otherView");
    await until(() => counted() >= datagrams.length, "member 0 rejects the outsider's datagrams");
    // A stranger's address is refused before any key is tried.
    const stranger = createSocket("udp4");
    sockets.push(stranger);
    await new Promise<void>((done) => stranger.bind(ports[3]!, "127.0.0.1", () => done()));
    stranger.send(wire.encode(1, [sealed(0)]), ports[0]!, "127.0.0.1");
    await until(() => m0.counters.dropped["unknown sender"] >= 1, "member 0 drops the stranger's datagram");
    // A replay of member 1's own datagram of this view, as a spoofed source would deliver it.
    const fromOne = taps[0]!.control.received.filter((r) => r.from === 1).at(-1)!.bytes;
    taps[0]!.control.inject(fromOne, 1);

    await new Promise((r) => setTimeout(r, 100));
    expect(got[0]!.filter((x) => x.includes("evil"))).toEqual([]);
    expect(rejected(m0, "forged")).toBeGreaterThanOrEqual(10);
    expect(rejected(m0, "unsealed")).toBe(1);
    expect(rejected(m0, "otherView")).toBeGreaterThanOrEqual(fromTwo.length);
    expect(rejected(m0, "replayed")).toBeGreaterThanOrEqual(1);
    console.log(`secure e2e: member 0 rejected ${JSON.stringify(m0.rejected)}; wire drops ${JSON.stringify(m0.counters.dropped)}`);
  }, 40_000);
});

describe("a member excluded by a view change", () => {
  it("never holds the next view's key, and cannot open its datagrams", async () => {
    const n = 3;
    const net = memoryNetwork(n);
    const taps = net.map((t) => tap(t));
    const security = keyList(n);
    members.push(...(await Promise.all(range(n).map((rank) => join({ group: "fortress", stack: "vsync-secure", peers: localPeers(n, 9400), rank, security: security[rank]!, transport: taps[rank]!.transport, timerScale: 0.25 })))));
    const [m0, m1, m2] = members as [Member, Member, Member];
    const got = members.map(deliveredOf);
    for (const m of members) m.cast("hello");
    await until(() => got.every((g) => g.length === 3), "everyone delivers view 0's casts");
    taps[2]!.control.silent = true; // member 2 goes silent, and keeps listening
    await until(() => viewOf(m0) === "0,1" && viewOf(m1) === "0,1", "members 0 and 1 exclude the silent member");
    const mark = taps[1]!.control.received.length;
    m0.cast("secret of the new view");
    await until(() => got[1]!.includes("0:secret of the new view"), "member 1 delivers the new view's cast");
    const newView = taps[1]!.control.received.slice(mark).filter((r) => r.from === 0);
    expect(newView.length).toBeGreaterThan(0);

    type EncryptState = { readonly key: string; readonly pending: readonly { readonly view: number; readonly key: string }[] };
    const excluded = (m2.state.layers as unknown as { encrypt: EncryptState }).encrypt;
    const held = [excluded.key, ...excluded.pending.map((p) => p.key)].filter((k) => k !== "");
    const current = (m0.state.layers as unknown as { encrypt: EncryptState }).encrypt.key;
    expect(held).not.toContain(current);
    // Every key member 2 holds, tried on every sealed text of the new view: none opens.
    const crypto = groupCrypto(security[2]!, { group: "fortress", n, rank: 2 });
    const wire = new Wire(m2.stack.types, { group: "fortress", stack: "vsync-secure", n, maxDatagram: 60_000 });
    let tried = 0;
    for (const { bytes } of newView) {
      const decoded = wire.decode(bytes);
      if (!decoded.ok) throw new Error(decoded.detail);
      for (const packet of decoded.packets) {
        const h = (packet.headers as unknown as { encrypt: { view: number; seq?: number } }).encrypt;
        for (const key of [...held, crypto.pairKey(2, 0), crypto.pairKey(2, 1)]) {
          tried++;
          expect(crypto.open(key, `d/${h.view}/0/${h.seq ?? 0}`, packet.payload ?? "")).toBeUndefined();
        }
      }
    }
    expect(tried).toBeGreaterThan(0);
    // Handed those datagrams, member 2 delivers nothing of them.
    for (const { bytes } of newView) taps[2]!.control.inject(bytes, 0);
    expect(got[2]!.some((x) => x.includes("secret"))).toBe(false);
  }, 30_000);
});

describe("a secure member under a storm of bad datagrams", () => {
  it("never crashes, keeps a valid state, counts everything, and its group goes on working", async () => {
    const n = 3;
    const net = memoryNetwork(n);
    const taps = net.map((t) => tap(t));
    const security = keyList(n);
    members.push(...(await Promise.all(range(n).map((rank) => join({ group: "fuzz", stack: "vsync-secure", peers: localPeers(n, 9500), rank, security: security[rank]!, transport: taps[rank]!.transport, timerScale: 0.25, fragment: 64 })))));
    const [m0, m1] = members as [Member, Member, Member];
    const got = members.map(deliveredOf);
    for (let i = 0; i < 20; i++) {
      for (const m of members) m.cast(`cast ${i} of ${m.rank}: long enough to travel in two pieces, or three, at sixty-four bytes a piece`);
      await new Promise((r) => setImmediate(r));
    }
    await until(() => got.every((g) => g.length === 60), "everyone delivers the first casts");
    // What the members sent one another: genuine datagrams, to mutate and replay.
    const pool = taps.flatMap((t) => t.control.received.map((r) => r.bytes));
    expect(pool.length).toBeGreaterThan(20);
    const errors: Error[] = [];
    m0.on("error", (e) => errors.push(e));
    const random = Random.seeded(14);
    const total = 25_000;
    const before = m0.counters.datagramsIn;
    for (let i = 0; i < total; i++) {
      const bytes = mutate(random, pool);
      taps[0]!.control.inject(bytes, random.int(1, 2));
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    const c = m0.counters;
    expect(c.datagramsIn - before).toBeGreaterThanOrEqual(total);
    expect(c.accepted + totalDropped(c)).toBe(c.datagramsIn);
    assertType(m0.stack.stateType, m0.state, "member 0's stack state");
    for (const reason of ["forged", "replayed"] as const) expect(rejected(m0, reason), reason).toBeGreaterThan(0);
    expect(got[0]!.length).toBe(60);
    console.log(`secure fuzz: ${total} datagrams; wire drops ${JSON.stringify(c.dropped)}; rejected ${JSON.stringify(m0.rejected)}; ${c.stackErrors} refused by the stack`);
    expect(errors.length).toBe(c.stackErrors);
    // Still a working group: a cast of member 1 reaches member 0.
    m1.cast("after the storm");
    await until(() => got[0]!.includes("1:after the storm"), "member 0 delivers member 1's cast after the storm");
  }, 60_000);
});


describe("total-secure members", () => {
  it("deliver every cast in one order, sealed as vsync-secure's are, and switch protocols as total's do", async () => {
    const n = 3;
    const net = memoryNetwork(n);
    members.push(...(await Promise.all(range(n).map((rank) => join({ group: "ordered", stack: "total-secure", peers: localPeers(n, 9600), rank, security: { secret: "an ordered group's secret" }, transport: net[rank]!, timerScale: 0.25 })))));
    const got = members.map(deliveredOf);
    for (let i = 0; i < 10; i++) for (const m of members) m.cast(`${i}`);
    await until(() => got.every((g) => g.length === 30), "every member delivers every cast");
    expect(got[1]).toEqual(got[0]);
    expect(got[2]).toEqual(got[0]);
    // The total stack's switch works sealed too: the group moves to the rotating sequencer, and goes on in one order.
    expect(members.map((m) => m.protocol)).toEqual(["sequencer", "sequencer", "sequencer"]);
    members[1]!.switchProtocol("token");
    await until(() => members.every((m) => m.protocol === "token"), "every member runs the rotating sequencer");
    for (let i = 10; i < 20; i++) for (const m of members) m.cast(`${i}`);
    await until(() => got.every((g) => g.length === 60), "every member delivers every cast after the switch");
    expect(got[1]).toEqual(got[0]);
    expect(got[2]).toEqual(got[0]);
  }, 30_000);
});
