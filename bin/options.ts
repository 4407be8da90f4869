// Option parsers shared by the commands.

import { InvalidArgumentError } from "commander";

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
