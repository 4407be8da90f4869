import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assertType, range } from "../../ioa/index.ts";
import { ConfigError, freePorts, join, localPeers, memoryNetwork, parseFaultRates, totalDropped, type JoinOptions, type Member } from "../../runtime/index.ts";
import { closedAfterEach, fifoVerdicts, until } from "../support/runtime.ts";

const { members } = closedAfterEach();
let dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(joinPath(tmpdir(), "troupe-runtime-"));
  dirs.push(dir);
  return dir;
}

/** A group of `n` members on an in-process network; `delivered[p][q]` lists what p delivered from q, as "seq:text". */
async function group(n: number, options: (rank: number) => Partial<JoinOptions> = () => ({})) {
  const net = memoryNetwork(n);
  const joined = await Promise.all(range(n).map((rank) => join({ group: "test", peers: localPeers(n, 9000), rank, transport: net[rank]!, timerScale: 0.02, ...options(rank) })));
  members.push(...joined);
  const delivered = joined.map(() => range(n).map(() => [] as string[]));
  joined.forEach((m, p) => m.on("deliver", (d) => delivered[p]![d.sender]!.push(`${d.seq}:${d.text()}`)));
  return { joined, delivered };
}

const expected = (q: number, casts: number) => range(casts).map((i) => `${i + 1}:m${i + 1} from ${q}`);

