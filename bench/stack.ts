// Stack benchmark: the in-process ceiling of the runtime. Three `fifo` stacks (layers/stacks/fifo.ts)
// wired directly in one process, every member casting 1 KB payloads, about 100,000 casts in all.
// No sockets: what is measured is what a packet goes through inside the stack.
//
//   npm run bench:stack                      (-- --casts N --burst B --tick µs --rounds R --codec --profile)
//
// How the stacks are hosted, as the runtime hosts one:
// - a member's input (a cast, an arriving packet, a timer) runs to completion, then everything the
//   run left (deliveries, packets) is taken at once, as a host drains it after each datagram;
// - a transmitted packet goes into one FIFO network queue, and arrives at each destination in turn;
// - the application casts in rounds: every member casts `burst` messages, then the network queue
//   is emptied (every packet arrives, and every packet that causes);
// - timers run on a virtual clock that advances `tick` µs per input any member handles (default
//   10 µs, about what a real host spends on one): a timer offered by the stack is scheduled its
//   delay later (mnak 1 s, stable 0.5 s, pt2pt 1 s) and fires then if the stack still offers it.
//   So the figures do not depend on how fast this machine runs;
// - with --codec, every packet goes through the runtime's wire codec (runtime/wire.ts), encoded in a
//   datagram of its own and decoded, as a member does without batching.
//
// Figures: casts delivered per second of CPU time at the slowest member (all three run on one
// thread here, so this is the group's whole CPU cost per cast; the machine is shared, so CPU time,
// best of `rounds` runs, is the figure, and wall-clock time is shown beside it), stack inputs per
// second, peak RSS, and the CPU profile's top functions by self time (V8's sampling profiler, over
// all rounds, in this process).

import { Session } from "node:inspector/promises";
import type { ISet } from "../ioa/index.ts";
import type { Packet } from "../layers/message.ts";
import type { Stack, StackAction, StackState } from "../layers/stack.ts";
import { isStackName, STACKS, type StackName } from "../layers/stacks/index.ts";
import { Wire } from "../runtime/wire.ts";

const N = 3;
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const stackAt = process.argv.indexOf("--stack");
const stackName = stackAt > 0 ? process.argv[stackAt + 1]! : "fifo";
if (!isStackName(stackName) || stackName.endsWith("-secure")) throw new Error(`--stack: ${stackName} is not one of ${Object.keys(STACKS).filter((x) => !x.endsWith("-secure")).join(", ")}`);
const stackNamed: StackName = stackName;
const casts = arg("casts", 99_999);
const burst = arg("burst", 10);
const tick = arg("tick", 10) / 1000; // ms of virtual time per input
const withCodec = flag("codec");
const profile = flag("profile");
const rounds = arg("rounds", 3);
const payloadLength = 1024;

interface Member {
  readonly stack: Stack;
  state: StackState;
  delivered: number;
  /** Virtual ms at which each offered timer (by layer) fires. */
  readonly timers: Map<string, number>;
}

interface InFlight {
  readonly to: number;
  readonly from: number;
  readonly packet: Packet;
}

interface Totals {
  inputs: number;
  timerFirings: number;
  packets: number;
  transmits: number;
  bytes: number;
}

function makeGroup(): Member[] {
  const definition = STACKS[stackNamed].make({ maxLength: 1024 });
  return Array.from({ length: N }, (_, rank) => {
    const stack = definition.build(N, rank);
    return { stack, state: stack.startStates()[0]!, delivered: 0, timers: new Map() };
  });
}

/** A 1 KB latin1 payload: the caster, the seqno, then filler. */
function payloadOf(rank: number, i: number): string {
  const head = `${rank}:${i}:`;
  return head + "x".repeat(payloadLength - head.length);
}

interface Result {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly totals: Totals;
  /** Casts each member delivered. */
  readonly delivered: readonly number[];
}

