// Membership benchmark: how long a vsync group takes to exclude a member that dies (SIGKILL) or
// hangs (SIGSTOP), measured at every survivor, with the group under load; then JGroups 2.12's
// udp.xml through the harness in ../shared/anchors/jgroups/ (run_jg_views.py), in the same run.
//
//   npm run bench:membership     (-- --members N --trials N --rate R|max --timer-scale X
//                                    --failure-detector beat=50,sweep=100,suspect=300 --slander --only kill,stop,join --no-jgroups)
//
// Troupe: `members` troupe node processes on 127.0.0.1 run the vsync stack, each casting `rate`
// messages a second (`--rate max`: as fast as the stack's flow control takes them, a full load);
// once every member has delivered from every other and no view has changed for 5 s (a group started
// under full load may split while its members warm up), the last one is killed (or
// stopped) and the time to the view without it is taken at each survivor, from the moment the
// signal was sent to the moment the survivor prints the view (the bench reads their output as it
// comes). The failure detector's delays are the stack's defaults (beat 100 ms, sweep 300 ms,
// suspect 900 ms) or those of --failure-detector, times --timer-scale; with --slander the group passes
// suspicions on (layers/slander.ts), so that any member's false suspicion excludes. A trial also counts views that left out a live member (false
// suspicions), and names them: which node installed which members, how long after the signal; and
// the suspicions of a live member by a survivor between the signal and the view (each node prints
// what its failure detector suspects), which a view change may or may not follow. A SIGSTOP trial then continues the member and takes the time from SIGCONT to the
// view with it again at every member (it is told it was excluded, and rejoins by merge: the heal
// gossip, every 1,000 ms by default, bounds how soon its view is found).
//
// Join: a sixth `troupe node --join` process joins the running group of five (capacity six) through
// member 0's address; the time runs from the moment it sends its first join request (it says so
// on stderr just before) to the moment each member prints the view of six — as JGroups' harness
// times join from the joiner's connect() call to the view at the existing members.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join as joinPath } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { range } from "../ioa/index.ts";
import { freePorts, parseFailureDetector } from "../runtime/index.ts";
import { rateOption } from "../bin/options.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TROUPE = joinPath(ROOT, "bin/troupe.js");
const ANCHORS = joinPath(ROOT, "../shared/anchors/jgroups");

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const MEMBERS = arg("members", 5);
const TRIALS = arg("trials", 3);
/** Casts a second per member, or "max": as fast as the stack's flow control takes them (full load). */
const RATE = String(rateOption(process.argv.includes("--rate") ? process.argv[process.argv.indexOf("--rate") + 1]! : "200"));
const TIMER_SCALE = arg("timer-scale", 1);
const FAILURE_DETECTOR = process.argv.includes("--failure-detector") ? process.argv[process.argv.indexOf("--failure-detector") + 1]! : undefined;
if (FAILURE_DETECTOR !== undefined) parseFailureDetector(FAILURE_DETECTOR);
/** The founders start the group with SLANDER (a joiner takes the group's setting). */
const SLANDER = process.argv.includes("--slander");
/** The trials to run (--only kill,stop,join: all three by default). */
const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1]!.split(",") : ["kill", "stop", "join"];
for (const kind of ONLY) if (!["kill", "stop", "join"].includes(kind)) throw new Error(`--only: "${kind}" is not a kind of trial (kill, stop, join)`);

interface Node {
  readonly child: ChildProcess;
  /** Views printed, with the time each was read. */
  readonly views: { readonly members: string; readonly at: number }[];
  /** Suspicions printed (the members its failure detector came to suspect), with the time each was read. */
  readonly suspicions: { readonly members: number[]; readonly at: number }[];
  heardFrom: Set<number>;
  /** When it said it sends its first join request (a joiner). */
  joining: number | undefined;
}

/** The founders of a group of MEMBERS with room for one more. */
async function startGroup(): Promise<{ nodes: Node[]; peers: string[] }> {
  const ports = await freePorts(MEMBERS);
  const peers = ports.map((p) => `127.0.0.1:${p}`);
  const nodes = range(MEMBERS).map((rank) => startNode(["--peers", peers.join(), "--rank", String(rank), "--capacity", String(MEMBERS + 1)]));
  await until(() => nodes.every((n) => n.heardFrom.size === MEMBERS), 20_000);
  await settled(nodes);
  return { nodes, peers };
}

/**
 * Resolves once no node has printed a view for 5 s (at most 30 s): a group started under full load
 * may split while its members compile and warm up (their event loops lag up to half a second in the
 * first seconds), and a trial measures a group that has settled.
 */
async function settled(nodes: readonly Node[]): Promise<void> {
  const views = () => nodes.reduce((sum, n) => sum + n.views.length, 0);
  let seen = views();
  let quietSince = performance.now();
  await until(() => {
    if (views() !== seen) (seen = views()), (quietSince = performance.now());
    return performance.now() - quietSince >= 5000;
  }, 30_000);
}