describe("members of a group", () => {
  it("deliver every cast of every member, in order, once, over a network that loses, duplicates and reorders; their traces satisfy the FIFO service", async () => {
    const dir = tempDir();
    const n = 3;
    const casts = 40;
    const files = range(n).map((p) => joinPath(dir, `node-${p}.jsonl`));
    const { joined, delivered } = await group(n, (rank) => ({ trace: files[rank]!, faults: { drop: 0.2, duplicate: 0.1, delay: 0.2, maxDelay: 5, seed: rank + 1 } }));
    for (let i = 1; i <= casts; i++) {
      for (const m of joined) m.cast(`m${i} from ${m.rank}`);
      await new Promise((r) => setImmediate(r)); // so that casts go in many datagrams, for the faults to hit
    }
    await until(() => delivered.every((row) => row.every((list) => list.length >= casts)), "every member delivers every cast");
    for (const p of range(n)) for (const q of range(n)) expect(delivered[p]![q]).toEqual(expected(q, casts));
    for (const m of joined) assertType(m.stack.stateType, m.state, `state of member ${m.rank}`);
    const faults = joined.map((m) => m.counters.faults);
    expect(faults.every((f) => f.dropped > 5 && f.duplicated > 0 && f.delayed > 2)).toBe(true);
    await Promise.all(joined.map((m) => m.close()));
    expect(fifoVerdicts(files, n, true)).toEqual({ fifo: "holds", deliveryIntegrity: "holds", noDuplication: "holds", fifoOrder: "holds", reliableFifo: "holds" });
    // The same recordings with two deliveries of member 2 swapped: the service must reject them.
    const lines = readFileSync(files[2]!, "utf8").trim().split("\n");
    const deliveries = lines.flatMap((l, i) => (l.includes('"deliver"') && l.includes('"from":0') ? [i] : []));
    [lines[deliveries[3]!], lines[deliveries[4]!]] = [lines[deliveries[4]!]!, lines[deliveries[3]!]!];
    writeFileSync(files[2]!, `${lines.join("\n")}\n`);
    expect(fifoVerdicts(files, n, true).fifoOrder).toBe("p2 delivers message { sender: 0, seq: 4 } of p0 after message { sender: 0, seq: 5 } of p0, but p0 cast it before");
  });

  it("send to one member, in order, and receive JSON", async () => {
    const { joined } = await group(2, () => ({ faults: { drop: 0.3, seed: 5 } }));
    const received: unknown[] = [];
    joined[1]!.on("receive", (d) => received.push(d.json()));
    for (let i = 0; i < 20; i++) joined[0]!.sendJson(1, { i, tag: "ü" });
    await until(() => received.length === 20, "member 1 receives 20 sends");
    expect(received).toEqual(range(20).map((i) => ({ i, tag: "ü" })));
  });

  it("carry any payload bytes, including long ones that travel in pieces", async () => {
    const { joined } = await group(2, () => ({ fragment: 100 }));
    const payload = Uint8Array.from(range(1000), (i) => (i * 7) % 256);
    const got: Uint8Array[] = [];
    joined[1]!.on("deliver", (d) => got.push(d.data));
    joined[0]!.cast(payload);
    await until(() => got.length === 1, "the long cast arrives");
    expect(Buffer.from(got[0]!).equals(Buffer.from(payload))).toBe(true);
  });

  it("batch the packets of many runs into few datagrams, unless told to send at once", async () => {
    const datagrams = async (batching: boolean) => {
      const { joined, delivered } = await group(2, () => ({ batching, packing: 0 }));
      for (let i = 1; i <= 50; i++) joined[0]!.cast(`m${i}`);
      await until(() => delivered[1]![0]!.length === 50, "50 casts arrive");
      const out = joined[0]!.counters.datagramsOut;
      await Promise.all(members.splice(0).map((m) => m.close()));
      return out;
    };
    const batched = await datagrams(true);
    const unbatched = await datagrams(false);
    expect(batched).toBeLessThan(10);
    expect(unbatched).toBeGreaterThanOrEqual(50);
  });

  it("pack the casts of a turn into few messages of the stack, which every member delivers one by one, in order", async () => {
    const casts = async (packing: number | undefined) => {
      const { joined, delivered } = await group(3, () => (packing === undefined ? {} : { packing }));
      for (let i = 1; i <= 300; i++) joined[0]!.cast(`m${i} from 0`);
      joined[1]!.cast("m1 from 1");
      await until(() => delivered.every((from) => from[0]!.length === 300 && from[1]!.length === 1), "every member delivers every cast");
      for (const p of [0, 1, 2]) expect(delivered[p]).toEqual([expected(0, 300), expected(1, 1), []]);
      // What member 2's stack delivered of member 0's: messages of the stack, not of the application.
      const mnak = joined[2]!.state.layers["mnak"] as { readonly next: readonly number[] };
      await Promise.all(members.splice(0).map((m) => m.close()));
      return mnak.next[0];
    };
    expect(await casts(undefined)).toBe(1); // 300 casts of 11-13 bytes: one pack under the 8,192 bytes of a fragment
    expect(await casts(1000)).toBe(4);
    expect(await casts(0)).toBe(300);
  });

  it("work over UDP as the README's ten lines say", async () => {
    const peers = (await freePorts(3)).map((port) => `127.0.0.1:${port}`);
    const ports = peers.map((p) => Number(p.split(":")[1]));
    const joined = await Promise.all(ports.map((port) => join({ group: "demo", stack: "fifo", peers, port })));
    members.push(...joined);
    const seen: string[] = [];
    for (const member of joined) {
      member.on("deliver", (m) => seen.push(`${member.rank}: #${m.seq} from ${m.sender}: ${JSON.stringify(m.json())}`));
      member.on("receive", (m) => seen.push(`${member.rank}: private #${m.seq} from ${m.sender}: ${[...m.data].join(",")}`));
    }
    expect(joined[0]!.castJson({ hello: "world" })).toEqual({ sender: 0, seq: 1 });
    joined[0]!.send(1, new Uint8Array([1, 2, 3]));
    await until(() => seen.length === 4, "three deliveries and a receipt");
    expect(seen.sort()).toEqual(['0: #1 from 0: {"hello":"world"}', '1: #1 from 0: {"hello":"world"}', "1: private #1 from 0: 1,2,3", '2: #1 from 0: {"hello":"world"}']);
    await Promise.all(joined.map((m) => m.close()));
    // Members 1 and 2 took datagrams of member 0's; member 0 may have closed before any answer reached it.
    expect(joined.map((m) => totalDropped(m.counters))).toEqual([0, 0, 0]);
    expect(joined.slice(1).every((m) => m.counters.accepted > 0)).toBe(true);
  });

  it("say how many of their casts flow control holds back (backlog), and deliver them all", async () => {
    const { joined, delivered } = await group(3, () => ({ packing: 0 }));
    const sender = joined[0]!;
    expect(sender.backlog).toBe(0);
    for (let i = 1; i <= 1500; i++) sender.cast(`m${i} from 0`);
    // The window (1,000 unstable casts) went down at once; the rest waits in the stack.
    expect(sender.backlog).toBe(500);
    await until(() => delivered.every((from) => from[0]!.length === 1500), "every member delivers the 1,500 casts", 20_000);
    expect(sender.backlog).toBe(0);
    expect(delivered[2]![0]).toEqual(expected(0, 1500));
  });

  it("refuse bad configurations with errors that name the option", async () => {
    const peers = localPeers(3, 9100);
    const net = memoryNetwork(3);
    const bad = (options: Partial<JoinOptions>) => join({ group: "g", peers, transport: net[0]!, ...options });
    await expect(bad({ rank: 3 })).rejects.toThrow(new ConfigError("rank 3 is not a rank of a group of 3 (0 to 2)"));
    await expect(bad({})).rejects.toThrow("give this member's rank, or its port (to find it among the peers)");
    await expect(bad({ port: 9200 })).rejects.toThrow("port 9200 is not among the peers' ports; the peers list every member, this one included");
    await expect(bad({ rank: 1, port: 9100 })).rejects.toThrow("port 9100 is not the port of member 1 (127.0.0.1:9101)");
    await expect(bad({ rank: 0, peers: ["127.0.0.1:9100", "nowhere"] })).rejects.toThrow('peer 1 "nowhere" should be host:port, with a port from 1 to 65535');
    await expect(bad({ rank: 0, stack: "seqbb" as never })).rejects.toThrow('there is no stack "seqbb"; the stacks are fifo, vsync, total');
    await expect(bad({ rank: 0, faults: { drop: 2 } })).rejects.toThrow("faults: drop=2: a rate is a probability between 0 and 1");
    await expect(bad({ rank: 0, fragment: 60_000 })).rejects.toThrow("fragment 60000 leaves no room for headers in datagrams of at most 60000 bytes");
    await expect(bad({ rank: 0, capacity: 4 })).rejects.toThrow("capacity 4: stack fifo keeps a fixed group of its founders (it has no view membership), so nobody could join; use a stack with views, such as vsync");
    await expect(bad({ rank: 0, capacity: 2 })).rejects.toThrow("capacity 2: a group holds at least its 3 founding members");
    await expect(bad({ rank: 0, contact: "127.0.0.1:9100" })).rejects.toThrow("give either the founding members (peers) or a member to join through (contact), not both");
    await expect(bad({ peers: undefined })).rejects.toThrow("give the founding members' addresses (peers), or a member's address to join through (contact)");
    expect(() => parseFaultRates("drop=0.1,loss=0.2")).toThrow('faults: "loss" is not one of drop, duplicate, delay, maxDelay, seed');
    expect(() => parseFaultRates("drop")).toThrow('faults: "drop" should be name=value');
    expect(parseFaultRates("drop=0.1, duplicate=0.05,seed=3")).toEqual({ drop: 0.1, duplicate: 0.05, seed: 3 });
    await expect(bad({ rank: 0, failureDetector: { suspect: 0 } })).rejects.toThrow("failure detector: suspect=0 should be a positive whole number of milliseconds");
    await expect(bad({ rank: 0, failureDetector: { suspect: 5000 } })).rejects.toThrow("failureDetector: stack fifo has no failure detector");
    await expect(bad({ rank: 0, slander: true })).rejects.toThrow("slander: stack fifo has no failure detector whose suspicions members could pass on; use a stack with views, such as vsync");
    const member = await bad({ rank: 0 });
    members.push(member);
    expect(() => member.send(3, "x")).toThrow("send: 3 is not a member of a group of 3");
  });
});
