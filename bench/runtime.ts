// Runtime benchmark: 3 member processes on 127.0.0.1, each a `join`ed member of the runtime's
// public API running the fifo stack over UDP, against JGroups 2.12 in the same setup
// (../shared/anchors/jgroups/, run the same way here, one after the other on the same machine).
//
//   npm run bench:runtime        (-- --stack fifo|vsync|total|total-token|vsync-secure|total-secure[,…] --casts N --warmup N --lat N --lat-warmup N --window N --burst N
//                                    --packing BYTES --timer-scale X --suspect-after MS --faults drop=0.1 --round-timeout S --profile [--profile-out FILE] --no-jgroups --jgroups DIR)
//
// Throughput: every member casts a third of `casts` payloads of 1,024 bytes; each member times from
// the coordinator's go to its delivery of all of them; the figure is `casts` over the slowest
// member's time (as the JGroups harness computes it), after a warm-up round of `warmup` casts.
// Batching is on, and so is message packing (each turn's casts go into the stack as packs of up
// to 8 KB: runtime/cast-packer.ts; --packing 0 measures a message of the stack per cast, as JGroups
// sends one message down its stack per send). The application casts as fast as it can, at most
// `burst` per turn of the event loop: the stack's own flow control (layers/flow.ts: at most a
// window of a member's casts unstable) holds the rest, as JGroups's UFC/MFC do, and the application casts on only while the stack holds
// fewer than `burst` of its casts back (Member.backlog), as a JGroups sender blocks while its
// flow control has no credit. `--window N` instead paces the application as earlier
// versions did (a member casts its k-th message only once it has delivered the (k − N)-th of every
// other member), for comparison.
//
// Latency: member 0 casts one 1 KB message at a time, stamped with CLOCK_MONOTONIC (shared by the
// processes of one host); every member notes the one-way latency when it delivers it, and the
// others acknowledge by a send to member 0, which then casts the next. The figure is, per message,
// the greatest latency over the members, at p50 and p99 of `lat` messages after `latWarmup`.
// Batching is off (the latency setting), as JGroups's bundling is off in its run (udp-lo-nobundle).
//
// With several stacks (--stack total,total-token), each is measured in turn, and JGroups once. For
// the total order stacks JGroups runs its SEQUENCER stack (sequencer.xml), for the others udp.xml.
//
// A secure stack (vsync-secure, total-secure; the members share a group secret) is measured beside
// its plain counterpart (vsync, total) in the same run, and then so is its rekey time: 5 members in
// this process over UDP on loopback, one of them closed; from the moment the coordinator installs
// the view without it (and makes the view's key) to the moment the last survivor holds that key,
// which the plain stack does not spend (the survivors install the view at about the same time);
// median of 5 groups.
//
// With --profile, member 0 runs the measured throughput round under V8's CPU profiler, and its top
// functions by self time are printed; --profile-out FILE also writes the whole profile, one file per
// stack (FILE-<stack>.cpuprofile, for Chrome's DevTools or any reader of V8 profiles).

import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join as joinPath } from "node:path";
import { fileURLToPath } from "node:url";
import { freePorts, join, parseFaultRates, type Member, type StackName } from "../runtime/index.ts";

const N = 3;
const SIZE = 1024;
const HERE = fileURLToPath(import.meta.url);
/** The JGroups harness: --jgroups DIR, or ../shared/anchors/jgroups/ beside the repository (or beside the worktrees' folder). */
const JGROUPS =
  option("jgroups") ??
  ["../../shared/anchors/jgroups/", "../../../shared/anchors/jgroups/"].map((dir) => fileURLToPath(new URL(dir, import.meta.url))).find((dir) => existsSync(joinPath(dir, "run_jg.sh")));

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
/**
 * Real milliseconds per millisecond of the layers' timer delays (default 1: stable gossips every
 * 500 ms, mnak casts again at most 64 unstable casts every second; earlier versions cast every
 * unstable cast again, megabytes at once under load, and the benchmark ran at 0.1 to keep the
 * bursts small).
 */
const TIMER_SCALE = arg("timer-scale", 1);
/**
 * Message packing (runtime/cast-packer.ts): the most bytes of one turn's casts a member packs into
 * one message of its stack (--packing N; default the member's, the fragment size; 0: none, every
 * cast a message of its own, as before packing).
 */
