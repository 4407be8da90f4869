// troupe node: one member of a group, as a process: founds it with the others (--peers) or joins it
// running through any member's address (--join), casts what it is told to, prints what it delivers,
// records its trace, and stops on SIGINT or SIGTERM. With --commands it takes lines on stdin:
//
//   partition 0,1|2,3   inject a partition at the transport (this member keeps to its side)
//   heal                end it
//   leave               leave the group cleanly, then exit
//   view                ask for a view change (same members, new view)
//   stop                stop casting
//   state               print the --state ledger

import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { SuspectOptions } from "../../layers/suspect.ts";
import { ConfigError, formatAddress, join, parseFailureDetector, parseFaultRates, parseSides, STACK_NAMES, TOTAL_PROTOCOLS, totalDropped, type Counters, type FaultRates, type Member, type Security, type TotalProtocol } from "../../runtime/index.ts";
import { Ledger } from "./ledger.ts";
import { integerOption, rateOption } from "../options.ts";
import { stackOption } from "../stack-option.ts";
import { style } from "../output.ts";

interface NodeOptions {
  group: string;
  peers?: string;
  join?: string;
  capacity?: number;
  bind?: string;
  commands?: boolean;
  state?: boolean;
  port?: number;
  rank?: number;
  stack: string;
  trace?: string;
  faults?: FaultRates;
  failureDetector?: SuspectOptions;
  slander?: boolean;
  casts?: number;
  rate?: number | "max";
  size?: number;
  expect?: number;
  linger: number;
  timerScale: number;
  batching: boolean;
  packing?: number;
  switch?: SwitchRequest;
  quiet?: boolean;
  secretFile?: string;
  keyFile?: string;
}

/** Ask the group to switch to `protocol` once this member has cast `after` messages. */
interface SwitchRequest {
  readonly protocol: TotalProtocol;
  readonly after: number;
}

