// The `--stack` option of the commands that host a stack (run, node). Apart from the other option
// parsers: it needs the runtime's list of stacks, which the other commands need not load.

import { InvalidArgumentError } from "commander";
import { STACK_NAMES } from "../runtime/index.ts";

/** `--stack`: a stack the runtime can host, checked before anything starts (and nothing is left to hang). */
export function stackOption(name: string): string {
  if (!(STACK_NAMES as readonly string[]).includes(name)) throw new InvalidArgumentError(`there is no stack "${name}"; the stacks are ${STACK_NAMES.join(", ")}`);
  return name;
}