const PACKING = option("packing") === undefined ? undefined : arg("packing", 0);
/** Faults each member injects into the datagrams it sends (--faults drop=0.1: a lossy network), as `troupe node --faults`. */
const FAULTS = option("faults");
if (FAULTS !== undefined) parseFaultRates(FAULTS);
/** The stacks measured, in turn (--stack fifo|vsync|total|total-token|vsync-secure|total-secure, or several, comma-separated); a member runs the first it is given. A secure stack brings its plain counterpart along, measured in the same run. */
const ASKED = (option("stack") ?? "fifo").split(",") as StackName[];
/** The plain stack a secure one is measured beside. */
const plainOf = (stack: StackName) => stack.replace(/-secure$/, "") as StackName;
const isSecure = (stack: StackName) => stack.endsWith("-secure");
const STACKS = [...new Set(ASKED.flatMap((s) => (isSecure(s) ? [s, plainOf(s)] : [s])))];
/** JGroups' stack: SEQUENCER (sequencer.xml) beside Troupe's total order stacks, else udp.xml. */
const JG_CONFIG = STACKS.every((s) => s.startsWith("total")) ? "sequencer-lo" : "udp-lo";
/** The secret of the benchmark's secure groups. */
const SECRET = "the benchmark's group secret";
const securityOf = (stack: StackName) => (isSecure(stack) ? { security: { secret: SECRET } } : {});

// ---- messages between the coordinator and the members (over the fork's IPC channel) ----

type Command =
  | { readonly type: "tput"; readonly count: number; readonly window: number; readonly burst: number; readonly profile: boolean }
  | { readonly type: "lat"; readonly count: number; readonly warmup: number }
  | { readonly type: "lat-go" }
  | { readonly type: "latencies" }
  | { readonly type: "status" }
  | { readonly type: "exit" };

type Report =
  | { readonly type: "ready" }
  | { readonly type: "tput"; readonly rank: number; readonly seconds: number; readonly cpuSeconds: number; readonly datagramsOut: number; readonly packetsOut: number; readonly dropped: number; readonly profile: string[] }
  | { readonly type: "lat-ready" }
  | { readonly type: "lat-done" }
  | { readonly type: "latencies"; readonly rank: number; readonly ns: number[] }
  | { readonly type: "view"; readonly rank: number; readonly view: string }
  | { readonly type: "status"; readonly rank: number; readonly text: string };

// ---- a member process ----

async function member(stack: StackName, rank: number, ports: number[], batching: boolean, timerScale: number): Promise<void> {
  const suspectAfter = option("suspect-after");
  const m = await join({
    group: "bench",
    stack,
    peers: ports.map((p) => `127.0.0.1:${p}`),
    rank,
    batching,
    timerScale,
    ...(PACKING !== undefined && { packing: PACKING }),
    ...securityOf(stack),
    ...(suspectAfter !== undefined && { failureDetector: { suspect: Number(suspectAfter) } }),
    ...(FAULTS !== undefined && { faults: parseFaultRates(FAULTS) }),
  });
  const tell = (r: Report) => process.send!(r);
  // Counted over all rounds, from the start: a round's first casts can arrive before its command
  // does (the others start as soon as they hear it), and must still count.
  const tally: Tally = { delivered: new Array<number>(N).fill(0), sent: 0 };
  m.on("deliver", (d) => tally.delivered[d.sender]!++);
  let latencies = (): number[] => [];
  let startLatency = () => {};
  process.on("message", (c: Command) => {
    if (c.type === "tput") void throughput(m, c, tally, tell);
    else if (c.type === "lat") ({ latencies, start: startLatency } = latency(m, c, tell));
    else if (c.type === "lat-go") startLatency();
    else if (c.type === "latencies") tell({ type: "latencies", rank, ns: latencies() });
    else if (c.type === "status") tell({ type: "status", rank, text: status(m, tally) });
    else void m.close().then(() => process.exit(0));
  });
  // A secure member is ready once it holds the view's key (the distributor's Grant reached it).
  await until(() => !stack.endsWith("-secure") || (m.state.layers as unknown as Keyed).encrypt.key !== "");
  tell({ type: "ready" });
  // The group should keep its first view: a view change (a false suspicion under load) drops or
  // delays casts, and the coordinator says so rather than waiting without a word.
  m.on("view", (v) => tell({ type: "view", rank, view: `${v.id} {${[...v.members].join(", ")}}` }));
}

