import { check } from "../checker/check.ts";
import { instantiate } from "../ioa/index.ts";
import twoPhase from "../specs/examples/two-phase.ts";
const rms = Number(process.argv[2] ?? 3);
const sym = process.argv.includes("--symmetry");
const r = await check(instantiate(twoPhase, { rms, commitOnAnyPrepared: process.argv.includes("--bug") }), { symmetry: sym, dfs: process.argv.includes("--dfs") });
console.log({ verdict: r.verdict, distinct: r.distinctStates, generated: r.generatedStates, depth: r.maxDepth, seconds: r.seconds.toFixed(2), property: r.violation?.property, len: r.violation?.counterexample?.actions.length });