/** When each node first printed the view of `members` after `since` (ms after `since`). */
const viewTimes = (nodes: readonly Node[], members: string, since: number) => nodes.flatMap((n) => n.views.filter((v) => v.members === members && v.at >= since).slice(0, 1).map((v) => v.at - since));

function stopAll(nodes: readonly Node[]): void {
  for (const n of nodes) {
    n.child.kill("SIGCONT");
    n.child.kill("SIGKILL");
  }
}

function startNode(where: string[]): Node {
  const child = spawn(process.execPath, [TROUPE, "node", "--group", "bench", ...where, "--stack", "vsync", "--rate", RATE, "--quiet", "--timer-scale", String(TIMER_SCALE), ...(FAILURE_DETECTOR ? ["--failure-detector", FAILURE_DETECTOR] : []), ...(SLANDER && where.includes("--peers") ? ["--slander"] : [])], { stdio: ["ignore", "pipe", "pipe"] });
  const node: Node = { child, views: [], suspicions: [], heardFrom: new Set(), joining: undefined };
  createInterface({ input: child.stderr! }).on("line", (line) => {
    if (line.includes("joining group")) node.joining = performance.now();
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const view = /installed view \d+ \{([\d, ]*)\}/.exec(line);
    if (view) node.views.push({ members: view[1]!, at: performance.now() });
    const suspects = /suspects \{([\d, ]*)\}/.exec(line);
    if (suspects) node.suspicions.push({ members: suspects[1]!.split(", ").map(Number), at: performance.now() });
    // Quiet, a node prints its deliveries of each second by sender: "(from 0: 212, 1: 198, …)".
    const senders = /casts in [\d.]+ s \(from (.*)\)$/.exec(line);
    for (const [, q] of senders?.[1]!.matchAll(/(\d+): /g) ?? []) node.heardFrom.add(Number(q));
  });
  return node;
}

