import { describe, expect, it } from "vitest";
import { ISet } from "../../ioa/index.ts";
import type { Packet } from "../../layers/message.ts";
import type { StackAction } from "../../layers/stack.ts";
import { fifo } from "../../layers/stacks/fifo.ts";
import { newCounters } from "../../runtime/counters.ts";
import { Outbox } from "../../runtime/outbox.ts";
import { Wire } from "../../runtime/wire.ts";

const N = 3;
const definition = fifo();
const wire = new Wire(definition.types(N), { group: "demo", stack: "fifo", n: N, maxDatagram: 2000 });

/** The packets member 0's fifo stack transmits for `action`: a cast goes to 1 and 2, a send to one of them. */
function transmitted(action: StackAction, stack = definition.build(N, 0)): Packet {
  const { outputs } = stack.drain(stack.step(stack.startStates()[0]!, action));
  const out = outputs.find((o) => o.kind === "transmit");
  if (out?.kind !== "transmit") throw new Error("no packet");
  return out.packet;
}
const cast = transmitted({ name: "cast", p: 0, msg: "x".repeat(300) });
const send = transmitted({ name: "send", p: 0, to: 1, msg: "y".repeat(200) });
const seqnoOf = (p: Packet) => (p.headers as unknown as { mnak?: { seqno: number } }).mnak?.seqno;

/** An outbox of member 0 whose datagrams are recorded: the destination and the seqnos of the casts each holds. */
function recorded() {
  const sent: { to: number; seqnos: number[] }[] = [];
  const transport = {
    send: (to: number, bytes: Uint8Array) => {
      const decoded = wire.decode(bytes);
      if (!decoded.ok) throw new Error(decoded.reason);
      sent.push({ to, seqnos: decoded.packets.flatMap((p) => (seqnoOf(p) === undefined ? [] : [seqnoOf(p)!])) });
    },
    listen: () => {},
    close: async () => {},
  };
  return { outbox: new Outbox(wire, 0, N, transport, newCounters(), false), sent };
}

describe("the outbox", () => {
  it("sends a full datagram together with every other being filled, so that a cast reaches every member at once", () => {
    const { outbox, sent } = recorded();
    const both = ISet.of(1, 2);
    // A packet to member 1 alone makes its datagram fill before member 2's (the same cast, seqno 0, over and over).
    outbox.add(ISet.of(1), send);
    let seqno = 0;
    while (sent.length === 0 && seqno < 20) (outbox.add(both, cast), seqno++);
    expect(sent.length).toBe(2);
    expect(sent.map((d) => d.to).sort()).toEqual([1, 2]);
    expect(sent[0]!.seqnos).toEqual(sent[1]!.seqnos);
    outbox.flush();
    const casts = (to: number) => sent.filter((d) => d.to === to).flatMap((d) => d.seqnos);
    const all = Array<number>(seqno).fill(0);
    expect(casts(1)).toEqual(all);
    expect(casts(2)).toEqual(all);
  });
});