export function registerNode(program: Command): void {
  program
    .command("node")
    .description("run one member of a group over UDP: cast, deliver, record the trace")
    .requiredOption("--group <name>", "the group's name (members of other groups are not heard)")
    .option("--peers <host:port,...>", "found the group: every founding member's address, in rank order, this one's included")
    .option("--join <host:port>", "join the running group through this member's address (its settings come from it)")
    .option("--capacity <n>", "with --peers: slots in the group, so that processes can join later (default: the founders)", integerOption("--capacity", 1))
    .option("--bind <host:port>", "the address to bind (host 0.0.0.0: every interface); default: this member's peer address, or 0.0.0.0 and --port with --join")
    .option("--port <port>", "this member's port (finds its rank among the peers; with --join, the port to bind)", integerOption("--port", 0))
    .option("--rank <rank>", "this member's rank (its index among the peers)", integerOption("--rank", 0))
    .option("--stack <name>", `the stack: ${STACK_NAMES.join(", ")}`, stackOption, "fifo")
    .option("--trace <file>", "record this member's group actions as JSON lines (for troupe validate)")
    .option("--faults <rates>", "inject faults into outgoing datagrams: drop=0.1,duplicate=0.05,delay=0.1,maxDelay=20,seed=1", faultsOption)
    .option("--casts <n>", "cast this many messages (default: none, or forever with --rate)", integerOption("--casts", 0))
    .option("--rate <n|max>", "casts per second (default 1000 with --casts); max: as fast as the stack's flow control takes them", rateOption)
    .option("--size <bytes>", "pad each cast to this many bytes", integerOption("--size", 0))
    .option("--expect <n>", "once N casts have been delivered here, print \"done: delivered N\" and leave the group (after --linger)", integerOption("--expect", 1))
    .option("--linger <ms>", "with --expect: keep serving the group this long after done (peers may still need retransmissions)", integerOption("--linger", 0), 2000)
    .option("--timer-scale <x>", "real milliseconds per millisecond of the layers' timer delays", Number, 1)
    .option("--failure-detector <delays>", "the failure detector's delays in ms: beat=100,sweep=300,suspect=900,silent=5000 (the defaults; any subset)", parseFailureDetector)
    .option("--slander", "members pass their suspicions on, so that a member some of the group cannot hear is excluded (a setting of the group: every founder gives it; a joiner takes the group's)")
    .option("--no-batching", "send each run's packets at once instead of batching them (lower latency)")
    .option("--packing <bytes>", "pack the casts of one turn of the event loop into messages of the stack of at most this many bytes (default: the fragment size, 8192); 0: a message per cast", integerOption("--packing", 0))
    .option("--state", "keep a ledger of the casts delivered (count, digest) as the application's state, transferred to members that join")
    .option("--commands", "take commands on stdin: partition 0,1|2,3, heal, leave, view, stop, state")
    .option("--secret-file <file>", "a secure stack's group secret: the file's text (its first line)")
    .option("--key-file <file>", "a secure stack's key list: a JSON file { \"privateKey\": this member's, \"publicKeys\": [every member's, by rank] }")
    .option("--switch <protocol[@casts]>", `ask the group to switch total order protocols (${TOTAL_PROTOCOLS.join(", ")}) once this member has cast N messages (default 0: at once); stacks total, total-token and total-secure`, switchOption)
    .option("-q, --quiet", "print a count of the deliveries each second instead of each delivery")
    .action(async (options: NodeOptions) => {
      if (!(options.timerScale > 0)) throw new ConfigError(`--timer-scale expects a positive number, got ${options.timerScale}`);
      if ((options.peers === undefined) === (options.join === undefined)) throw new ConfigError("give --peers (to found the group) or --join HOST:PORT (to join it running), one of the two");
      // A trace file in a folder that does not exist yet: make the folder.
      if (options.trace !== undefined) mkdirSync(dirname(options.trace), { recursive: true });
      const ledger = options.state ? new Ledger() : undefined;
      if (options.join !== undefined) console.error(style("dim", `joining group ${options.group} through ${options.join}`));
      const member = await join({
        group: options.group,
        ...(options.peers !== undefined && { peers: options.peers.split(",").map((p) => p.trim()) }),
        ...(options.join !== undefined && { contact: options.join }),
        ...(options.capacity !== undefined && { capacity: options.capacity }),
        ...(options.bind !== undefined && { bind: options.bind }),
        ...(ledger !== undefined && { state: ledger }),
        stack: options.stack as never,
        timerScale: options.timerScale,
        ...(options.failureDetector !== undefined && { failureDetector: options.failureDetector }),
        ...(options.slander !== undefined && { slander: options.slander }),
        batching: options.batching,
        ...(options.packing !== undefined && { packing: options.packing }),
        ...(options.port !== undefined && { port: options.port }),
        ...(options.rank !== undefined && { rank: options.rank }),
        ...(options.trace !== undefined && { trace: options.trace }),
        ...(options.faults !== undefined && { faults: options.faults }),
        ...securityOption(options),
      });
      console.error(style("dim", `node ${member.rank} of ${member.n} in group ${member.group} (${member.stack.name.replace(/\[.*/, "")})${member.address ? ` at ${formatAddress(member.address)}` : ""}`));
      if (options.switch !== undefined && member.protocol === undefined) throw new ConfigError(`--switch: the ${options.stack} stack cannot switch protocols; total, total-token and total-secure can`);
      const done = report(member, options, ledger);
      const caster = castLoop(member, options);
      const commands = options.commands ? takeCommands(member, caster, ledger) : undefined;
      await Promise.race([stopSignal(), commands?.left ?? new Promise<void>(() => {}), done.then(() => sleep(options.linger))]);
      caster.stop();
      commands?.close();
      await member.close();
      console.error(style("dim", `node ${member.rank}: ${summary(member.counters)}${rejections(member)}`));
    });
}

/** The security of a secure stack, from --secret-file or --key-file. */
function securityOption(options: NodeOptions): { security?: Security } {
  if (options.secretFile !== undefined && options.keyFile !== undefined) throw new ConfigError("give --secret-file or --key-file, not both");
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch (e) {
      throw new ConfigError(`${flag}: cannot read ${file}: ${(e as Error).message}`);
    }
  };
  if (options.secretFile !== undefined) return { security: { secret: read(options.secretFile, "--secret-file").split("\n")[0]!.trim() } };
  if (options.keyFile === undefined) return {};
  try {
    return { security: JSON.parse(read(options.keyFile, "--key-file")) as Security };
  } catch (e) {
    throw e instanceof ConfigError ? e : new ConfigError(`--key-file ${options.keyFile}: not JSON: ${(e as Error).message}`);
  }
}

