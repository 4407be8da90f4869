// troupe node: one member of a group, as a process: joins, casts what it is told to, prints what
// it delivers, records its trace, and leaves cleanly on SIGINT or SIGTERM.

import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { ConfigError, join, parseFaultRates, STACK_NAMES, totalDropped, type Counters, type FaultRates, type Member, type Security } from "../../runtime/index.ts";
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
  quiet?: boolean;
  secretFile?: string;
  keyFile?: string;
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
    .option("--secret-file <file>", "a secure stack's group secret: the file's text (its first line)")
    .option("--key-file <file>", "a secure stack's key list: a JSON file { \"privateKey\": this member's, \"publicKeys\": [every member's, by rank] }")
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
        ...securityOption(options),
      });
      console.error(style("dim", `node ${member.rank} of ${member.n} in group ${member.group} (${options.stack})`));
      const done = report(member, options);
      const caster = castLoop(member, options);
      await Promise.race([stopSignal(), done.then(() => sleep(options.linger))]);
      clearInterval(caster);
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

function faultsOption(text: string): FaultRates {
  return parseFaultRates(text);
}

/** Prints deliveries; resolves once `--expect` casts have been delivered (never without --expect). */
function report(member: Member, options: NodeOptions): Promise<void> {
  let delivered = 0;
  return new Promise((done) => {
    member.on("error", (error) => console.error(`node ${member.rank}: ${error.message}`));
    member.on("view", (view) => {
      if (!options.quiet) console.log(`node ${member.rank} installed view ${view.id} {${view.members.toArray().join(", ")}}`);
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
  if (total === 0) return undefined;
  const rate = options.rate ?? 1000;
  const tick = Math.max(10, 1000 / rate);
  const start = Date.now();
  let cast = 0;
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000) + 1);
    for (; cast < due; cast++) member.cast(payload(`hello ${cast + 1} from ${member.rank}`, options.size));
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