/** Where a member stands, for a round that does not finish: its counts and what its stack's layers hold. */
function status(m: Member, tally: Tally): string {
  const layers = m.state.layers as Record<string, Record<string, unknown>>;
  // Counts as they are; what a layer holds (lists of messages, maps) by its size.
  const size = (x: unknown): unknown =>
    Array.isArray(x) ? (x.every((y) => typeof y === "number") ? x : x.map(size)) : typeof x === "object" && x !== null ? ("size" in x ? (x as { size: number }).size : "…") : x;
  const stateOf = (layer: string) => (layers[layer]?.["inner"] ?? layers[layer]) as Record<string, unknown> | undefined;
  const pick = (layer: string, fields: string[]) => {
    const state = stateOf(layer);
    return state ? `${layer} ${fields.map((f) => `${f}=${JSON.stringify(size(state[f]))}`).join(" ")}` : "";
  };
  return [
    `view ${m.view.id} sent ${tally.sent} delivered ${tally.delivered.join("/")}; counters ${JSON.stringify({ in: m.counters.datagramsIn, out: m.counters.datagramsOut, dropped: m.counters.dropped, stackErrors: m.counters.stackErrors })}`,
    pick("mnak", ["next", "sent", "early"]),
    pick("flow", ["sent", "stable", "waiting"]),
    pick("stable", ["acks"]),
    pick("pt2pt", ["unacked", "acked", "next"]),
    pick("sequencer", ["held", "order", "unannounced", "changing"]),
    pick("token", ["held", "order", "received", "announced", "holder", "changing"]),
  ]
    .filter((x) => x !== "")
    .join("; ");
}

/** A member's casts, and its deliveries from each member, since it joined. */
interface Tally {
  readonly delivered: number[];
  sent: number;
}

async function throughput(m: Member, c: Extract<Command, { type: "tput" }>, tally: Tally, tell: (r: Report) => void): Promise<void> {
  const session = c.profile ? await startProfiler() : undefined;
  // Every member casts as many as this one in every round: the round ends when each has delivered this many of each.
  const target = tally.sent + c.count / N;
  const payload = Buffer.alloc(SIZE, 0x61);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const counters = { ...m.counters, dropped: { ...m.counters.dropped } };
  let scheduled = false;
  let finished = false;
  // Without a pacing window the application casts while the stack holds fewer than a burst of its
  // casts (Member.backlog: what flow control holds back), and looks again a millisecond later.
  const windowOpen = () => (c.window === 0 ? m.backlog < c.burst : tally.delivered.every((d, q) => q === m.rank || d >= tally.sent - c.window));
  let retry: NodeJS.Timeout | undefined;
  const pump = () => {
    scheduled = false;
    for (let k = 0; k < c.burst && tally.sent < target && windowOpen(); k++, tally.sent++) m.cast(payload);
    if (tally.sent < target && windowOpen()) schedule();
    else if (tally.sent < target && c.window === 0 && retry === undefined) retry = setTimeout(() => ((retry = undefined), pump()), 1);
  };
  const schedule = () => {
    if (!scheduled) (scheduled = true), setImmediate(pump);
  };
  const onDeliver = async () => {
    if (finished) return;
    if (tally.delivered.every((d) => d === target)) {
      finished = true;
      m.off("deliver", onDeliver);
      const used = process.cpuUsage(cpu);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const dropped = Object.entries(m.counters.dropped).reduce((sum, [reason, x]) => sum + x - counters.dropped[reason as keyof typeof counters.dropped], 0);
      tell({
        type: "tput",
        rank: m.rank,
        seconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        datagramsOut: m.counters.datagramsOut - counters.datagramsOut,
        packetsOut: m.counters.packetsOut - counters.packetsOut,
        dropped,
        profile: session ? await stopProfiler(session, m.rank === 0) : [],
      });
    } else if (tally.sent < target && windowOpen()) schedule();
  };
  m.on("deliver", onDeliver);
  schedule();
}

/**
 * Member 0 casts stamped messages one at a time; everyone notes the one-way latency; the others
 * acknowledge. Every member listens before member 0 starts (`start`, on the coordinator's go once
 * all are ready): a member that delivered the first message before it heard of the round would
 * never acknowledge it, and the round would wait for ever.
 */