/** What a secure stack dropped, by reason ("" when nothing). */
function rejections(member: Member): string {
  const rejected = Object.entries(member.rejected).filter(([, k]) => k > 0).map(([reason, k]) => `${reason} ${k}`);
  return rejected.length > 0 ? `; rejected by encrypt: ${rejected.join(", ")}` : "";
}

function switchOption(text: string): SwitchRequest {
  const m = /^([a-z-]+)(?:@(\d+))?$/.exec(text.trim());
  if (!m || !(TOTAL_PROTOCOLS as readonly string[]).includes(m[1]!)) {
    throw new ConfigError(`--switch expects a protocol (${TOTAL_PROTOCOLS.join(", ")}), optionally followed by @ and a number of casts, as in token@100; got "${text}"`);
  }
  return { protocol: m[1] as TotalProtocol, after: m[2] === undefined ? 0 : Number(m[2]) };
}

function faultsOption(text: string): FaultRates {
  return parseFaultRates(text);
}

/** Prints deliveries (with --quiet, a count each second); resolves once `--expect` casts have been delivered (never without --expect). */
function report(member: Member, options: NodeOptions, ledger: Ledger | undefined): Promise<void> {
  let delivered = 0;
  const tally = options.quiet ? deliveryTally(member) : undefined;
  return new Promise((done) => {
    member.on("error", (error) => console.error(`node ${member.rank}: ${error.message}`));
    let protocol = member.protocol;
    member.on("view", (view) => {
      console.log(`node ${member.rank} installed view ${view.id} {${view.members.toArray().join(", ")}}`);
      if (member.protocol !== protocol) console.log(`node ${member.rank} runs ${member.protocol} from view ${view.id}`);
      protocol = member.protocol;
    });
    member.on("excluded", (view) => console.log(`node ${member.rank} excluded: view ${view.id} {${view.members.toArray().join(", ")}} goes on without it`));
    member.on("suspect", (members) => console.log(`node ${member.rank} suspects {${members.toArray().join(", ")}}`));
    member.on("transfer", (t) => {
      if (t.role === "receiver") console.log(`node ${member.rank} restored the state of view ${t.view} from node ${t.donor}: ${ledger ?? "(no ledger)"}`);
      else console.log(`node ${member.rank} sent its state at view ${t.view} to ${t.to!.map((q) => `node ${q}`).join(", ")} (${t.bytes} bytes)`);
    });
    member.on("deliver", (d) => {
      ledger?.add(d.sender, d.seq, d.text());
      delivered++;
      if (tally) tally.add(d.sender);
      else console.log(`node ${member.rank} delivered #${d.seq} from ${d.sender}: ${d.text().trimEnd()}`);
      if (delivered === options.expect) {
        tally?.print();
        console.log(`done: delivered ${delivered}`);
        done();
      }
    });
  });
}

/**
 * Counts deliveries by sender and prints the counts of each second that had any:
 * `node 0 delivered 15,012 casts in 1.0 s (from 0: 3,002, 1: 3,003, …)`.
 */
function deliveryTally(member: Member): { add(sender: number): void; print(): void } {
  const counts = new Map<number, number>();
  let since = performance.now();
  const print = () => {
    const now = performance.now();
    if (counts.size > 0) {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const bySender = [...counts].sort(([a], [b]) => a - b).map(([q, k]) => `${q}: ${k.toLocaleString("en-US")}`);
      console.log(`node ${member.rank} delivered ${total.toLocaleString("en-US")} casts in ${((now - since) / 1000).toFixed(1)} s (from ${bySender.join(", ")})`);
      counts.clear();
    }
    since = now;
  };
  setInterval(print, 1000).unref();
  return { add: (sender) => counts.set(sender, (counts.get(sender) ?? 0) + 1), print };
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

interface Caster {
  stop(): void;
}

/** Casts `--casts` messages (or forever, with only `--rate`) at `--rate` per second, or as fast as the stack takes them. */
function castLoop(member: Member, options: NodeOptions): Caster {
  const total = options.casts ?? (options.rate !== undefined ? Infinity : 0);
  const request = options.switch;
  let asked = false;
  const ask = (cast: number) => {
    if (request === undefined || asked || cast < request.after) return;
    asked = true;
    member.switchProtocol(request.protocol);
    console.log(`node ${member.rank} asks the group to switch to ${request.protocol}`);
  };
  ask(0);
  if (total === 0) return { stop() {} };
  let cast = 0;
  const castOne = () => {
    member.cast(payload(`hello ${cast + 1} from ${member.rank}`, options.size));
    ask(++cast);
  };
  const casts = () => cast;
  return options.rate === "max" ? castAtWill(member, total, casts, castOne) : castAtRate(options.rate ?? 1000, total, casts, castOne);
}

/** Casts `rate` a second: each tick, as many as are due by then (a late tick catches up). */
function castAtRate(rate: number, total: number, casts: () => number, castOne: () => void): Caster {
  const start = Date.now();
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000) + 1);
    while (casts() < due) castOne();
    if (casts() >= total) clearInterval(timer);
  }, Math.max(10, 1000 / rate));
  return { stop: () => clearInterval(timer) };
}

