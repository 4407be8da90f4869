// Distributions of virtual durations (network latency), written the way Maelstrom's --latency-dist
// names them: constant(5), uniform(1,20), exponential(8). Durations are whole virtual
// milliseconds, so that every time in a run is an integer and a run replays exactly.

import { Random, TroupeError } from "../ioa/index.ts";

export type Distribution =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "exponential"; readonly mean: number };

const FORMS = "constant(n), uniform(min,max) or exponential(mean), in whole virtual milliseconds";

/** Reads `constant(5)`, `uniform(1,20)`, `exponential(8)` or a bare `5`; `where` names the input in errors. */
export function parseDistribution(text: string, where: string): Distribution {
  const fail = (why: string): never => {
    throw new TroupeError(`${where}: ${why}; expected ${FORMS}`);
  };
  const match = /^\s*(?:(\w+)\s*\(([^)]*)\)|(\S+))\s*$/.exec(text) ?? fail(`"${text}" is not a distribution`);
  const [, name, args, bare] = match;
  if (bare !== undefined) return { kind: "constant", value: duration(bare, fail) };
  const values = args!.split(",").map((x) => duration(x.trim(), fail));
  const arity = (n: number) => {
    if (values.length !== n) fail(`${name} takes ${n} argument${n > 1 ? "s" : ""}, got ${values.length}`);
  };
  switch (name) {
    case "constant":
      arity(1);
      return { kind: "constant", value: values[0]! };
    case "uniform":
      arity(2);
      if (values[0]! > values[1]!) fail(`uniform(${values[0]},${values[1]}) has its minimum above its maximum`);
      return { kind: "uniform", min: values[0]!, max: values[1]! };
    case "exponential":
      arity(1);
      if (values[0] === 0) fail("exponential needs a mean above 0");
      return { kind: "exponential", mean: values[0]! };
    default:
      return fail(`"${name}" is not a distribution`);
  }
}

function duration(raw: string, fail: (why: string) => never): number {
  const n = Number(raw);
  if (raw === "" || !Number.isSafeInteger(n) || n < 0) fail(`"${raw}" is not a whole number of milliseconds ≥ 0`);
  return n;
}

/** One draw, a whole number ≥ 0. */
export function sample(d: Distribution, random: Random): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return random.int(d.min, d.max);
    case "exponential":
      return Math.round(-d.mean * Math.log(1 - random.float()));
  }
}

export function formatDistribution(d: Distribution): string {
  switch (d.kind) {
    case "constant":
      return `constant(${d.value})`;
    case "uniform":
      return `uniform(${d.min},${d.max})`;
    case "exponential":
      return `exponential(${d.mean})`;
  }
}