function latency(m: Member, c: Extract<Command, { type: "lat" }>, tell: (r: Report) => void): { latencies: () => number[]; start: () => void } {
  const total = c.warmup + c.count;
  const ns = new Array<number>(total).fill(-1);
  let current = -1;
  let waiting = 0;
  const next = () => {
    if (++current === total) return tell({ type: "lat-done" });
    waiting = N;
    const payload = Buffer.alloc(SIZE);
    payload.writeUInt32BE(current, 0);
    payload.writeBigUInt64BE(process.hrtime.bigint(), 4);
    m.cast(payload);
  };
  const done = () => {
    if (--waiting === 0) next();
  };
  m.on("deliver", (d) => {
    const data = Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength);
    const seq = data.readUInt32BE(0);
    ns[seq] = Number(process.hrtime.bigint() - data.readBigUInt64BE(4));
    if (m.rank !== 0) m.send(0, data.subarray(0, 4));
    else if (seq === current) done();
  });
  m.on("receive", (d) => {
    if (Buffer.from(d.data).readUInt32BE(0) === current) done();
  });
  tell({ type: "lat-ready" });
  return { latencies: () => ns.slice(c.warmup), start: () => m.rank === 0 && next() };
}

// ---- the coordinator ----

interface Group {
  readonly children: ChildProcess[];
  command(c: Command): void;
  /** The next report of each member of a type. */
  next<T extends Report["type"]>(type: T, from?: number[]): Promise<Extract<Report, { type: T }>[]>;
  stop(): Promise<void>;
}

async function startGroup(batching: boolean, stack: StackName): Promise<Group> {
  const ports = await freePorts(N);
  const execArgv = ["--import", "tsx"];
  const suspectAfter = option("suspect-after");
  const profileOut = option("profile-out");
  const args = [
    ...["--ports", ports.join(","), "--timer-scale", String(TIMER_SCALE), "--stack", stack],
    ...(batching ? [] : ["--unbatched"]),
    ...(suspectAfter === undefined || stack === "fifo" ? [] : ["--suspect-after", suspectAfter]),
    ...(FAULTS === undefined ? [] : ["--faults", FAULTS]),
    ...(PACKING === undefined ? [] : ["--packing", String(PACKING)]),
    ...(profileOut === undefined ? [] : ["--profile-out", profileOut.replace(/(\.cpuprofile)?$/, `-${stack}.cpuprofile`)]),
  ];
  const children = ports.map((_, rank) => fork(HERE, ["--member", String(rank), ...args], { execArgv }));
  const inbox: Report[][] = children.map(() => []);
  const waiters: (() => void)[] = [];
  children.forEach((child, rank) =>
    child.on("message", (r: Report) => {
      if (r.type === "view") return console.log(`  (member ${r.rank} installed view ${r.view}: the group changed views during the benchmark)`);
      inbox[rank]!.push(r);
      waiters.splice(0).forEach((w) => w());
    }),
  );
  const exits = children.map((child) => new Promise<void>((done) => child.once("exit", () => done())));
  const group: Group = {
    children,
    command: (c) => children.forEach((child) => child.send(c)),
    next: async (type, from = [0, 1, 2]) => {
      const take = () => from.map((rank) => inbox[rank]!.findIndex((r) => r.type === type));
      for (let at = take(); ; at = take()) {
        if (at.every((i) => i >= 0)) return from.map((rank, k) => inbox[rank]!.splice(at[k]!, 1)[0]!) as never;
        await new Promise<void>((done) => waiters.push(done));
      }
    },
    stop: async () => {
      group.command({ type: "exit" });
      await Promise.all(exits);
    },
  };
  await group.next("ready");
  return group;
}

interface Throughput {
  readonly rate: number;
  readonly seconds: number[];
  readonly cpuSeconds: number[];
  readonly datagrams: number;
  readonly packets: number;
  readonly dropped: number;
  readonly profile: string[];
}

