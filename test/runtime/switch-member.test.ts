// Switching total order protocols through the member API, members in one process.

import { describe, expect, it } from "vitest";
import { range } from "../../ioa/index.ts";
import { ConfigError, join, localPeers, memoryNetwork, type Member } from "../../runtime/index.ts";
import { closedAfterEach, until } from "../support/runtime.ts";

const { members } = closedAfterEach();

const group = async (n: number, stack: "total" | "fifo") => {
  const net = memoryNetwork(n);
  const joined = await Promise.all(range(n).map((rank) => join({ group: "switch", stack, peers: localPeers(n, 9200), rank, transport: net[rank]!, timerScale: 0.05 })));
  members.push(...joined);
  return joined;
};

describe("switchProtocol", () => {
  it("moves every member of a total group from the sequencer to the rotating sequencer at one view, and they go on delivering one order", async () => {
    const ms = await group(3, "total");
    expect(ms.map((m) => m.protocol)).toEqual(["sequencer", "sequencer", "sequencer"]);
    const orders = ms.map(() => [] as string[]);
    ms.forEach((m, p) => m.on("deliver", (d) => orders[p]!.push(`${d.sender}/${d.seq}`)));
    for (let i = 0; i < 20; i++) for (const m of ms) m.cast(`before ${i}`);
    ms[2]!.switchProtocol("token");
    await until(() => ms.every((m) => m.protocol === "token"), "every member runs the rotating sequencer");
    expect(new Set(ms.map((m) => m.view.id)).size).toBe(1);
    for (let i = 0; i < 20; i++) for (const m of ms) m.cast(`after ${i}`);
    await until(() => orders.every((o) => o.length === 120), "every member delivers every cast");
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
  });

  it("refuses a protocol the group does not have, and a stack that cannot switch, naming what can", async () => {
    const [t] = await group(1, "total");
    expect(() => t!.switchProtocol("paxos" as never)).toThrow(ConfigError);
    expect(() => t!.switchProtocol("paxos" as never)).toThrow(/there is no protocol "paxos"; the protocols are sequencer, token/);
    await t!.close();
    const [f] = await group(1, "fifo");
    expect(f!.protocol).toBeUndefined();
    expect(() => f!.switchProtocol("token")).toThrow(/the fifo stack cannot switch protocols; the stacks that can are total, total-token, total-secure/);
  });
});
