// vsync members in one process: a member that goes silent is excluded, and the survivors' buffers
// stay bounded however much they cast after it died.

import { describe, expect, it } from "vitest";
import { range } from "../../ioa/index.ts";
import { join, localPeers, memoryNetwork, type Member, type Transport } from "../../runtime/index.ts";
import { windowSize, type Window } from "../../layers/window.ts";
import { closedAfterEach, until } from "../support/runtime.ts";

const { members } = closedAfterEach();
const turn = () => new Promise((r) => setImmediate(r));

type Buffers = { readonly mnak: { readonly sent: Window<unknown> }; readonly membership: { readonly kept: readonly Window<unknown>[] }; readonly flow: { readonly waiting: Window<unknown> } };
/** What a member's stack holds of casts: mnak's unstable own casts, membership's unstable kept casts, flow's waiting casts. */
const held = (m: Member) => {
  const layers = m.state.layers as unknown as Buffers;
  return windowSize(layers.mnak.sent) + layers.membership.kept.reduce((sum, w) => sum + windowSize(w), 0) + windowSize(layers.flow.waiting);
};

describe("vsync members", () => {
  it("exclude a member that goes silent, and then hold only what is not yet stable among themselves, however much they cast", async () => {
    const n = 4;
    const net = memoryNetwork(n);
    members.push(...(await Promise.all(range(n).map((rank) => join({ group: "vsync", stack: "vsync", peers: localPeers(n, 9100), rank, transport: net[rank]!, timerScale: 1 })))));
    const survivors = members.slice(0, -1);
    const views = members.map(() => "");
    members.forEach((m, p) => m.on("view", (v) => (views[p] = v.members.toArray().join())));
    const delivered = members.map(() => 0);
    const own = members.map(() => 0);
    members.forEach((m, p) => m.on("deliver", (d) => (delivered[p]!++, d.sender === p && own[p]!++)));
    for (let i = 0; i < 20; i++) for (const m of members) m.cast(`before ${i}`);
    await until(() => delivered.every((d) => d === 80), "every member delivers the first casts");
    await members.at(-1)!.close();
    await until(() => survivors.every((_, p) => views[p] === "0,1,2"), "the survivors exclude the silent member");
    for (let round = 0; round < 10; round++) {
      // In slices, letting the event loop turn, so that heartbeats do not wait behind hundreds of casts.
      for (let i = 0; i < 200; i++) {
        for (const m of survivors) m.cast(`after ${round}.${i}`);
        if (i % 20 === 19) await turn();
      }
      // Each delivers its own casts in whatever view it is in (a false suspicion on a loaded machine may split the group, which then merges again).
      await until(() => survivors.every((_, p) => own[p]! === 20 + 200 * (round + 1)), `the survivors deliver their own casts of round ${round} (delivered ${delivered.join(", ")}; views ${views.join(" | ")})`);
    }
    // 6,000 casts after the view change; once they are stable nothing of them is held.
    await until(() => survivors.every((m) => held(m) === 0), "the survivors' buffers empty once everything is stable", 10_000);
    expect(survivors.map(held)).toEqual([0, 0, 0]);
  }, 60_000);

  it("change views when the Install carries more casts than a datagram holds, to a member that lacks hundreds (they travel in pieces)", async () => {
    const n = 4;
    const net = memoryNetwork(n);
    // Member 2 hears nothing from member 1 until it installs the next view, and suspects nobody meanwhile (its failure detector waits a minute):
    // it lacks every cast of 1, which the flush's Install brings it — hundreds of casts of 100 bytes, in datagrams of 4,000 bytes.
    const cutOff = { from1: true };
    const lagging: Transport = { ...net[2]!, listen: (handler) => net[2]!.listen((bytes, from) => (cutOff.from1 && from === 1 ? undefined : handler(bytes, from))) };
    const patient = { suspect: 60_000, silent: 60_000 };
    const transports = net.map((t, rank) => (rank === 2 ? lagging : t));
    members.push(...(await Promise.all(range(n).map((rank) => join({ group: "vsync", stack: "vsync", peers: localPeers(n, 9100), rank, transport: transports[rank]!, timerScale: 0.2, maxDatagram: 4000, fragment: 1000, ...(rank === 2 ? { failureDetector: patient } : {}) })))));
    const survivors = members.slice(0, -1);
    const views = members.map(() => "");
    members.forEach((m, p) =>
      m.on("view", (v) => {
        views[p] = v.members.toArray().join();
        if (p === 2) cutOff.from1 = false;
      }),
    );
    const delivered = members.map(() => 0);
    members.forEach((m, p) => m.on("deliver", () => delivered[p]!++));
    await members.at(-1)!.close();
    for (let i = 0; i < 300; i++) {
      for (const m of survivors) m.cast(`${i}`.padEnd(100, "."));
      if (i % 20 === 19) await turn();
    }
    await until(() => survivors.every((_, p) => views[p] === "0,1,2"), "the survivors exclude the closed member", 20_000);
    await until(() => survivors.every((_, p) => delivered[p] === 900), "the survivors deliver every cast");
    const pieced = survivors.map((m) => m.counters.pieces);
    // The coordinator sent the Install in pieces, and the lagging member put it together.
    expect(pieced[0]!.packetsOut).toBeGreaterThan(0);
    expect(pieced[2]!.reassembled).toBeGreaterThan(0);
    expect(survivors.map((m) => m.counters.packetsTooLarge)).toEqual([0, 0, 0]);
  }, 60_000);
});
