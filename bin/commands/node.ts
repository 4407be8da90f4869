// troupe node: one member of a group, as a process: joins, casts what it is told to, prints what
// it delivers, records its trace, and leaves cleanly on SIGINT or SIGTERM.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { ConfigError, join, parseFaultRates, STACK_NAMES, TOTAL_PROTOCOLS, totalDropped, type Counters, type FaultRates, type Member, type TotalProtocol } from "../../runtime/index.ts";
import { integerOption, stackOption } from "../options.ts";
import { style } from "../output.ts";

interface NodeOptions {
  group: string;
  peers: string;
  port?: number;
  rank?: number;
  stack: string;
  trace?: string;
  faults?: FaultRates;
  casts?: number;
  rate?: number;
  size?: number;
  expect?: number;
  linger: number;
  timerScale: number;
  batching: boolean;
  switch?: SwitchRequest;
  quiet?: boolean;
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
    .requiredOption("--peers <host:port,...>", "every member's address, in rank order, this one's included")
    .option("--port <port>", "this member's port (finds its rank among the peers)", integerOption("--port", 1))
    .option("--rank <rank>", "this member's rank (its index among the peers)", integerOption("--rank", 0))
    .option("--stack <name>", `the stack: ${STACK_NAMES.join(", ")}`, stackOption, "fifo")
    .option("--trace <file>", "record this member's group actions as JSON lines (for troupe validate)")
    .option("--faults <rates>", "inject faults into outgoing datagrams: drop=0.1,duplicate=0.05,delay=0.1,maxDelay=20,seed=1", faultsOption)
    .option("--casts <n>", "cast this many messages (default: none, or forever with --rate)", integerOption("--casts", 0))
    .option("--rate <n>", "casts per second (default 1000 with --casts)", integerOption("--rate", 1))
    .option("--size <bytes>", "pad each cast to this many bytes", integerOption("--size", 0))
    .option("--expect <n>", "once N casts have been delivered here, print \"done: delivered N\" and leave the group (after --linger)", integerOption("--expect", 1))
    .option("--linger <ms>", "with --expect: keep serving the group this long after done (peers may still need retransmissions)", integerOption("--linger", 0), 2000)
    .option("--timer-scale <x>", "real milliseconds per millisecond of the layers' timer delays", Number, 1)
    .option("--no-batching", "send each run's packets at once instead of batching them (lower latency)")
    .option("--switch <protocol[@casts]>", `ask the group to switch total order protocols (${TOTAL_PROTOCOLS.join(", ")}) once this member has cast N messages (default 0: at once); stacks total and total-token`, switchOption)
    .option("-q, --quiet", "do not print each delivery")
    .action(async (options: NodeOptions) => {
      if (!(options.timerScale > 0)) throw new ConfigError(`--timer-scale expects a positive number, got ${options.timerScale}`);
      // A trace file in a folder that does not exist yet: make the folder.
      if (options.trace !== undefined) mkdirSync(dirname(options.trace), { recursive: true });
      const member = await join({
        group: options.group,
        peers: options.peers.split(",").map((p) => p.trim()),
        stack: options.stack as never,
        timerScale: options.timerScale,
        batching: options.batching,
        ...(options.port !== undefined && { port: options.port }),
        ...(options.rank !== undefined && { rank: options.rank }),
        ...(options.trace !== undefined && { trace: options.trace }),
        ...(options.faults !== undefined && { faults: options.faults }),
      });
      console.error(style("dim", `node ${member.rank} of ${member.n} in group ${member.group} (${options.stack})`));
      if (options.switch !== undefined && member.protocol === undefined) throw new ConfigError(`--switch: the ${options.stack} stack cannot switch protocols; total and total-token can`);
      const done = report(member, options);
      const caster = castLoop(member, options);
      await Promise.race([stopSignal(), done.then(() => sleep(options.linger))]);
      clearInterval(caster);
      await member.close();
      console.error(style("dim", `node ${member.rank}: ${summary(member.counters)}`));
    });
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

/** Prints deliveries; resolves once `--expect` casts have been delivered (never without --expect). */
function report(member: Member, options: NodeOptions): Promise<void> {
  let delivered = 0;
  return new Promise((done) => {
    member.on("error", (error) => console.error(`node ${member.rank}: ${error.message}`));
    let protocol = member.protocol;
    member.on("view", (view) => {
      if (!options.quiet) console.log(`node ${member.rank} installed view ${view.id} {${view.members.toArray().join(", ")}}`);
      if (member.protocol !== protocol) console.log(`node ${member.rank} runs ${member.protocol} from view ${view.id}`);
      protocol = member.protocol;
    });
    member.on("deliver", (d) => {
      delivered++;
      if (!options.quiet) console.log(`node ${member.rank} delivered #${d.seq} from ${d.sender}: ${d.text().trimEnd()}`);
      if (delivered === options.expect) {
        console.log(`done: delivered ${delivered}`);
        done();
      }
    });
  });
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

/** Casts `--casts` messages (or forever, with only `--rate`) at `--rate` per second. */
function castLoop(member: Member, options: NodeOptions): NodeJS.Timeout | undefined {
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
  if (total === 0) return undefined;
  const rate = options.rate ?? 1000;
  const tick = Math.max(10, 1000 / rate);
  const start = Date.now();
  let cast = 0;
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000) + 1);
    for (; cast < due; cast++) {
      member.cast(payload(`hello ${cast + 1} from ${member.rank}`, options.size));
      ask(cast + 1);
    }
    if (cast >= total) clearInterval(timer);
  }, tick);
  return timer;
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
