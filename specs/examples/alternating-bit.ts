// The alternating-bit protocol: reliable FIFO delivery over channels that lose and duplicate.
//
// The sender repeats the current message, tagged with a one-bit sequence number, until the
// receiver acknowledges that bit; the receiver accepts a message only if it carries the bit it
// expects, so retransmissions and duplicates are recognised and dropped. Two lossy channels
// (instances of one definition, renamed apart) carry data and acknowledgements.
//
// `fairLoss` lets the channels lose without bound: then every message is still delivered, but only
// under strong fairness — a packet that is lost every time it is sent is enabled for reception only
// now and then, which weak fairness does not mind (`troupe check alternating-bit --param fairLoss=true`
// shows the lasso; add `--param fairness=strong` to see it hold).
//
// `receiverIgnoresBit` plants the classic bug: a receiver that accepts every packet delivers
// retransmitted messages twice.

import { automaton, compose, eventuallyAlways, ParamError, isPrefixOf, model, rename, sometimes, always, t, withProperties, type Fairness } from "../../ioa/index.ts";
import { lossyChannel, type LossyChannelOptions } from "./lossy-channel.ts";

const Bit = t.int(0, 1);
const Msg = t.string();
const Packet = t.record({ bit: Bit, m: Msg });

export function sender(messages: readonly string[]) {
  return automaton("sender", { next: t.int(0), bit: Bit })
    .start({ next: 0, bit: 0 })
    .output("sendData", { m: Packet }, {
      enabled: (s) => (s.next < messages.length ? [{ m: { bit: s.bit, m: messages[s.next]! } }] : []),
    })
    .input("receiveAck", { m: Bit }, {
      next: (s, { m }) => (m === s.bit ? { next: s.next + 1, bit: 1 - s.bit } : s),
    });
}

export function receiver(ignoresBit: boolean) {
  return automaton("receiver", { expected: Bit, pending: t.array(Msg), delivered: t.array(Msg) })
    .start({ expected: 0, pending: [], delivered: [] })
    .input("receiveData", { m: Packet }, {
      next: (s, { m }) => (m.bit === s.expected || ignoresBit ? { ...s, expected: 1 - m.bit, pending: [...s.pending, m.m] } : s),
    })
    .output("sendAck", { m: Bit }, { enabled: (s) => [{ m: 1 - s.expected }] })
    .output("deliver", { m: Msg }, {
      enabled: (s) => s.pending.slice(0, 1).map((m) => ({ m })),
      next: (s, { m }) => ({ ...s, pending: s.pending.slice(1), delivered: [...s.delivered, m] }),
    });
}

export function alternatingBit(messages: readonly string[], channel: LossyChannelOptions, ignoresBit = false) {
  const fifo = { ...channel, reorders: 0 };
  return compose("alternating-bit", {
    sender: sender(messages),
    receiver: receiver(ignoresBit),
    data: rename(lossyChannel("data", Packet, fifo), { send: "sendData", receive: "receiveData", drop: "dropData", duplicate: "duplicateData" }),
    ack: rename(lossyChannel("ack", Bit, fifo), { send: "sendAck", receive: "receiveAck", drop: "dropAck", duplicate: "duplicateAck" }),
  });
}

export default model({
  name: "alternating-bit",
  description: "The alternating-bit protocol over two channels that lose and duplicate messages.",
  params: { messages: 2, capacity: 2, drops: 1, duplicates: 1, receiverIgnoresBit: false, fairLoss: false, fairness: "weak" },
  paramHelp: {
    messages: "how many messages the sender transmits",
    capacity: "packets in flight per channel at most",
    drops: "losses per channel",
    duplicates: "duplications per channel",
    receiverIgnoresBit: "plant the bug: the receiver accepts every packet",
    fairLoss: "the channels may lose any number of packets (the drop budget is ignored)",
    fairness: "the fairness under which `delivers` is judged: weak, strong or none",
  },
  build: ({ messages, capacity, drops, duplicates, receiverIgnoresBit, fairLoss, fairness }) => {
    const sent = Array.from({ length: messages }, (_, i) => `m${i + 1}`);
    const system = alternatingBit(sent, { capacity, drops, duplicates, reorders: 0, fairLoss }, receiverIgnoresBit);
    return withProperties(system, {
      prefix: always(
        (s) => isPrefixOf([...s.receiver.delivered, ...s.receiver.pending], sent.slice(0, s.sender.next + 1)),
        "what the receiver delivers is a prefix of what the sender sent",
      ),
      allDelivered: sometimes((s) => s.receiver.delivered.length === messages, "every message is delivered"),
      delivers: eventuallyAlways((s) => s.receiver.delivered.length === messages, "every message is eventually delivered", {
        fairness: fairnessParam(fairness),
        explain: (s) => `the receiver delivered ${s.receiver.delivered.length} of ${messages} messages`,
      }),
    });
  },
});

function fairnessParam(name: string): Fairness {
  if (name === "weak" || name === "strong" || name === "none") return name;
  throw new ParamError(`model alternating-bit: fairness is weak, strong or none, not "${name}"`);
}