async function until(holds: () => boolean, ms: number): Promise<boolean> {
  const give = performance.now() + ms;
  while (!holds()) {
    if (performance.now() > give) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** One trial: start a group, send `signal` to the last member; the survivors' times to the view without it (ms), views that left out a live member, and for SIGSTOP the times from SIGCONT to the view with it again. */
async function trial(signal: "SIGKILL" | "SIGSTOP"): Promise<{ times: number[]; falseViews: number; wrong: string[]; falseSuspicions: string[]; missed: number; rejoin: number[] }> {
  const { nodes } = await startGroup();
  try {
    const victim = nodes.at(-1)!;
    const survivors = nodes.slice(0, -1);
    const expected = range(MEMBERS - 1).join(", ");
    const before = survivors.map((n) => n.views.length);
    const sent = performance.now();
    victim.child.kill(signal);
    // Only views after the signal count: a survivor may have been in a view of the same members
    // before it (a split while the group started), which says nothing of this trial.
    await until(() => survivors.every((n) => n.views.some((v) => v.members === expected && v.at >= sent)), 30_000);
    const times = viewTimes(survivors, expected, sent);
    // Which views left out a live member, where and when: what a reader needs to tell a false suspicion from a slow flush.
    const wrong = survivors.flatMap((n, i) => n.views.slice(before[i]).filter((v) => v.members !== expected).map((v) => `node ${i}: {${v.members}} at ${ms(v.at - sent)}`));
    const falseViews = wrong.length;
    // Suspicions of a live member by a survivor, from the signal until the view without the victim: which a view change may or may not follow.
    const settled = performance.now();
    const victimRank = nodes.length - 1;
    const falseSuspicions = survivors.flatMap((n, i) =>
      n.suspicions.filter((x) => x.at >= sent && x.at <= settled && x.members.some((q) => q !== victimRank)).map((x) => `node ${i} suspects {${x.members.join(", ")}} at ${ms(x.at - sent)}`),
    );
    if (signal === "SIGKILL") return { times, falseViews, wrong, falseSuspicions, missed: survivors.length - times.length, rejoin: [] };
    const everyone = range(MEMBERS).join(", ");
    const continued = performance.now();
    victim.child.kill("SIGCONT");
    await until(() => nodes.every((n) => n.views.some((v) => v.members === everyone && v.at >= continued)), 30_000);
    return { times, falseViews, wrong, falseSuspicions, missed: survivors.length - times.length, rejoin: viewTimes(nodes, everyone, continued) };
  } finally {
    stopAll(nodes);
  }
}

/** One join: a process joins the running group through member 0; each member's time from its first join request to the view of all. */
async function joinTrial(): Promise<{ members: number[]; joiner: number[] }> {
  const { nodes, peers } = await startGroup();
  const joiner = startNode(["--join", peers[0]!, "--bind", "127.0.0.1:0"]);
  const all = [...nodes, joiner];
  try {
    const everyone = range(MEMBERS + 1).join(", ");
    await until(() => joiner.joining !== undefined && all.every((n) => n.views.some((v) => v.members === everyone)), 30_000);
    const since = joiner.joining ?? NaN;
    return { members: viewTimes(nodes, everyone, since), joiner: viewTimes([joiner], everyone, since) };
  } finally {
    stopAll(all);
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number) => `${Math.round(x)} ms`;

const summary = (xs: readonly number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const figure = (s: { median: number; min: number; max: number }) => (Number.isNaN(s.median) ? "not measured" : `${ms(s.median).padEnd(8)} (${ms(s.min)}–${ms(s.max)})`);

async function troupe(signal: "SIGKILL" | "SIGSTOP") {
  const all: number[] = [];
  const rejoin: number[] = [];
  let falseViews = 0;
  let falseSuspicions = 0;
  let missed = 0;
  for (let t = 0; t < TRIALS; t++) {
    const r = await trial(signal);
    all.push(...r.times);
    rejoin.push(...r.rejoin);
    falseViews += r.falseViews;
    falseSuspicions += r.falseSuspicions.length;
    missed += r.missed;
    console.log(`  ${signal} trial ${t + 1}: view without the member at the survivors after ${r.times.map(ms).join(", ")}${r.rejoin.length ? `; SIGCONT -> view with it again after ${r.rejoin.map(ms).join(", ")}` : ""}${r.falseViews ? `; ${r.falseViews} views leaving out a live member (${r.wrong.join(", ")})` : ""}${r.falseSuspicions.length ? `; live members suspected (${r.falseSuspicions.join(", ")})` : ""}`);
  }
  return { ...summary(all), rejoin: summary(rejoin), falseViews, falseSuspicions, missed };
}

async function joins() {
  const members: number[] = [];
  const joiner: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const r = await joinTrial();
    members.push(...r.members);
    joiner.push(...r.joiner);
    console.log(`  join trial ${t + 1}: view of ${MEMBERS + 1} at the members after ${r.members.map(ms).join(", ")}; at the joiner after ${r.joiner.map(ms).join(", ")}`);
  }
  return { members: summary(members), joiner: summary(joiner) };
}

function jgroups(): Record<string, string> {
  if (process.argv.includes("--no-jgroups")) return {};
  if (!existsSync("/usr/share/java/jgroups.jar")) {
    console.log("  JGroups: not run (apt-get install -y libjgroups-java first)");
    return {};
  }
  spawnSync("bash", [joinPath(ANCHORS, "build.sh")], { stdio: "ignore" });
  const r = spawnSync("python3", [joinPath(ANCHORS, "run_jg_views.py"), "/tmp/jg/cfg/udp-lo.xml", "/tmp/jg/views", String(TRIALS), "1"], { encoding: "utf8", timeout: 600_000 });
  const out: Record<string, string> = {};
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /^SUMMARY (.*): n=\d+ median=([\d.]+) ms/.exec(line);
    if (m) out[m[1]!] = `${Math.round(Number(m[2]))} ms`;
  }
  return out;
}

console.log(`Membership benchmark: ${MEMBERS} troupe node processes of the vsync stack on 127.0.0.1, each casting ${RATE === "max" ? "as fast as flow control lets it (full load)" : `${RATE} messages/s`}, ${TRIALS} trials; timers at ${TIMER_SCALE} of the layers' delays; failure detector ${FAILURE_DETECTOR ?? "defaults (beat=100,sweep=300,suspect=900)"}${SLANDER ? ", suspicions passed on (slander)" : ""}\n`);
const skipped = { ...summary([]), rejoin: summary([]), falseViews: 0, falseSuspicions: 0, missed: 0 };
const killed = ONLY.includes("kill") ? await troupe("SIGKILL") : skipped;
const stopped = ONLY.includes("stop") ? await troupe("SIGSTOP") : skipped;
const joined = ONLY.includes("join") ? await joins() : { members: summary([]), joiner: summary([]) };
console.log("\nJGroups 2.12 (udp.xml), 3 members, through ../shared/anchors/jgroups/run_jg_views.py");
const jg = jgroups();
console.log(`
  same run, same machine                 Troupe (vsync, ${MEMBERS} members)      JGroups 2.12 (udp.xml, 3 members)
  SIGKILL -> new view at survivors, p50  ${figure(killed)}           ${jg["kill -9 -> view at survivors"] ?? "not run"}
  SIGSTOP -> new view at survivors, p50  ${figure(stopped)}           ${jg["SIGSTOP -> view at survivors"] ?? "not run"}
  join -> view at the members, p50       ${figure(joined.members)}           ${jg["join view installed at existing members"] ?? "not run"}
  join -> view at the joiner, p50        ${figure(joined.joiner)}
  SIGCONT -> view with it again, p50     ${figure(stopped.rejoin)}           (not measured by the harness)
  views leaving out a live member        ${killed.falseViews + stopped.falseViews}
  live members suspected (by survivors)  ${killed.falseSuspicions + stopped.falseSuspicions}
  survivors that never installed it      ${killed.missed + stopped.missed}`);
process.exit(0);
