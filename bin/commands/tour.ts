// troupe tour: Troupe's main job, the one `npm start` runs. For now it explores the example models
// with random walks, checks their invariants along the way, and checks that every trace written
// validates and replays; the checker and simulator extend it as they arrive.

import type { Command } from "commander";
import { checkItfSchema, fromItf, instantiate, replayExecution, toItf, walk, type Invariant, type Model } from "../../ioa/index.ts";
import { loadModel } from "../load-model.ts";
import { style } from "../output.ts";

const MODELS = ["fifo-channel", "lossy-channel", "alternating-bit", "two-phase"];

export function registerTour(program: Command): void {
  program
    .command("tour")
    .description("walk every example model, check invariants and trace round trips, and report")
    .option("--walks <n>", "random walks per model", "200")
    .action(async (options: { walks: string }) => {
      const walks = Number(options.walks);
      let failures = 0;
      console.log(style("bold", "Troupe tour") + style("dim", `: ${walks} random walks per model, invariants checked at every step\n`));
      for (const name of MODELS) failures += await tourModel(await loadModel(name), walks);
      console.log(failures === 0 ? style("green", "\nall models behaved") : style("red", `\n${failures} problems found`));
      if (failures > 0) process.exitCode = 1;
    });
}

async function tourModel(model: Model, walks: number): Promise<number> {
  const instance = instantiate(model);
  const invariants = Object.entries(instance.properties).filter(([, p]) => p.kind === "always") as [string, Invariant<unknown>][];
  let steps = 0;
  let problems = 0;
  const started = performance.now();
  for (let seed = 0; seed < walks; seed++) {
    const run = walk(instance.automaton, { steps: 50, seed });
    steps += run.actions.length;
    const broken = invariants.find(([, inv]) => !run.states.every((s) => inv.holds(s)));
    const json = JSON.parse(JSON.stringify(toItf(instance.automaton, run)));
    checkItfSchema(json);
    const replayed = replayExecution(instance.automaton, fromItf(instance.automaton, json));
    if (broken || !replayed.ok) {
      problems++;
      console.log(style("red", `  ${model.name} seed ${seed}: ${broken ? `invariant ${broken[0]} fails` : "its trace does not replay"}`));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const names = invariants.map(([n]) => n).join(", ") || "none";
  console.log(`${style("bold", model.name.padEnd(16))} ${walks} walks, ${steps} steps in ${seconds.toFixed(2)} s; invariants ${names}: ${problems ? style("red", `${problems} failures`) : style("green", "hold")}; traces validate and replay`);
  return problems;
}