/**
 * Casts while the stack holds back fewer than a burst of this member's casts (its flow control
 * has credit: Member.backlog), a burst a turn of the event loop, and looks again a millisecond
 * later when it has none: a full load that grows no buffer.
 */
function castAtWill(member: Member, total: number, casts: () => number, castOne: () => void): Caster {
  const BURST = 100;
  let stopped = false;
  const pump = () => {
    if (stopped) return;
    for (let k = 0; k < BURST && casts() < total && member.backlog < BURST; k++) castOne();
    if (casts() >= total) return;
    if (member.backlog < BURST) setImmediate(pump);
    else setTimeout(pump, 1);
  };
  pump();
  return { stop: () => void (stopped = true) };
}

/** Takes --commands from stdin: `left` resolves once the member has left (the `leave` command); `close` stops reading (so the process can end). */
function takeCommands(member: Member, caster: Caster, ledger: Ledger | undefined): { left: Promise<void>; close(): void } {
  const lines = createInterface({ input: process.stdin });
  const close = () => {
    lines.close();
    process.stdin.destroy();
  };
  const left = new Promise<void>((left) => {
    lines.on("line", (line) => {
      const [command = "", arg = ""] = line.trim().split(/\s+/);
      try {
        switch (command) {
          case "partition": {
            const side = parseSides(arg, member.n).find((s) => s.includes(member.rank)) ?? [member.rank];
            member.partition(side);
            console.log(`node ${member.rank} partitioned: reaches {${side.join(", ")}}`);
            return;
          }
          case "heal":
            member.heal();
            console.log(`node ${member.rank} healed`);
            return;
          case "leave":
            caster.stop();
            void member.leave().then((how) => {
              console.log(`node ${member.rank} left: ${how}`);
              left();
            });
            return;
          case "view":
            member.changeView();
            return;
          case "stop":
            caster.stop();
            console.log(`node ${member.rank} stopped casting`);
            return;
          case "state":
            console.log(`node ${member.rank} state: ${ledger ?? "(no ledger: start with --state)"}`);
            return;
          case "":
            return;
          default:
            console.error(`node ${member.rank}: unknown command "${command}" (partition 0,1|2,3, heal, leave, view, stop, state)`);
        }
      } catch (e) {
        console.error(`node ${member.rank}: ${command}: ${(e as Error).message}`);
      }
    });
  });
  return { left, close };
}

function payload(text: string, size: number | undefined): string {
  return size === undefined || size <= text.length ? text : text.padEnd(size, ".");
}

function stopSignal(): Promise<void> {
  return new Promise((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
}

function summary(c: Counters): string {
  const drops = Object.entries(c.dropped).filter(([, k]) => k > 0).map(([reason, k]) => `${reason} ${k}`);
  const faults = c.faults.dropped + c.faults.duplicated + c.faults.delayed > 0 ? `; faults injected: dropped ${c.faults.dropped}, duplicated ${c.faults.duplicated}, delayed ${c.faults.delayed}` : "";
  return `in ${c.datagramsIn} datagrams (${c.bytesIn} bytes, ${c.packetsIn} packets), dropped ${totalDropped(c)}${drops.length ? ` (${drops.join(", ")})` : ""}; out ${c.datagramsOut} datagrams (${c.bytesOut} bytes, ${c.packetsOut} packets)${faults}`;
}