async function troupeThroughput(stack: StackName, casts: number, warmup: number, window: number, burst: number, profile: boolean): Promise<Throughput> {
  const group = await startGroup(true, stack);
  try {
    group.command({ type: "tput", count: warmup, window, burst, profile: false });
    await within(group.next("tput"), `the warm-up round of ${stack}`);
    group.command({ type: "tput", count: casts, window, burst, profile });
    const reports = await within(group.next("tput"), `the throughput round of ${stack}`).catch(async (e: Error) => {
      group.command({ type: "status" });
      for (const r of await group.next("status")) console.log(`  member ${r.rank}: ${r.text}`);
      throw e;
    });
    const seconds = reports.map((r) => r.seconds);
    return {
      rate: casts / Math.max(...seconds),
      seconds,
      cpuSeconds: reports.map((r) => r.cpuSeconds),
      datagrams: reports.reduce((s, r) => s + r.datagramsOut, 0),
      packets: reports.reduce((s, r) => s + r.packetsOut, 0),
      dropped: reports.reduce((s, r) => s + r.dropped, 0),
      profile: reports[0]!.profile,
    };
  } finally {
    await group.stop();
  }
}

/** How long a round may take before the benchmark gives up on it (--round-timeout, seconds). */
const ROUND_TIMEOUT = arg("round-timeout", 300);

/** `p`, or an error naming `what` after ROUND_TIMEOUT seconds. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} did not finish within ${ROUND_TIMEOUT} s`)), ROUND_TIMEOUT * 1000)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

/** JgBench's quantile: the sorted value at ⌊len · p⌋. */
const quantile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function troupeLatency(stack: StackName, count: number, warmup: number): Promise<Latency> {
  const group = await startGroup(false, stack);
  try {
    group.command({ type: "lat", count, warmup });
    await within(group.next("lat-ready"), `the start of the latency round of ${stack}`);
    group.command({ type: "lat-go" });
    await within(group.next("lat-done", [0]), `the latency round of ${stack}`).catch(async (e: Error) => {
      group.command({ type: "status" });
      for (const r of await group.next("status")) console.log(`  member ${r.rank}: ${r.text}`);
      throw e;
    });
    group.command({ type: "latencies" });
    const columns = (await group.next("latencies")).map((r) => r.ns);
    const worst = columns[0]!.map((_, i) => Math.max(...columns.map((c) => c[i]!))).sort((a, b) => a - b);
    return { p50: quantile(worst, 0.5) / 1e3, p99: quantile(worst, 0.99) / 1e3, n: worst.length };
  } finally {
    await group.stop();
  }
}

// ---- JGroups, through its harness ----

function jgroups(script: string, args: string[]): string {
  const run = spawnSync("bash", [joinPath(JGROUPS!, script), ...args], { encoding: "utf8", timeout: 600_000 });
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  return run.stdout;
}

function jgroupsThroughput(casts: number, warmup: number): number {
  const out = jgroups("run_jg.sh", ["tput", `/tmp/jg/cfg/${JG_CONFIG}.xml`, "/tmp/jg/bench-tput", `count=${casts}`, `warmupCount=${warmup}`, "rounds=2"]);
  const round = out.slice(out.indexOf("ROUND 1 "));
  const count = Number(/count=(\d+)/.exec(round)?.[1]);
  const elapsed = [...round.matchAll(/member \d+: elapsed_ms=([0-9.]+)/g)].map((m) => Number(m[1]));
  if (!count || elapsed.length !== N) throw new Error(`JGroups throughput: no result in\n${out}`);
  return count / (Math.max(...elapsed) / 1e3);
}

function jgroupsLatency(count: number, warmup: number): Latency {
  const out = jgroups("run_jg.sh", ["lat", `/tmp/jg/cfg/${JG_CONFIG}-nobundle.xml`, "/tmp/jg/bench-lat", `lat=${count}`, `latWarmup=${warmup}`]);
  const m = /ONE_WAY_ALL .* n=(\d+) median_us=([0-9.]+) .*p99_us=([0-9.]+)/.exec(out);
  if (!m) throw new Error(`JGroups latency: no result in\n${out}`);
  return { n: Number(m[1]), p50: Number(m[2]), p99: Number(m[3]) };
}

// ---- profiling a member (V8's sampling profiler, over the measured round only) ----

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return session;
}

/** Stops the profiler: the top functions, and the whole profile written to --profile-out if `keep` (member 0's). */
async function stopProfiler(session: Session, keep: boolean): Promise<string[]> {
  const { profile } = (await session.post("Profiler.stop")) as { profile: { nodes: ProfileNode[] } };
  session.disconnect();
  const out = option("profile-out");
  if (out !== undefined && keep) writeFileSync(out, JSON.stringify(profile));
  return topFunctions(profile.nodes);
}

