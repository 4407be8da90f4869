// `troupe node` processes for end-to-end tests: started on 127.0.0.1, their printed output parsed
// as it comes (deliveries, views, exclusions, state transfers, ledgers), commands written to their
// stdin, and every one of them killed when the test ends.

import { spawn, type ChildProcess } from "node:child_process";
import { join as joinPath } from "node:path";
import { createInterface } from "node:readline";
import { range } from "../../ioa/index.ts";
import { root, troupe } from "./cli.ts";

const TROUPE = joinPath(root, "bin/troupe.js");

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Its slot, once it printed it (a joiner learns it from its contact). */
  rank: number | undefined;
  /** Per sender, the sequence numbers delivered (from its printed deliveries). */
  readonly delivered: number[][];
  /** Every delivery, in order, as "sender/seq". */
  readonly sequence: string[];
  /** The total order protocols it ran, as it printed them at views that changed it. */
  readonly protocols: string[];
  /** The views it installed, in order. */
  readonly views: { readonly id: number; readonly members: number[] }[];
  /** The members its failure detector came to suspect, as it printed them, in order. */
  readonly suspicions: number[][];
  /** Lines of note: "excluded …", "restored …", "sent its state …", "state: …", "left: …". */
  readonly notes: string[];
  /** Every line it printed on stderr. */
  readonly errors: string[];
  done: boolean;
  readonly exited: Promise<number | null>;
  /** Writes a --commands line to its stdin. */
  command(line: string): void;
  /** The members of its current view, joined by commas. */
  viewNow(): string;
  /** Its last printed ledger ("N deliveries, digest D"). */
  ledger(): string | undefined;
}

const running: ChildProcess[] = [];

/** Kills every node process still running (call from afterEach). */
export function killNodes(): void {
  for (const c of running.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill("SIGCONT");
    c.kill("SIGKILL");
  }
}

export function startNode(args: readonly string[], capacity: number): NodeProcess {
  const child = spawn(process.execPath, [TROUPE, "node", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  running.push(child);
  const node: NodeProcess = {
    child,
    rank: undefined,
    delivered: range(capacity).map(() => []),
    sequence: [],
    protocols: [],
    views: [],
    suspicions: [],
    notes: [],
    errors: [],
    done: false,
    exited: new Promise((done) => child.once("exit", (code) => done(code))),
    command: (line) => void child.stdin!.write(`${line}\n`),
    viewNow: () => node.views.at(-1)?.members.join() ?? "",
    ledger: () => node.notes.filter((n) => n.startsWith("state: ")).at(-1)?.slice("state: ".length),
  };
  child.stdin!.on("error", () => {});
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const m = /^node \d+ delivered #(\d+) from (\d+):/.exec(line);
    if (m) {
      node.delivered[Number(m[2])]!.push(Number(m[1]));
      return void node.sequence.push(`${m[2]}/${m[1]}`);
    }
    const p = /^node \d+ runs ([\w-]+) from view/.exec(line);
    if (p) return void node.protocols.push(p[1]!);
    const v = /^node (\d+) installed view (\d+) \{([\d, ]*)\}/.exec(line);
    if (v) {
      node.rank = Number(v[1]);
      node.views.push({ id: Number(v[2]), members: v[3]!.split(", ").filter((x) => x !== "").map(Number) });
      return;
    }
    const suspected = /^node \d+ suspects \{([\d, ]*)\}/.exec(line);
    if (suspected) return void node.suspicions.push(suspected[1]!.split(", ").map(Number));
    const note = /^node (\d+) (.*)$/.exec(line);
    if (note) node.notes.push(note[2]!);
    if (line.startsWith("done:")) node.done = true;
  });
  createInterface({ input: child.stderr! }).on("line", (line) => {
    node.errors.push(line);
    const slot = /^node (\d+) of \d+ in group/.exec(line);
    if (slot) node.rank = Number(slot[1]);
  });
  return node;
}

/** `troupe validate --spec <spec>` of these trace files: exit code and output. */
export function validateAs(spec: string, files: readonly string[], ...flags: string[]) {
  const result = troupe("validate", "--spec", spec, ...flags, ...files);
  return { code: result.code, out: result.out + result.err };
}

/** How many casts a node has delivered, all senders together. */
export const deliveries = (x: NodeProcess) => x.delivered.reduce((sum, d) => sum + d.length, 0);

/** Resolves once no node of `nodes` has delivered anything for `quietMs` (they stopped casting and caught up). */
export async function quiet(nodes: readonly NodeProcess[], quietMs: number, limitMs: number): Promise<void> {
  const give = Date.now() + limitMs;
  let last = nodes.map(deliveries).join();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > give) throw new Error(`gave up waiting: the nodes never went quiet (deliveries ${last})`);
    await new Promise((r) => setTimeout(r, 50));
    const now = nodes.map(deliveries).join();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}