function run(): Result {
  const members = makeGroup();
  const codec = new Wire(members[0]!.stack.types, { group: "bench", stack: stackNamed, n: N, maxDatagram: 60_000 });
  const network: InFlight[] = [];
  let head = 0;
  let now = 0;
  const totals: Totals = { inputs: 0, timerFirings: 0, packets: 0, transmits: 0, bytes: 0 };
  const offered: StackAction[] = [];

  const wire = (from: number, packet: Packet): Packet => {
    if (!withCodec) return packet;
    const bytes = codec.encode(from, [packet]);
    totals.bytes += bytes.length;
    const decoded = codec.decode(bytes);
    if (!decoded.ok) throw new Error(`the wire refused a packet of the stack: ${decoded.reason}, ${decoded.detail}`);
    return decoded.packets[0]!;
  };

  /** Takes what the last input left: deliveries are counted, packets go on the network. */
  const drain = (m: Member, rank: number) => {
    const { outputs, state } = m.stack.drain(m.state);
    m.state = state;
    for (const o of outputs) {
      if (o.kind === "deliver") m.delivered++;
      else if (o.kind === "transmit") send(rank, o.dests, o.packet);
    }
  };

  const send = (from: number, dests: ISet<number>, packet: Packet) => {
    const sent = wire(from, packet);
    for (const to of dests) network.push({ to, from, packet: sent });
    totals.packets += dests.size;
    totals.transmits++;
  };

  /** Schedules each timer the stack now offers, and fires those that are due. */
  const timers = (m: Member, rank: number) => {
    offered.length = 0;
    m.stack.enabled(m.state, offered);
    for (const a of offered) {
      if (a.name !== "timer") continue;
      const due = m.timers.get(a.layer);
      if (due === undefined) m.timers.set(a.layer, now + (m.stack.details(a).delay ?? 0));
      else if (due <= now) {
        m.timers.delete(a.layer);
        totals.timerFirings++;
        input(m, rank, a);
      }
    }
  };

  const input = (m: Member, rank: number, a: StackAction) => {
    m.state = m.stack.takeOnce(m.state, a);
    totals.inputs++;
    now += tick;
    drain(m, rank);
  };

  const started = performance.now();
  const cpu = process.cpuUsage();
  const perMember = Math.ceil(casts / N);
  for (let sent = 0; sent < perMember; sent += burst) {
    for (let rank = 0; rank < N; rank++) {
      const m = members[rank]!;
      for (let i = sent; i < Math.min(sent + burst, perMember); i++) input(m, rank, { name: "cast", p: rank, msg: payloadOf(rank, i) });
    }
    while (head < network.length) {
      const { to, from, packet } = network[head++]!;
      const m = members[to]!;
      input(m, to, { name: "arrive", p: to, from, packet });
      timers(m, to);
    }
    network.length = head = 0;
    members.forEach(timers);
  }
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, totals, delivered: members.map((m) => m.delivered) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** The profile's top functions by self time, with their share of the samples. */
function summarize(nodes: readonly ProfileNode[], top = 15): string[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(ioa|layers|bench|node_modules)\//, "$1/");
    const key = `${functionName || "(anonymous)"}  ${file ? `${file}:${lineNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

console.log(`Troupe stack benchmark: ${N} ${stackNamed} stacks in one process, ${fmt(casts)} casts of ${payloadLength} characters, every member casting`);
console.log(`  bursts of ${burst} casts per member, timers on a virtual clock of ${tick * 1000} µs per input${withCodec ? ", packets through the typed codec" : ""}\n`);

let session: Session | undefined;
if (profile) {
  session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
const results = Array.from({ length: rounds }, () => {
  const r = run();
  console.log(`  round: ${r.seconds.toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s`);
  return r;
});
const { seconds, cpuSeconds, totals, delivered } = results.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
const slowest = Math.min(...delivered);
console.log(`\n  best of ${rounds} rounds by CPU time:`);
console.log(`  delivered          ${delivered.map(fmt).join(" / ")} (every member should deliver every cast)`);
console.log(`  time               CPU ${cpuSeconds.toFixed(2)} s (${seconds.toFixed(2)} s wall-clock)`);
console.log(`  throughput         ${fmt(slowest / cpuSeconds)} casts delivered per CPU second at the slowest member (${fmt(slowest / seconds)} per wall-clock second)`);
console.log(`  stack inputs       ${fmt(totals.inputs)} (${fmt(totals.inputs / cpuSeconds)} per CPU second), ${fmt(totals.timerFirings)} timer firings, ${fmt(totals.packets)} packets arrived`);
if (withCodec) console.log(`  wire               ${fmt(totals.bytes)} bytes in ${fmt(totals.transmits)} one-packet datagrams (${(totals.bytes / totals.transmits).toFixed(0)} bytes each)`);
console.log(`  virtual time       ${((totals.inputs * tick) / 1000).toFixed(1)} s`);
console.log(`  peak RSS           ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
if (session) {
  const { profile: cpuProfile } = (await session.post("Profiler.stop")) as { profile: { nodes: ProfileNode[] } };
  session.disconnect();
  console.log(`\n  CPU profile of all rounds, self time (top functions):`);
  for (const line of summarize(cpuProfile.nodes)) console.log(line);
}
if (results.some((r) => Math.min(...r.delivered) < casts)) process.exitCode = 1;
