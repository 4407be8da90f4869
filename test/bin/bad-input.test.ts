// Every command, given bad input, exits 2 with one readable line on stderr and no stack trace; the
// exit-status contract (0 holds, 1 violated, 2 bad input, 3 incomplete) is the same everywhere.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir, troupeAsync } from "../support/cli.ts";

const dir = scratchDir("bad-input");
const throwsOnLoad = join(dir, "throws.mts");
writeFileSync(throwsOnLoad, 'const ready = false;\nif (!ready) throw new Error("the model is not ready");\nexport default ready;\n');
const doesNotCompile = join(dir, "broken.mts");
writeFileSync(doesNotCompile, "export default model({ name:\n");
const lonely = join(dir, "lonely");
mkdirSync(lonely);
writeFileSync(join(lonely, "package.json"), '{ "type": "module" }\n');
const needsTroupe = join(lonely, "model.ts");
writeFileSync(needsTroupe, 'import { model } from "troupe";\nexport default model;\n');
const badTrace = join(dir, "bad.jsonl");
writeFileSync(badTrace, '{"name":"cast","p":0,"msg":1}\n{"name":"deliver","p":1,"from":-1,"msg":1}\n');
const notJson = join(dir, "bad.itf.json");
writeFileSync(notJson, '{"states": [\n');

/** [arguments, what stderr must say]. */
const CASES: readonly [readonly string[], string | RegExp][] = [
  // commander's own errors
  [["check"], "missing required argument 'model'"],
  [["check", "two-phase", "--bogus"], "unknown option '--bogus'"],
  [["nosuchcommand"], "unknown command 'nosuchcommand'"],
  [["check", "two-phase", "--max-states", "0"], '--max-states expects an integer ≥ 1, got "0"'],
  [["check", "two-phase", "--fairness", "fair"], '--fairness expects weak, strong, none, got "fair"'],
  // models that cannot be loaded
  [["check", "README.md"], "README.md is not a model: a model is a module (.ts, .mts, .js, .mjs)"],
  [["check", "no/such/model.ts"], "no model file at"],
  [["check", throwsOnLoad], `threw while loading: Error: the model is not ready (at ${throwsOnLoad}:2)`],
  [["walk", doesNotCompile], /does not compile: .*:2:0: ERROR: Unexpected end of file/],
  [["sim", needsTroupe], 'imports "troupe", but Troupe is not installed for it: in the model\'s project run `npm install troupe`'],
  // parameters and options
  [["walk", "two-phase", "--param", "rms=-3"], "model two-phase cannot be built with rms=-3"],
  [["walk", "two-phase", "--param", "rm=3"], 'model two-phase has no parameter "rm"'],
  [["walk", "two-phase", "--seed", "-1"], '--seed expects an integer ≥ 0, got "-1"'],
  [["check", "two-phase", "--property", "nosuch"], 'no property "nosuch"; the model\'s properties are consistent'],
  [["sim", "two-phase", "--faults", "bogus=1"], '--faults: model two-phase has no fault "bogus"; it has no fault actions'],
  [["sim", "fifo", "--faults", "drop=2"], "--faults drop=2: a rate is a probability between 0 and 1"],
  [["sim", "two-phase", "--seed", "-1"], '--seed expects an integer ≥ 0, got "-1"'],
  [["sim", "two-phase", "--scheduler", "nosuch"], "nosuch"],
  // traces
  [["validate", "--spec", "paxos", badTrace], 'there is no service "paxos"'],
  [["validate", badTrace], "required option '--spec <service>' not specified"],
  [["validate", "--spec", "fifo", badTrace], `${badTrace}: line 2, $.from: should be a process id (a non-negative integer or a name), but is -1`],
  [["validate", "--spec", "fifo", notJson], `${notJson}: $: is not JSON`],
  [["validate", "--spec", "fifo", join(dir, "missing.jsonl")], "no such file"],
  // the runtime
  [["node", "--group", "g", "--peers", "127.0.0.1:1", "--rank", "0", "--stack", "seqbb"], 'there is no stack "seqbb"; the stacks are fifo, vsync, total'],
  [["run", "--stack", "seqbb"], 'there is no stack "seqbb"; the stacks are fifo, vsync, total'],
  [["node", "--group", "g", "--peers", "nowhere", "--rank", "0"], 'should be host:port'],
  [["node", "--group", "g", "--rank", "0"], "give --peers (to found the group) or --join HOST:PORT (to join it running), one of the two"],
  [["node", "--group", "g", "--join", "127.0.0.1:0"], 'contact "127.0.0.1:0" should be host:port, with a port from 1 to 65535'],
  [["node", "--group", "g", "--peers", "127.0.0.1:1", "--rank", "0", "--capacity", "3"], "capacity 3: stack fifo keeps a fixed group of its founders"],
  [["run", "--nodes", "0"], '--nodes expects an integer ≥ 1, got "0"'],
  [["node", "--group", "g", "--peers", "127.0.0.1:1", "--rank", "0", "--rate", "fast"], '--rate expects an integer ≥ 1 (casts a second) or max, got "fast"'],
  [["run", "--rate", "0"], '--rate expects an integer ≥ 1 (casts a second) or max, got "0"'],
  [["tour", "--runs", "x"], '--runs expects an integer ≥ 1, got "x"'],
];

/** A stack frame as Node prints one: `    at f (/path/file.ts:12:5)`. */
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

describe("bad input, every command", () => {
  it.concurrent.each(CASES.map(([args, says]) => ({ args, says, name: args.join(" ") })))("troupe $name exits 2, says what is wrong, shows no stack", async ({ args, says }) => {
    const r = await troupeAsync(args, { timeout: 20_000 });
    expect(r.timedOut, "it must not hang").toBe(false);
    expect(r.err).not.toMatch(STACK_FRAME);
    if (typeof says === "string") expect(r.err).toContain(says);
    else expect(r.err).toMatch(says);
    expect(r.code).toBe(2);
  });

  it("shows the stack with --debug", async () => {
    const r = await troupeAsync(["check", throwsOnLoad, "--debug"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(STACK_FRAME);
    expect(r.err).toContain(`caused by Error: the model is not ready\n    at `);
  });

  it("--help documents the exit statuses, and exits 0", async () => {
    for (const args of [["--help"], ["check", "--help"]]) {
      const r = await troupeAsync(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Exit status:\n  0 .*\n  1 .*\n  2 .*\n  3 +incomplete/);
    }
  });
});
