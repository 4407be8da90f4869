// vsync members in one process (an in-process network, fast timers): a member cut off is excluded,
// told so when the cut heals, rejoins and gets the group's state; a partition 2|2 heals into one
// view; a member leaves cleanly. Every member keeps a ledger of its deliveries as its application
// state, and at the end all ledgers agree.

import { describe, expect, it } from "vitest";
import { range } from "../../ioa/index.ts";
import { fnv1a32, join, localPeers, memoryNetwork, type Member, type Snapshot, type TransferEvent } from "../../runtime/index.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { services } from "../../specs/services.ts";
import { closedAfterEach, serviceVerdicts, until } from "../support/runtime.ts";

const { members } = closedAfterEach();

/** A ledger of deliveries: a count and an order-insensitive digest. */
class Ledger {
  count = 0;
  digest = 0;
  add(sender: number, seq: number) {
    this.count++;
    this.digest = (this.digest + fnv1a32(`${sender}/${seq}`)) >>> 0;
  }
  snapshot = () => ({ count: this.count, digest: this.digest });
  restore = (s: Snapshot) => {
    ({ count: this.count, digest: this.digest } = s as { count: number; digest: number });
  };
  toString = () => `${this.count}:${this.digest}`;
}

async function group(n: number, settings: { readonly slander?: boolean; readonly traces?: readonly string[] } = {}) {
  const net = memoryNetwork(n);
  const ledgers = range(n).map(() => new Ledger());
  members.push(...(await Promise.all(range(n).map((rank) => join({ group: "m", stack: "vsync", peers: localPeers(n, 9300), rank, transport: net[rank]!, timerScale: 0.1, state: ledgers[rank]!, ...(settings.slander && { slander: true }), ...(settings.traces && { trace: settings.traces[rank]! }) })))));
  const log = members.map(() => [] as string[]);
  /** Every view each member installed, in order. */
  const views = members.map(() => [] as string[]);
  members.forEach((m, p) => {
    m.on("view", (v) => views[p]!.push(v.members.toArray().join()));
    m.on("suspect", (q) => log[p]!.push(`suspects ${q.toArray().join()}`));
    m.on("deliver", (d) => ledgers[p]!.add(d.sender, d.seq));
    m.on("excluded", (v) => log[p]!.push(`excluded by ${v.members.toArray().join()}`));
    m.on("transfer", (t: TransferEvent) => log[p]!.push(`${t.role} ${t.donor}`));
    m.on("error", (e) => log[p]!.push(`error ${e.message}`));
  });
  const caster = setInterval(() => members.forEach((m, p) => m.cast(`${p}`)), 20);
  const viewOf = (p: number) => members[p]!.view.members.toArray().join();
  /** Stops casting, waits until every member has delivered the same count, and returns the ledgers. */
  const settle = async () => {
    clearInterval(caster);
    await until(() => new Set(ledgers.map(String)).size === 1, `the ledgers agree: ${ledgers.map(String).join(" ")}`, 10_000).catch(() => undefined);
    return ledgers.map(String);
  };
  return { ledgers, log, views, viewOf, settle, stop: () => clearInterval(caster) };
}

const cut = (sides: number[][]) => sides.forEach((side) => side.forEach((p) => members[p]!.partition(side)));
const heal = () => members.forEach((m) => m.heal());

