// State transfer's rule and protocol, member by member, with the messages passed by hand: who
// gives, who keeps, who restores; deliveries held until restored; bad snapshots and failing hooks
// are errors, never crashes.

import { describe, expect, it } from "vitest";
import { ISet } from "../../ioa/index.ts";
import { decodeSnapshot, encodeSnapshot, StateTransfer, type JsonValue, type Snapshot, type TransferEvent } from "../../runtime/index.ts";
import type { View } from "../../specs/group.ts";

interface Node {
  readonly transfer: StateTransfer;
  state: JsonValue;
  /** What the application saw, in order: deliveries and restores. */
  readonly seen: string[];
  readonly errors: string[];
  readonly events: TransferEvent[];
}

/** Members 0..n-1 whose runtime messages queue in `wire` until `run` passes them on (casts to every member of the view, in order). */
function harness(n: number, options: { needs?: (p: number) => boolean; hooks?: (p: number) => boolean; restoreFails?: boolean; snapshotOf?: (p: number) => Snapshot; max?: number } = {}) {
  const wire: { from: number; to: number[]; body: Uint8Array }[] = [];
  let view: View = { id: 0, members: ISet.empty() };
  const nodes: Node[] = [];
  for (let p = 0; p < n; p++) {
    const node = { state: `state of ${p}` as JsonValue, seen: [] as string[], errors: [] as string[], events: [] as TransferEvent[] } as Node & { transfer: StateTransfer };
    const hooks = options.hooks?.(p) === false ? undefined : {
      snapshot: () => options.snapshotOf?.(p) ?? node.state,
      restore: (s: Snapshot) => {
        if (options.restoreFails) throw new Error("the application refuses");
        node.state = s as JsonValue;
        node.seen.push(`restored ${JSON.stringify(s)}`);
      },
    };
    node.transfer = new StateTransfer(p, hooks, {
      cast: (body) => wire.push({ from: p, to: view.members.toArray(), body }),
      send: (to, body) => wire.push({ from: p, to: [to], body }),
      error: (e) => node.errors.push(e.message),
      transferred: (e) => node.events.push(e),
    }, options.max ?? 1 << 20, options.needs?.(p) ?? false);
    nodes.push(node);
  }
  return {
    nodes,
    /** Each of `members` installs `next`, coming from its own previous view. */
    install(next: View, prevOf: (p: number) => View) {
      view = next;
      for (const p of next.members) nodes[p]!.transfer.viewInstalled(prevOf(p), next);
    },
    /** Passes on every queued message (and those they cause), oldest first; what `pass` holds back stays queued. */
    run(pass: (m: { from: number; to: number[] }, to: number) => boolean = () => true) {
      const kept: typeof wire = [];
      for (let i = 0; i < wire.length; i++) {
        const m = wire[i]!;
        const later = m.to.filter((q) => !pass(m, q));
        for (const q of m.to) if (!later.includes(q)) nodes[q]!.transfer.message(m.from, m.body);
        if (later.length > 0) kept.push({ ...m, to: later });
      }
      wire.length = 0;
      wire.push(...kept);
    },
    deliver(p: number, text: string) {
      nodes[p]!.transfer.deliver(() => nodes[p]!.seen.push(text));
    },
  };
}

const v = (id: number, ...members: number[]): View => ({ id, members: ISet.of(...members) });