function topFunctions(nodes: readonly ProfileNode[], top = arg("profile-top", 20)): string[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const { callFrame, hitCount = 0 } of nodes) {
    total += hitCount;
    const where = callFrame.url.replace(/^.*\/(ioa|layers|runtime|bench|node_modules)\//, "$1/").replace(/^node:/, "node:");
    const key = `${callFrame.functionName || "(anonymous)"}  ${where}`;
    self.set(key, (self.get(key) ?? 0) + hitCount);
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}

// ---- main ----

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const µs = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(0)} µs`);

async function coordinate(): Promise<void> {
  const casts = arg("casts", 99_999) - (arg("casts", 99_999) % N);
  const warmup = arg("warmup", 20_000) - (arg("warmup", 20_000) % N);
  const window = arg("window", 0);
  const burst = arg("burst", 100);
  const lat = arg("lat", 10_000);
  const latWarmup = arg("lat-warmup", 2000);
  console.log(`Troupe runtime benchmark: ${N} member processes on 127.0.0.1, ${STACKS.join(" and ")} stack${STACKS.length > 1 ? "s" : ""} over UDP, ${SIZE}-byte payloads`);
  console.log(`  throughput: ${fmt(casts)} casts, every member casting (${window === 0 ? "the stack's flow control, no pacing" : `paced by a window of ${window}`}, bursts of ${burst}), after ${fmt(warmup)} to warm up; latency: ${fmt(lat)} casts of one sender after ${fmt(latWarmup)}`);
  console.log(`  casts packed: ${PACKING === 0 ? "no (a message of the stack per cast)" : `the casts of a turn in messages of the stack of up to ${fmt(PACKING ?? 8192)} bytes`}; timers at ${TIMER_SCALE} real ms per ms of the layers' delays${FAULTS === undefined ? "" : `; every member injects faults into the datagrams it sends: ${FAULTS} (JGroups is not run: its harness injects none)`}\n`);

  const results: { stack: StackName; tput: Throughput; latency: Latency }[] = [];
  for (const stack of STACKS) {
    const tput = await troupeThroughput(stack, casts, warmup, window, burst, flag("profile")).catch((e: Error) => void console.log(`  Troupe (${stack}): ${e.message}`));
    if (tput === undefined) continue;
    console.log(`  Troupe (${stack}) throughput: ${fmt(tput.rate)} msgs/s (members' times ${tput.seconds.map((s) => s.toFixed(2)).join(" / ")} s, CPU ${tput.cpuSeconds.map((s) => s.toFixed(2)).join(" / ")} s;`);
    console.log(`    ${fmt(tput.packets)} packets in ${fmt(tput.datagrams)} datagrams sent, ${fmt(tput.dropped)} datagrams dropped on receipt)`);
    const latency = await troupeLatency(stack, lat, latWarmup);
    console.log(`  Troupe (${stack}) latency: one-way to all members p50 ${µs(latency.p50)}, p99 ${µs(latency.p99)} (${fmt(latency.n)} casts)`);
    if (tput.profile.length > 0) {
      console.log(`\n  CPU profile of member 0 in the measured throughput round (${stack}), self time:`);
      for (const line of tput.profile) console.log(line);
    }
    results.push({ stack, tput, latency });
  }
  for (const secure of STACKS.filter(isSecure)) {
    const [s, p] = [results.find((r) => r.stack === secure)!, results.find((r) => r.stack === plainOf(secure))!];
    const rekeys = await rekeyTimes(secure, 5);
    console.log(`\n  ${secure} rekey, 5 members in one process over UDP, one closed: from the coordinator's install of the view without it to the last survivor holding its key`);
    console.log(`    ${rekeys.map(µs).join(", ")}; median ${µs(median(rekeys))}`);
    console.log(`\n  same run, same machine        ${secure.padStart(13)}   ${p.stack.padStart(13)}   secure / plain`);
    const line = (label: string, a: string, b: string, ratio: string) => console.log(`  ${label.padEnd(30)}${a.padStart(13)}   ${b.padStart(13)}   ${ratio.padStart(8)}`);
    line("throughput, msgs/s (slowest)", fmt(s.tput.rate), fmt(p.tput.rate), (s.tput.rate / p.tput.rate).toFixed(2));
    line("one-way latency to all, p50", µs(s.latency.p50), µs(p.latency.p50), (s.latency.p50 / p.latency.p50).toFixed(2));
    line("one-way latency to all, p99", µs(s.latency.p99), µs(p.latency.p99), (s.latency.p99 / p.latency.p99).toFixed(2));
    line("rekey of 5 members, median", µs(median(rekeys)), "none", "");
  }

  let jg: { rate: number; latency: Latency } | undefined;
  if (!flag("no-jgroups") && FAULTS === undefined && JGROUPS === undefined) console.log("  JGroups: its harness was not found beside the repository; give it with --jgroups DIR");
  else if (!flag("no-jgroups") && FAULTS === undefined) {
    if (!existsSync("/tmp/jg/classes/JgBench.class") || !existsSync(`/tmp/jg/cfg/${JG_CONFIG}.xml`)) jgroups("build.sh", []);
    const rate = jgroupsThroughput(casts, warmup);
    console.log(`  JGroups throughput: ${fmt(rate)} msgs/s`);
    const jl = jgroupsLatency(lat, latWarmup);
    console.log(`  JGroups latency: one-way to all members p50 ${µs(jl.p50)}, p99 ${µs(jl.p99)}`);
    jg = { rate, latency: jl };
  }

  const columns = [...results.map((r) => `Troupe (${r.stack})`), `JGroups 2.12 (${JG_CONFIG === "udp-lo" ? "udp.xml" : "sequencer.xml"})`];
  console.log(`\n  same run, same machine        ${columns.map((c) => c.padStart(22)).join(" ")}`);
  const row = (label: string, troupe: string[], other: string | undefined) => console.log(`  ${label.padEnd(30)}${[...troupe, other ?? "not run"].map((c) => c.padStart(22)).join(" ")}`);
  row("throughput, msgs/s (slowest)", results.map((r) => fmt(r.tput.rate)), jg && fmt(jg.rate));
  row("one-way latency to all, p50", results.map((r) => µs(r.latency.p50)), jg && µs(jg.latency.p50));
  row("one-way latency to all, p99", results.map((r) => µs(r.latency.p99)), jg && µs(jg.latency.p99));
}