describe("vsync members: exclusion, rejoin, partitions, leave, with state transfer", () => {
  // (A member cut off but running suspects the others itself and goes on alone: it is not told it was
  // excluded — a member stopped with SIGSTOP is, in the end-to-end tests — but its view changed
  // apart, so it takes the group's state when it rejoins.)
  it("a member cut off goes on alone while the others exclude it; when the cut heals it rejoins and restores the group's state", async () => {
    const g = await group(4);
    await until(() => members.every((m) => m.counters.packetsIn > 50), "the group runs");
    cut([[0, 1, 2], [3]]);
    await until(() => [0, 1, 2].every((p) => g.viewOf(p) === "0,1,2"), "the others install {0, 1, 2}", 10_000);
    await until(() => g.viewOf(3) === "3", "member 3 installs {3}", 10_000);
    heal();
    await until(() => range(4).every((p) => g.viewOf(p) === "0,1,2,3"), "all four are in one view again", 15_000);
    await until(() => g.log[3]!.includes("receiver 0"), "member 3 restores member 0's state", 5_000);
    const ledgers = await g.settle();
    expect(new Set(ledgers).size, ledgers.join(" ")).toBe(1);
    expect(g.log.flat().filter((l) => l.startsWith("error"))).toEqual([]);
  }, 40_000);

  it("a partition 2|2: each side installs its own view and goes on; the heal merges them, the right side taking the left's state", async () => {
    const g = await group(4);
    await until(() => members.every((m) => m.counters.packetsIn > 50), "the group runs");
    cut([[0, 1], [2, 3]]);
    await until(() => g.viewOf(0) === "0,1" && g.viewOf(1) === "0,1" && g.viewOf(2) === "2,3" && g.viewOf(3) === "2,3", "each side installs its own view", 10_000);
    const apart = g.ledgers.map((l) => l.count);
    await until(() => g.ledgers.every((l, p) => l.count > apart[p]! + 20), "each side keeps delivering", 5_000);
    heal();
    await until(() => range(4).every((p) => g.viewOf(p) === "0,1,2,3"), "the heal merges the sides", 15_000);
    await until(() => [2, 3].every((p) => g.log[p]!.includes("receiver 0")), "the right side restores member 0's state", 5_000);
    const ledgers = await g.settle();
    expect(new Set(ledgers).size, ledgers.join(" ")).toBe(1);
  }, 40_000);

  // Members 1 and 2 stop hearing each other (member 1 drops every datagram to or from 2), while the
  // coordinator, 0, hears both.
  const cutBetween1And2 = () => members[1]!.partition([0, 1]);

  it("without slander, two members that cannot hear each other suspect each other, and no view leaves either out", async () => {
    const g = await group(3);
    await until(() => members.every((m) => m.counters.packetsIn > 20), "the group runs");
    cutBetween1And2();
    await until(() => g.log[1]!.includes("suspects 2") && g.log[2]!.includes("suspects 1"), "1 and 2 suspect each other", 5_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(range(3).map(g.viewOf)).toEqual(["0,1,2", "0,1,2", "0,1,2"]);
    expect(g.views.flat()).toEqual([]);
    g.stop();
  }, 20_000);

  it("with slander, the coordinator hears of the suspicion and leaves one of the two out; while the cut lasts, the one out merges back and one is left out again; after it, one view and the same deliveries", async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), "troupe-slander-"));
    const traces = range(3).map((p) => joinPath(dir, `p${p}.jsonl`));
    const g = await group(3, { slander: true, traces });
    await until(() => members.every((m) => m.counters.packetsIn > 20), "the group runs");
    cutBetween1And2();
    const apart = (p: number) => g.views[0]!.includes(`0,${p}`) && g.views[p]!.includes(`0,${p}`);
    await until(() => apart(1) || apart(2), `0 and one of 1, 2 install a view without the other (views: ${JSON.stringify(g.views)})`, 5_000);
    const left = apart(1) ? 2 : 1;
    await until(() => g.log[left]!.some((l) => l.startsWith("excluded by")), `member ${left} is told it was excluded`, 5_000);
    await until(() => g.views[0]!.filter((v) => v === "0,1,2").length >= 1, `member ${left} merges back (views of 0: ${g.views[0]!.join(" ")})`, 5_000);
    const counts = g.ledgers.map((l) => l.count);
    await until(() => g.ledgers.every((l, p) => l.count > counts[p]! + 20), "every member keeps delivering", 5_000);
    members[1]!.heal();
    await until(() => range(3).every((p) => g.viewOf(p) === "0,1,2"), `one view of the three after the cut heals (views now: ${range(3).map(g.viewOf).join(" | ")})`, 10_000);
    const views = g.views.map((v) => v.length);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(g.views.map((v) => v.length), "no view change once the cut healed").toEqual(views);
    const ledgers = await g.settle();
    expect(new Set(ledgers).size, ledgers.join(" ")).toBe(1);
    expect(g.log.flat().filter((l) => l.startsWith("error"))).toEqual([]);
    // Every view change, exclusions and merges alike, judged by the vsync service on the members' recorded traces.
    await Promise.all(members.splice(0).map((m) => m.close()));
    const verdicts = serviceVerdicts(services.vsync, traces, 3);
    expect(Object.entries(verdicts).filter(([, verdict]) => verdict !== "holds")).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 40_000);

  it("a member leaves cleanly: the others install a view without it and leave() resolves \"left\"", async () => {
    const g = await group(3);
    await until(() => members.every((m) => m.counters.packetsIn > 20), "the group runs");
    const outcome = await members[2]!.leave();
    expect(outcome).toBe("left");
    await until(() => [0, 1].every((p) => g.viewOf(p) === "0,1"), "the others install {0, 1}", 5_000);
    g.stop();
  }, 20_000);
});
