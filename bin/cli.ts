// The troupe command line. Each command lives in its own file under bin/commands/. Every command
// keeps the exit-status contract of exit-status.ts; every failure is one readable line.

import { readFileSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { Command, CommanderError } from "commander";
import { TroupeError } from "../ioa/index.ts";
import { debugRequested, explainError } from "./errors.ts";
import { EXIT, EXIT_STATUS_HELP } from "./exit-status.ts";
import { style } from "./output.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

// A thread started by `troupe sim --workers` runs this same entry, to load models as the command does.
if ((workerData as { role?: string } | null)?.role === "sim") await (await import("./sim-workers.ts")).serveSimWorker();
else await main();

async function main(): Promise<void> {
  const program = new Command("troupe")
    .description("Specify, check, simulate and run group communication protocols as I/O automata.")
    .version(pkg.version)
    .option("--debug", "show the stack trace of an error")
    .showHelpAfterError("(troupe <command> --help for usage)")
    .addHelpText("after", EXIT_STATUS_HELP)
    // Commander's own errors (an unknown option, a missing argument) are usage errors too: exit 2.
    .exitOverride();

  /**
   * Each command's module, loaded on demand: a command's module loads what it runs (the checker, the
   * simulator, the runtime, the schema validator), and loading all of them through tsx's hooks took
   * longer than checking a small model. Listed in the order `troupe --help` shows them.
   */
  const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
    check: async () => (await import("./commands/check.ts")).registerCheck,
    tour: async () => (await import("./commands/tour.ts")).registerTour,
    validate: async () => (await import("./commands/validate.ts")).registerValidate,
    walk: async () => (await import("./commands/walk.ts")).registerWalk,
    sim: async () => (await import("./commands/sim.ts")).registerSim,
    node: async () => (await import("./commands/node.ts")).registerNode,
    run: async () => (await import("./commands/run.ts")).registerRun,
    keygen: async () => (await import("./commands/keygen.ts")).registerKeygen,
  };

  // The command named is the first argument that is not an option; without one (help, an unknown
  // command) every command is registered, so that help and errors list them all — but the version
  // alone needs none.
  const args = process.argv.slice(2);
  const named = args.find((arg) => !arg.startsWith("-"));
  const versionOnly = named === undefined && args.length > 0 && args.every((arg) => arg === "-V" || arg === "--version");
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named]!] : versionOnly ? [] : Object.values(COMMANDS);
  for (const register of await Promise.all(wanted.map((load) => load()))) register(program);
  for (const command of program.commands) command.addHelpText("after", EXIT_STATUS_HELP);

  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message (or the help, or the version) already.
      process.exit(e.exitCode === 0 ? 0 : EXIT.usage);
    }
    console.error(style("red", `troupe: ${explainError(e)}`));
    if (debugRequested(process.argv)) console.error(stackTrace(e));
    else if (!(e instanceof TroupeError)) console.error(style("dim", "(add --debug for the stack trace)"));
    // Exit now: a failed command may have left a socket or a timer behind, and must not hang on it.
    process.exit(EXIT.usage);
  }
}

/** The error's stack, then the stack of what caused it, and so on. */
function stackTrace(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.cause === undefined ? (e.stack ?? e.message) : `${e.stack}\ncaused by ${stackTrace(e.cause)}`;
}
