// The failure detector's delays as a member's settings: parsed and checked, and the stack runs with
// them; a process that stalled takes the heartbeats that waited for it before it suspects anyone.

import { afterEach, describe, expect, it } from "vitest";
import { range } from "../../ioa/index.ts";
import { SUSPECT_DEFAULTS } from "../../layers/suspect.ts";
import { ConfigError, freePorts, join, localPeers, memoryNetwork, parseFailureDetector, type Member } from "../../runtime/index.ts";
import { killNodes, startNode } from "../support/nodes.ts";
import { closedAfterEach, until } from "../support/runtime.ts";

const { members } = closedAfterEach();

describe("the failure detector's settings", () => {
  it("parse any subset of the delays", () => {
    expect(parseFailureDetector("beat=50,sweep=100,suspect=300")).toEqual({ beat: 50, sweep: 100, suspect: 300 });
    expect(parseFailureDetector("silent=2000")).toEqual({ silent: 2000 });
    expect(parseFailureDetector("")).toEqual({});
  });

  it("refuse what is not a delay, naming it", () => {
    const refused = (text: string) => {
      try {
        parseFailureDetector(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error(`accepted ${text}`);
    };
    expect(refused("bet=50")).toBe('failure detector: "bet" is not one of beat, sweep, suspect, silent');
    expect(refused("beat")).toBe('failure detector: "beat" should be name=value');
    expect(refused("beat=fast")).toBe("failure detector: beat=fast is not a number");
    expect(refused("sweep=0")).toBe("failure detector: sweep=0 should be a positive whole number of milliseconds");
    expect(refused("suspect=2.5")).toBe("failure detector: suspect=2.5 should be a positive whole number of milliseconds");
    expect(refused("beat=500")).toBe(`failure detector: suspect=${SUSPECT_DEFAULTS.suspect} should be at least two heartbeats (beat=500): one lost heartbeat would make a false suspicion`);
  });

  it("are the delays of the member's stack, and a closed member is excluded with them", async () => {
    const n = 3;
    const net = memoryNetwork(n);
    const failureDetector = { beat: 20, sweep: 40, suspect: 120, silent: 400 };
    members.push(...(await Promise.all(range(n).map((rank) => join({ group: "fd", stack: "vsync", peers: localPeers(n, 9300), rank, transport: net[rank]!, failureDetector })))));
    const delays = Object.fromEntries(["beat", "sweep", "suspect", "silent"].map((timer) => [timer, members[0]!.stack.details({ name: timer === "beat" || timer === "sweep" ? "tick" : "timer", p: 0, layer: "suspect", timer }).delay]));
    expect(delays).toEqual(failureDetector);
    const views = members.map(() => "");
    members.forEach((m, p) => m.on("view", (v) => (views[p] = v.members.toArray().join())));
    await until(() => members.every((m) => m.view.id === 0), "the group starts");
    await members[2]!.close();
    await until(() => views[0] === "0,1" && views[1] === "0,1", "the survivors exclude the closed member");
  });

  it("are refused by join when wrong", async () => {
    const net = memoryNetwork(1);
    await expect(join({ group: "fd", stack: "vsync", peers: localPeers(1, 9300), rank: 0, transport: net[0]!, failureDetector: { beat: -1 } })).rejects.toThrow("failure detector: beat=-1 should be a positive whole number of milliseconds");
  });
});

describe("a group whose processes all stall at once (SIGSTOP for three times the suspect delay, then SIGCONT)", () => {
  afterEach(killNodes);
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

  it("installs no new view: each process takes the heartbeats waiting in its socket before its late timers go off", async () => {
    const n = 3;
    const peers = (await freePorts(n)).map((port) => `127.0.0.1:${port}`);
    const args = (rank: number) => ["--group", "stall", "--peers", peers.join(), "--rank", String(rank), "--stack", "vsync", "--rate", "40", "--failure-detector", "beat=100,sweep=200,suspect=1000"];
    const nodes = range(n).map((rank) => startNode(args(rank), n));
    await until(() => nodes.every((x) => range(n).every((q) => x.delivered[q]!.length > 5)), "every node delivers casts of every node", 20_000);
    const views = nodes.map((x) => x.views.length);
    for (let stall = 0; stall < 2; stall++) {
      for (const x of nodes) x.child.kill("SIGSTOP");
      await pause(3000);
      for (const x of nodes) x.child.kill("SIGCONT");
      await pause(3000);
    }
    // Before the host waited out a stall, each node's suspect timer went off as the process woke,
    // ahead of the datagrams in its socket: every stall split the group and a merge followed.
    expect(nodes.map((x, i) => x.views.length - views[i]!)).toEqual([0, 0, 0]);
    expect(nodes.every((x) => range(n).every((q) => x.delivered[q]!.length > 5 + 40))).toBe(true);
  }, 40_000);
});

