// Specs benchmark: the state counts of the layered check (VStoTO over VS, against TO) and how fast
// a recorded trace is validated.
//
//   npm run bench:specs             (add -- --large for the instances that take minutes)
//
// Prints figures only; nothing here is a test.

import { check } from "../checker/check.ts";
import { instantiate, traceOf, walk, type Value } from "../ioa/index.ts";
import toModel from "../specs/examples/to.ts";
import vstoto from "../specs/examples/vstoto.ts";
import { isGroupAction, type GroupAction } from "../specs/group.ts";
import { services } from "../specs/services.ts";
import { validateTrace } from "../specs/validation.ts";

const large = process.argv.includes("--large");
const instances = [
  { processes: 2, senders: 2, messages: 1, scenario: "partition" },
  { processes: 2, senders: 1, messages: 2, scenario: "partition" },
  { processes: 3, senders: 1, messages: 1, scenario: "partition" },
  ...(large
    ? [
        { processes: 2, senders: 2, messages: 1, scenario: "partition-merge" },
        { processes: 3, senders: 2, messages: 1, scenario: "partition" },
      ]
    : []),
];

const number = (n: number) => Math.round(n).toLocaleString("en-US");
console.log("VStoTO over VS, checked against TO (troupe check, breadth-first)\n");
console.log(`${"instance".padEnd(42)} ${"automaton states".padStart(16)} ${"checked states".padStart(15)} ${"seconds".padStart(8)}`);
for (const params of instances) {
  const instance = instantiate(vstoto, params);
  // A stateless property makes the checked states the automaton's states.
  const bare = await check(instance, { only: ["selfInclusion"] });
  const full = await check(instance);
  if (full.verdict !== "holds") throw new Error(`${JSON.stringify(params)}: ${full.violation?.message}`);
  const name = `${params.processes} processes, ${params.senders}×${params.messages}, ${params.scenario}`;
  console.log(`${name.padEnd(42)} ${number(bare.distinctStates).padStart(16)} ${number(full.distinctStates).padStart(15)} ${full.seconds.toFixed(1).padStart(8)}`);
}

// Validation throughput: long TO walks, judged against the TO checker and its 15 promised properties.
const model = instantiate(toModel, { processes: 4, messages: 40, views: 6, crashes: 2 });
const traces: GroupAction<Value>[][] = [];
for (let seed = 0; seed < 20; seed++) traces.push(traceOf(model.automaton, walk(model.automaton, { steps: 1000, seed, validate: false })).filter(isGroupAction));
const events = traces.reduce((n, t) => n + t.length, 0);
let best = Infinity;
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  for (const t of traces) validateTrace(services.to, t, { processes: 4 });
  best = Math.min(best, (performance.now() - started) / 1000);
}
console.log(`\nvalidate --spec to: ${number(events)} events in ${best.toFixed(2)} s (${number(events / best)} events/s, 16 monitors each)`);
