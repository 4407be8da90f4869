// The vsync stack's membership changes end to end, with separate `troupe node` processes on
// 127.0.0.1 keeping a ledger of their deliveries as application state (--state): a member stopped
// with SIGSTOP is excluded and, continued, told so, rejoins and gets the group's state; a partition
// 2|2 gives each side its own view and the heal merges them; a sixth process joins a running
// group of five through one member's address and gets the state. At the end every member's ledger
// is the same (state transfer gave each newcomer exactly the state at the view boundary), and the
// traces validate: the vsync stack's as vsync (FIFO virtual synchrony), the total stack's as vs
// and to (virtual synchrony with each view totally ordered), and where no cast is dropped at a view
// change (a join) as evs too (extended virtual synchrony; at a partition or an exclusion the total
// stack drops the casts it could not order, which EVS's self delivery, E6, forbids).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { range } from "../../ioa/index.ts";
import { freePorts } from "../../runtime/index.ts";
import { killNodes, quiet, startNode, validateAs, type NodeProcess } from "../support/nodes.ts";
import { until } from "../support/runtime.ts";

let dir = "";
afterEach(() => {
  killNodes();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

const COMMON = ["--state", "--commands", "--rate", "40"];

const hearsAll = (x: NodeProcess, members: readonly number[], casts: number) => members.every((q) => x.delivered[q]!.length >= casts);
const inView = (nodes: readonly NodeProcess[], members: string) => nodes.every((x) => x.viewNow() === members);

/**
 * Stops the casting and asks every node for its ledger until they all print the same (each has
 * delivered what the others did: the casts in flight land) or `limitMs` passes; the last ledgers.
 */
async function ledgers(nodes: readonly NodeProcess[], limitMs = 20_000): Promise<string[]> {
  for (const x of nodes) x.command("stop");
  await quiet(nodes, 1000, limitMs);
  const give = Date.now() + limitMs;
  let asked = nodes.map((x) => x.notes.length);
  for (;;) {
    for (const x of nodes) x.command("state");
    await until(() => nodes.every((x, i) => x.notes.length > asked[i]! && x.ledger() !== undefined), "every node prints its ledger");
    const now = nodes.map((x) => x.ledger()!);
    if (new Set(now).size === 1 || Date.now() > give) return now;
    asked = nodes.map((x) => x.notes.length);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.each([
  { stack: "vsync", specs: ["vsync"], whereNothingIsDropped: [] },
  { stack: "total", specs: ["vs", "to"], whereNothingIsDropped: ["evs"] },
])("$stack membership changes, separate processes on loopback", ({ stack, specs, whereNothingIsDropped }) => {
  const common = ["--stack", stack, ...COMMON];

  /** `founders` nodes of a group with `capacity` slots, each recording its trace. */
  async function startGroup(founders: number, capacity: number) {
    dir = mkdtempSync(joinPath(tmpdir(), "troupe-vsync-e2e-"));
    const ports = await freePorts(founders);
    const peers = ports.map((p) => `127.0.0.1:${p}`);
    const trace = (name: string) => joinPath(dir, `${name}.jsonl`);
    const nodes = range(founders).map((rank) => startNode(["--group", "e2e", "--peers", peers.join(), "--rank", String(rank), "--capacity", String(capacity), "--trace", trace(`node-${rank}`), ...common], capacity));
    return { nodes, peers, trace };
  }

  /** Stops the nodes (SIGTERM: each closes its trace) and judges their traces by the stack's services (and `more`). */
  async function stopAndValidate(nodes: readonly NodeProcess[], traces: readonly string[], more: readonly string[] = []) {
    for (const x of nodes) x.child.kill("SIGTERM");
    expect(await Promise.all(nodes.map((x) => x.exited))).toEqual(nodes.map(() => 0));
    for (const spec of [...specs, ...more]) {
      const verdict = validateAs(spec, traces);
      expect(verdict.out, spec).not.toContain("violated");
      expect(verdict.code, spec).toBe(0);
    }
  }

  it("(b) a member stopped with SIGSTOP is excluded; continued, it is told so, rejoins, and gets the group's state", async () => {
    const { nodes, trace } = await startGroup(4, 4);
    const [victim, ...others] = [nodes[3]!, ...nodes.slice(0, 3)];
    await until(() => nodes.every((x) => hearsAll(x, [0, 1, 2, 3], 10)), "the group delivers 10 casts of each member", 20_000);
    victim.child.kill("SIGSTOP");
    await until(() => inView(others, "0,1,2"), "the others install {0, 1, 2}", 15_000);
    await until(() => others.every((x) => hearsAll(x, [0, 1, 2], x.delivered[0]!.length > 0 ? 20 : 0)), "the others go on casting", 10_000);
    victim.child.kill("SIGCONT");
    await until(() => victim.notes.some((n) => n.startsWith("excluded")), "the continued member is told it was excluded", 15_000);
    await until(() => inView(nodes, "0,1,2,3"), "all four are in one view again", 20_000);
    await until(() => victim.notes.some((n) => n.startsWith("restored the state")), "the rejoined member restores the group's state", 10_000);
    const all = await ledgers(nodes);
    expect(new Set(all).size, all.join(" | ")).toBe(1);
    await stopAndValidate(nodes, range(4).map((r) => trace(`node-${r}`)));
  }, 90_000);

  it("(c) a partition splits 4 members 2|2: each side installs its own view and keeps casting; the heal merges them into one view", async () => {
    const { nodes, trace } = await startGroup(4, 4);
    await until(() => nodes.every((x) => hearsAll(x, [0, 1, 2, 3], 10)), "the group delivers 10 casts of each member", 20_000);
    for (const x of nodes) x.command("partition 0,1|2,3");
    const [left, right] = [nodes.slice(0, 2), nodes.slice(2)];
    await until(() => inView(left, "0,1") && inView(right, "2,3"), "each side installs its own view", 15_000);
    const before = nodes.map((x) => x.delivered.map((d) => d.length));
    await until(() => left.every((x, i) => [0, 1].every((q) => x.delivered[q]!.length >= before[i]![q]! + 20)) && right.every((x, i) => [2, 3].every((q) => x.delivered[q]!.length >= before[i + 2]![q]! + 20)), "each side delivers 20 more casts of its own members", 15_000);
    for (const x of nodes) x.command("heal");
    await until(() => inView(nodes, "0,1,2,3"), "the heal merges the sides into one view", 20_000);
    const all = await ledgers(nodes);
    expect(new Set(all).size, all.join(" | ")).toBe(1);
    // The right side took the state of the left's lowest member.
    expect(right.every((x) => x.notes.some((n) => n.startsWith("restored the state")))).toBe(true);
    await stopAndValidate(nodes, range(4).map((r) => trace(`node-${r}`)));
  }, 90_000);

  it("(d) a sixth process joins a running group of five through one member's address and gets the state", async () => {
    const { nodes, peers, trace } = await startGroup(5, 6);
    await until(() => nodes.every((x) => hearsAll(x, [0, 1, 2, 3, 4], 10)), "the group delivers 10 casts of each member", 20_000);
    const late = startNode(["--group", "e2e", "--join", peers[2]!, "--bind", "127.0.0.1:0", "--trace", trace("late"), ...common], 6);
    const all = [...nodes, late];
    await until(() => inView(all, "0,1,2,3,4,5"), "the six install one view", 20_000);
    expect(late.rank).toBe(5);
    await until(() => late.notes.some((n) => n.startsWith("restored the state")), "the newcomer restores the group's state", 10_000);
    await until(() => all.every((x) => hearsAll(x, [5], 10)), "the group delivers the newcomer's casts", 10_000);
    const ledgersNow = await ledgers(all);
    expect(new Set(ledgersNow).size, ledgersNow.join(" | ")).toBe(1);
    await stopAndValidate(all, [...range(5).map((r) => trace(`node-${r}`)), trace("late")], whereNothingIsDropped);
  }, 90_000);
});
