// Tens of thousands of random and mutated datagrams at a live member over UDP: it never crashes,
// its stack state stays a value of its type, and its counters account for every datagram.

import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { assertType, Random, range } from "../../ioa/index.ts";
import { freePorts, join, memoryNetwork, totalDropped, type Member, type Transport } from "../../runtime/index.ts";
import { mutate } from "../support/datagrams.ts";
import { until } from "../support/runtime.ts";

let member: Member | undefined;
let sockets: Socket[] = [];
afterEach(async () => {
  await member?.close();
  member = undefined;
  await Promise.all(sockets.map((s) => new Promise<void>((done) => s.close(() => done()))));
  sockets = [];
});

/** Datagrams a real group sends to member 0, by sender: from an in-process run with faults. */
async function realDatagrams(peers: readonly string[]): Promise<Map<number, Uint8Array[]>> {
  const net = memoryNetwork(3);
  const captured = new Map<number, Uint8Array[]>([[1, []], [2, []]]);
  const tapped = net.map((t, rank): Transport => ({
    ...t,
    send(to, bytes) {
      if (to === 0 && rank !== 0) captured.get(rank)!.push(Uint8Array.from(bytes));
      t.send(to, bytes);
    },
    listen: (h) => t.listen(h),
    close: () => t.close(),
  }));
  const group = await Promise.all(range(3).map((rank) => join({ group: "fuzz", peers, rank, transport: tapped[rank]!, timerScale: 0.02, fragment: 8, faults: { drop: 0.2, seed: rank } })));
  let delivered = 0;
  group[0]!.on("deliver", () => delivered++);
  for (let i = 0; i < 30; i++) {
    for (const m of group) m.cast(`cast ${i} of ${m.rank}, long enough to be cut in pieces`);
    group[1]!.send(0, `send ${i}`);
    await new Promise((r) => setImmediate(r));
  }
  await until(() => delivered === 90, "the capture run delivers everything");
  await Promise.all(group.map((m) => m.close()));
  return captured;
}


function bind(port: number): Promise<Socket> {
  const s = createSocket("udp4");
  sockets.push(s);
  return new Promise((done) => s.bind(port, "127.0.0.1", () => done(s)));
}

describe("a member under a storm of bad datagrams", () => {
  it("never crashes, keeps a valid state, and counts every datagram as accepted or dropped by reason", async () => {
    const ports = await freePorts(4);
    const peers = ports.slice(0, 3).map((p) => `127.0.0.1:${p}`);
    const good = await realDatagrams(peers);
    expect(good.get(1)!.length + good.get(2)!.length).toBeGreaterThan(40);
    member = await join({ group: "fuzz", peers, rank: 0, timerScale: 0.02, fragment: 8 });
    const errors: Error[] = [];
    member.on("error", (e) => errors.push(e));
    const fakes = new Map([[1, await bind(ports[1]!)], [2, await bind(ports[2]!)]]);
    const stranger = await bind(ports[3]!);
    const random = Random.seeded(2024);
    const total = 25_000;
    let sent = 0;
    while (sent < total) {
      for (let k = 0; k < 250; k++, sent++) {
        const sender = random.chance(0.02) ? 0 : random.int(1, 2);
        const bytes = mutate(random, good.get(sender === 0 ? 1 : sender)!);
        (sender === 0 ? stranger : fakes.get(sender)!).send(bytes, ports[0]!, "127.0.0.1");
      }
      // Loopback UDP loses nothing at this pace; wait for the member to have seen the chunk.
      await until(() => member!.counters.datagramsIn === sent, `member 0 receives datagram ${sent}`);
    }
    const c = member.counters;
    expect(c.datagramsIn).toBe(total);
    expect(c.accepted + totalDropped(c)).toBe(c.datagramsIn);
    expect(c.accepted).toBeGreaterThan(total / 10);
    for (const reason of ["truncated", "oversized", "bad magic", "other version", "other group", "unknown sender", "malformed"] as const) expect(c.dropped[reason], reason).toBeGreaterThan(0);
    assertType(member.stack.stateType, member.state, "member 0's stack state");
    // Whatever the stack refused, it refused by throwing, leaving its state as it was; say how often.
    expect(errors.length).toBe(c.stackErrors);
    console.log(`fuzz: ${total} datagrams, ${c.accepted} accepted, dropped ${JSON.stringify(c.dropped)}, ${c.stackErrors} packets refused by the stack, ${c.badMessages} bad messages`);
    // Still a working member: its own cast comes back to it.
    let own = 0;
    member.on("deliver", (d) => (own += d.sender === 0 ? 1 : 0));
    member.cast("still here");
    await until(() => own === 1, "member 0 delivers its own cast");
  }, 60_000);
});