describe("state transfer", () => {
  it("a join: the lowest-ranked member with state gives it; members of its previous view keep theirs; the newcomer restores before it delivers", () => {
    const h = harness(4, { needs: (p) => p === 3 });
    const old = v(0, 0, 1, 2);
    h.install(v(10, 0, 1, 2, 3), (p) => (p === 3 ? v(3, 3) : old));
    for (let p = 0; p < 4; p++) h.deliver(p, "m1");
    expect(h.nodes.map((x) => x.seen)).toEqual([[], [], [], []]);
    h.run();
    expect(h.nodes.map((x) => x.seen)).toEqual([["m1"], ["m1"], ["m1"], ['restored "state of 0"', "m1"]]);
    expect(h.nodes[3]!.transfer.needsState).toBe(false);
    expect(h.nodes[0]!.events).toEqual([{ view: 10, role: "donor", donor: 0, to: [3], bytes: expect.any(Number) }]);
    expect(h.nodes.flatMap((x) => x.errors)).toEqual([]);
  });

  it("a newcomer of the lowest rank does not give its (empty) state: the next member does", () => {
    const h = harness(3, { needs: (p) => p === 0 });
    h.install(v(11, 0, 1, 2), (p) => (p === 0 ? v(0, 0) : v(1, 1, 2)));
    h.run();
    expect(h.nodes[0]!.state).toBe("state of 1");
    expect(h.nodes[2]!.state).toBe("state of 2");
  });

  it("a merge of two partitions: the side of the donor keeps its state, the other side takes it, even a member whose snapshot came before the boundaries", () => {
    const h = harness(4);
    h.install(v(20, 0, 1, 2, 3), (p) => (p < 2 ? v(12, 0, 1) : v(14, 2, 3)));
    // Member 3 gets the snapshot before member 0's boundary.
    h.run((m, to) => !(m.from === 0 && m.to.length > 1 && to === 3));
    expect(h.nodes[3]!.state).toBe("state of 3");
    h.run();
    expect(h.nodes.map((x) => x.state)).toEqual(["state of 0", "state of 1", "state of 0", "state of 0"]);
    expect(h.nodes[0]!.events.flatMap((e) => e.to)).toEqual([2, 3]);
  });

  it("when every member was excluded, the lowest-ranked with stale state gives it; the others of its previous view keep theirs", () => {
    const h = harness(4);
    for (const x of h.nodes) x.transfer.excluded();
    h.install(v(20, 0, 1, 2, 3), (p) => (p < 2 ? v(12, 0, 1) : v(14, 2, 3)));
    h.run();
    expect(h.nodes.map((x) => x.state)).toEqual(["state of 0", "state of 1", "state of 0", "state of 0"]);
    expect(h.nodes.map((x) => x.transfer.needsState)).toEqual([false, false, false, false]);
    expect(h.nodes.flatMap((x) => x.errors)).toEqual([]);
  });

  it("a member whose restore throws, or that gets an undecodable or oversized snapshot, reports an error, delivers what it held, and still needs state", () => {
    const failing = harness(2, { needs: (p) => p === 1, restoreFails: true });
    failing.install(v(5, 0, 1), (p) => v(p, p));
    failing.deliver(1, "m");
    failing.run();
    expect(failing.nodes[1]!.errors).toEqual(["state transfer: restoring member 0's snapshot of view 5 failed: the application refuses"]);
    expect(failing.nodes[1]!.seen).toEqual(["m"]);
    expect(failing.nodes[1]!.transfer.needsState).toBe(true);

    const big = harness(2, { needs: (p) => p === 1, snapshotOf: () => new Uint8Array(2000), max: 1000 });
    big.install(v(5, 0, 1), (p) => v(p, p));
    big.run();
    expect(big.nodes[0]!.errors).toEqual(["state transfer: the snapshot for view 5 could not be taken: the snapshot is 2000 bytes, more than the 1000 allowed (maxSnapshot)"]);
    expect(big.nodes[1]!.errors).toEqual(["state transfer: the snapshot member 0 sent for view 5 is an error: the donor (member 0) could not take its snapshot: the snapshot is 2000 bytes, more than the 1000 allowed (maxSnapshot)"]);

    expect(decodeSnapshot(Uint8Array.of(2, 0, 0, 0, 9, 1), 100)).toBe("is truncated: its header says 9 bytes, 1 are left");
    const json = encodeSnapshot(3, { a: 1 }, 100);
    expect(decodeSnapshot(json, 100)).toEqual({ view: 3, snapshot: { a: 1 } });
    expect(decodeSnapshot(json.subarray(0, json.length - 1), 100)).toMatch(/^is not valid JSON/);
    expect(decodeSnapshot(encodeSnapshot(3, Uint8Array.of(1, 2), 100), 100)).toEqual({ view: 3, snapshot: Uint8Array.of(1, 2) });
  });

  it("no member with state: nothing is held, and a newcomer with hooks is told", () => {
    const h = harness(2, { needs: () => true });
    h.install(v(5, 0, 1), (p) => v(p, p));
    h.deliver(0, "m");
    h.run();
    expect(h.nodes[0]!.seen).toEqual(["m"]);
    expect(h.nodes[0]!.errors).toEqual(["state transfer: no member of view 5 has state to give (every member is a newcomer or has no state hooks)"]);
  });

  it("a view change before the snapshot arrives: the newcomer drops what it held and gets the next view's snapshot", () => {
    const h = harness(3, { needs: (p) => p === 2 });
    h.install(v(5, 0, 1, 2), (p) => (p === 2 ? v(2, 2) : v(0, 0, 1)));
    h.run((m) => m.to.length > 1); // the boundaries, not the snapshot
    h.deliver(2, "lost with the view");
    h.nodes[0]!.state = "later state of 0";
    h.install(v(8, 0, 1, 2), () => v(5, 0, 1, 2));
    h.run();
    expect(h.nodes[2]!.seen).toEqual(['restored "later state of 0"']);
    expect(h.nodes[2]!.transfer.needsState).toBe(false);
  });
});
