// troupe walk <model>: one random execution, printed readably or written as ITF.

import type { Command } from "commander";
import { Random, toItf, walk, writeItfFile, type Invariant, type Value } from "../../ioa/index.ts";
import { loadInstance } from "../load-model.ts";
import { describeInstance, formatExecution, style } from "../output.ts";
import { collect, integerOption } from "../options.ts";

export function registerWalk(program: Command): void {
  program
    .command("walk")
    .description("run one random execution of a model and print it (or write it as an ITF trace)")
    .argument("<model>", "a model file (specs/examples/two-phase.ts) or a built-in model name (two-phase)")
    .option("-p, --param <key=value>", "set a model parameter (repeatable)", collect, [])
    .option("--steps <n>", "stop after this many steps", integerOption("--steps", 0), 20)
    .option("--seed <n>", "random seed (default: a fresh one, printed)", integerOption("--seed", 0))
    .option("--out <file>", "write the execution as an ITF trace")
    .option("-q, --quiet", "print only the summary")
    .action(async (model: string, options: { param: string[]; steps: number; seed?: number; out?: string; quiet?: boolean }) => {
      const instance = await loadInstance(model, options.param);
      const seed = options.seed ?? Random.freshSeed();
      const run = walk(instance.automaton, { steps: options.steps, seed });
      console.log(`${describeInstance(instance)}\nrandom walk, seed ${seed}, at most ${options.steps} steps\n`);
      if (!options.quiet) console.log(`${formatExecution(run)}\n`);
      const ending = run.ended === "quiescent" ? `quiescent after ${run.actions.length} steps: no action is enabled` : `${run.actions.length} steps`;
      console.log(ending);
      const broken = firstBrokenInvariant(instance.properties, run.states);
      if (broken) console.log(style("red", `invariant ${broken.name} fails at step ${broken.step}: ${broken.message}`));
      if (options.out) {
        writeItfFile(options.out, toItf(instance.automaton, run, { source: model, troupe: { model: instance.model.name, params: instance.params, seed } }));
        console.log(`wrote the trace (${run.states.length} states) to ${options.out}`);
      }
      if (broken) process.exitCode = 1;
    });
}

function firstBrokenInvariant(properties: Record<string, { kind: string }>, states: readonly unknown[]) {
  for (let step = 0; step < states.length; step++) {
    for (const [name, p] of Object.entries(properties)) {
      if (p.kind !== "always") continue;
      const inv = p as Invariant<unknown>;
      if (!inv.holds(states[step])) return { name, step, message: inv.explain?.(states[step] as Value) ?? inv.description ?? "" };
    }
  }
  return undefined;
}