// ---- rekey time ----

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Keyed = { readonly encrypt: { readonly key: string } };
/** Microseconds from the coordinator's install of a view without a closed member to the last survivor holding its key, in `groups` groups of 5. */
async function rekeyTimes(stack: StackName, groups: number): Promise<number[]> {
  const times: number[] = [];
  for (let g = 0; g < groups; g++) {
    const ports = await freePorts(5);
    const members = await Promise.all(ports.map((_, rank) => join({ group: `rekey ${g}`, stack, peers: ports.map((p) => `127.0.0.1:${p}`), rank, ...securityOf(stack) })));
    const survivors = members.slice(0, 4);
    const viewOf = (m: Member) => m.view.members.size;
    await until(() => members.every((m) => (m.state.layers as unknown as Keyed).encrypt.key !== ""));
    let installed = 0n;
    survivors[0]!.on("view", () => (installed = process.hrtime.bigint()));
    await members[4]!.close();
    const keyed = (m: Member) => viewOf(m) === 4 && (m.state.layers as unknown as Keyed).encrypt.key !== "";
    // Polled every millisecond: the figure is good to a millisecond or two.
    await until(() => survivors.every(keyed));
    times.push(Number(process.hrtime.bigint() - installed) / 1e3);
    await Promise.all(survivors.map((m) => m.close()));
  }
  return times;
}

/** Resolves once `holds()`, checking every millisecond. */
async function until(holds: () => boolean): Promise<void> {
  const give = Date.now() + 30_000;
  while (!holds()) {
    if (Date.now() > give) throw new Error("the group did not settle within 30 s");
    await new Promise((r) => setTimeout(r, 1));
  }
}

const memberAt = process.argv.indexOf("--member");
if (memberAt > 0) {
  const ports = process.argv[process.argv.indexOf("--ports") + 1]!.split(",").map(Number);
  await member(option("stack") as StackName, Number(process.argv[memberAt + 1]), ports, !flag("unbatched"), TIMER_SCALE);
} else {
  await coordinate();
}
