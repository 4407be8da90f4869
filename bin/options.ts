// Option parsers shared by the commands.

import { InvalidArgumentError } from "commander";
import { STACK_NAMES } from "../runtime/index.ts";

/** Accumulates a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function integerOption(name: string, min = Number.MIN_SAFE_INTEGER) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} expects an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""}, got "${raw}"`);
    }
    return n;
  };
}

/** `--stack`: a stack the runtime can host, checked before anything starts (and nothing is left to hang). */
export function stackOption(name: string): string {
  if (!(STACK_NAMES as readonly string[]).includes(name)) throw new InvalidArgumentError(`there is no stack "${name}"; the stacks are ${STACK_NAMES.join(", ")}`);
  return name;
}
