// troupe run: a local group on loopback, one `troupe node` child process per member, with their
// deliveries shown as they happen. Stops once every member has delivered every cast (--casts), or
// on Ctrl-C; either way every child is stopped and waited for.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join as joinPath } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { freePorts, parseFailureDetector, STACK_NAMES } from "../../runtime/index.ts";
import { EXIT } from "../exit-status.ts";
import { integerOption, rateOption } from "../options.ts";
import { stackOption } from "../stack-option.ts";
import { style } from "../output.ts";

interface RunOptions {
  stack: string;
  nodes: number;
  group: string;
  casts?: number;
  rate: number | "max";
  basePort?: number;
  traceDir?: string;
  faults?: string;
  timerScale: string;
  failureDetector?: string;
  slander?: boolean;
  packing?: number;
  switch?: string;
  quiet?: boolean;
}

const TROUPE = fileURLToPath(new URL("../troupe.js", import.meta.url));
const COLOURS = ["cyan", "magenta", "yellow", "green", "blue", "red"] as const;

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("start a local group on loopback (one process per member) and show its deliveries")
    .option("--stack <name>", `the stack: ${STACK_NAMES.join(", ")}`, stackOption, "fifo")
    .option("--nodes <n>", "members", integerOption("--nodes", 1), 3)
    .option("--group <name>", "the group's name", "demo")
    .option("--casts <n>", "each member casts this many messages, then the group stops once all are delivered (default: cast until Ctrl-C)", integerOption("--casts", 1))
    .option("--rate <n|max>", "casts per second per member; max: as fast as the stack's flow control takes them", rateOption, 2)
    .option("--base-port <port>", "members listen on this port and the next ones (default: free ports)", integerOption("--base-port", 1))
    .option("--trace-dir <dir>", "each member records its trace in DIR/node-<rank>.jsonl")
    .option("--faults <rates>", "faults each member injects into its outgoing datagrams (as for troupe node)")
    .option("--timer-scale <x>", "real milliseconds per millisecond of the layers' timer delays", "1")
    .option("--failure-detector <delays>", "the failure detector's delays in ms (as for troupe node): beat=100,sweep=300,suspect=900,silent=5000")
    .option("--slander", "members pass their suspicions on (as for troupe node)")
    .option("--packing <bytes>", "the most bytes of casts each member packs into one message of the stack (as for troupe node; 0: none)", integerOption("--packing", 0))
    .option("--switch <protocol[@casts]>", "the highest-ranked member asks the group to switch total order protocols once it has cast N messages (as for troupe node)")
    .option("-q, --quiet", "show only the summary, not each delivery")
    .action(async (options: RunOptions) => {
      if (options.failureDetector !== undefined) parseFailureDetector(options.failureDetector);
      if (options.traceDir !== undefined) mkdirSync(options.traceDir, { recursive: true });
      const ports = options.basePort === undefined ? await freePorts(options.nodes) : Array.from({ length: options.nodes }, (_, i) => options.basePort! + i);
      const peers = ports.map((p) => `127.0.0.1:${p}`).join(",");
      console.log(style("bold", `group ${options.group}: ${options.nodes} members of stack ${options.stack} on ${peers}`));
      const children = ports.map((_, rank) => spawn(process.execPath, [TROUPE, "node", ...nodeArgs(options, peers, rank)], { stdio: ["ignore", "pipe", "pipe"] }));
      const exits = children.map((child) => new Promise<number | null>((done) => child.once("exit", (code) => done(code))));
      let done = 0;
      const stop = () => children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
      children.forEach((child, rank) =>
        follow(child, rank, (line) => {
          if (!line.startsWith("done:")) return;
          if (++done === children.length) stop();
        }),
      );
      let interrupted = false;
      const interrupt = () => {
        interrupted = true;
        stop();
      };
      process.once("SIGINT", interrupt);
      process.once("SIGTERM", interrupt);
      const codes = await Promise.all(exits);
      process.removeListener("SIGINT", interrupt);
      process.removeListener("SIGTERM", interrupt);
      const failed = codes.flatMap((code, rank) => (code === 0 ? [] : [`node ${rank} exited with ${code}`]));
      console.log(failed.length === 0 ? style("green", `stopped: ${done} of ${children.length} members delivered every cast`) : style("red", failed.join("; ")));
      process.exitCode = runStatus(codes, interrupted && options.casts !== undefined && done < children.length);
    });
}

/** A member that refused its options makes the run a usage error; one that failed otherwise, a failure; Ctrl-C before every cast was delivered, incomplete. */
function runStatus(codes: readonly (number | null)[], cutShort: boolean): number {
  if (codes.includes(EXIT.usage)) return EXIT.usage;
  if (codes.some((code) => code !== 0)) return EXIT.violated;
  return cutShort ? EXIT.incomplete : EXIT.holds;
}

function nodeArgs(options: RunOptions, peers: string, rank: number): string[] {
  const args = ["--group", options.group, "--peers", peers, "--rank", String(rank), "--stack", options.stack, "--rate", String(options.rate), "--timer-scale", options.timerScale];
  // The members say when they are done, and the run stops them all together: a member that left on
  // its own could still owe a slower one a retransmission (the long --linger only bounds orphans).
  if (options.casts !== undefined) args.push("--casts", String(options.casts), "--expect", String(options.casts * options.nodes), "--linger", "60000");
  if (options.traceDir !== undefined) args.push("--trace", joinPath(options.traceDir, `node-${rank}.jsonl`));
  if (options.faults !== undefined) args.push("--faults", options.faults);
  if (options.failureDetector !== undefined) args.push("--failure-detector", options.failureDetector);
  if (options.slander) args.push("--slander");
  if (options.packing !== undefined) args.push("--packing", String(options.packing));
  if (options.switch !== undefined && rank === options.nodes - 1) args.push("--switch", options.switch);
  if (options.quiet) args.push("--quiet");
  return args;
}

/** Shows a child's output, each line marked with its node; `onLine` sees its stdout lines. */
function follow(child: ChildProcess, rank: number, onLine: (line: string) => void): void {
  const tag = style(COLOURS[rank % COLOURS.length]!, `[node ${rank}]`);
  createInterface({ input: child.stdout! }).on("line", (line) => {
    console.log(`${tag} ${line}`);
    onLine(line);
  });
  createInterface({ input: child.stderr! }).on("line", (line) => console.error(`${tag} ${line}`));
}
