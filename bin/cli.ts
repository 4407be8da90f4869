// The troupe command line. Each command lives in its own file under bin/commands/.

import { readFileSync } from "node:fs";
import { Command } from "commander";
import { TroupeError } from "../ioa/index.ts";
import { registerCheck } from "./commands/check.ts";
import { registerNode } from "./commands/node.ts";
import { registerRun } from "./commands/run.ts";
import { registerSim } from "./commands/sim.ts";
import { registerTour } from "./commands/tour.ts";
import { registerValidate } from "./commands/validate.ts";
import { registerWalk } from "./commands/walk.ts";
import { style } from "./output.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("troupe")
  .description("Specify, check, simulate and run group communication protocols as I/O automata.")
  .version(pkg.version)
  .showHelpAfterError();

registerCheck(program);
registerTour(program);
registerValidate(program);
registerWalk(program);
registerSim(program);
registerNode(program);
registerRun(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!(e instanceof TroupeError)) throw e;
  console.error(style("red", `troupe: ${e.message}`));
  process.exitCode = 2;
}
