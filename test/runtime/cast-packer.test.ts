import { describe, expect, it } from "vitest";
import { CastPacker } from "../../runtime/cast-packer.ts";
import { openEnvelope } from "../../runtime/envelope.ts";

/** A packer whose envelopes are opened as they are cast: each cast as [first, count, the messages' payloads]. */
function packer(limit: number) {
  const cast: [number, number, string[]][] = [];
  const p = new CastPacker(limit, (envelope, first, count) => {
    const payloads: string[] = [];
    expect(openEnvelope(envelope, (seq, start, end) => (expect(seq).toBe(first + payloads.length), payloads.push(envelope.slice(start, end))))).toBe(true);
    cast.push([first, count, payloads]);
  });
  return { p, cast };
}

const turn = () => new Promise<void>((done) => setImmediate(done));

describe("the cast packer", () => {
  it("casts the casts of one turn as one pack at the end of the turn", async () => {
    const { p, cast } = packer(1000);
    for (let seq = 1; seq <= 5; seq++) p.add(seq, `m${seq}`);
    expect(cast).toEqual([]);
    expect(p.waiting).toBe(5);
    await turn();
    expect(cast).toEqual([[1, 5, ["m1", "m2", "m3", "m4", "m5"]]]);
    expect(p.waiting).toBe(0);
  });

  it("casts a cast made alone as one message, at the end of its turn", async () => {
    const { p, cast } = packer(1000);
    p.add(7, "alone");
    await turn();
    p.add(8, "next turn");
    await turn();
    expect(cast).toEqual([
      [7, 1, ["alone"]],
      [8, 1, ["next turn"]],
    ]);
  });

  it("casts a pack as soon as the next cast would take it past the limit, and a cast larger than the limit alone", async () => {
    const { p, cast } = packer(25);
    for (let seq = 1; seq <= 5; seq++) p.add(seq, "x".repeat(9)); // 10 bytes each with its length
    expect(cast).toEqual([
      [1, 2, ["xxxxxxxxx", "xxxxxxxxx"]],
      [3, 2, ["xxxxxxxxx", "xxxxxxxxx"]],
    ]);
    p.add(6, "y".repeat(40));
    expect(cast.slice(2)).toEqual([
      [5, 1, ["xxxxxxxxx"]],
      [6, 1, ["y".repeat(40)]],
    ]);
    await turn();
    expect(cast).toHaveLength(4);
  });

  it("casts what waits when asked to (before the member's other inputs), and starts a new pack when the numbers do not follow on", async () => {
    const { p, cast } = packer(1000);
    p.add(1, "a");
    p.add(2, "b");
    p.flush();
    p.flush();
    p.add(3, "c");
    p.add(9, "after a gap");
    await turn();
    expect(cast).toEqual([
      [1, 2, ["a", "b"]],
      [3, 1, ["c"]],
      [9, 1, ["after a gap"]],
    ]);
  });

  it("with a limit of 0, casts every cast at once, on its own", () => {
    const { p, cast } = packer(0);
    p.add(1, "a");
    p.add(2, "b");
    expect(cast).toEqual([
      [1, 1, ["a"]],
      [2, 1, ["b"]],
    ]);
    expect(p.waiting).toBe(0);
  });
});
