// Settings given on one line as comma-separated `name=number` items ("drop=0.1,seed=7"), as the
// command line takes faults and the failure detector's delays.

import { ConfigError } from "./config-error.ts";

/** The items of `text`, each a name among `names`; a bad item is a ConfigError naming `what` and the item. */
export function parseNamedNumbers(what: string, text: string, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of text.split(",").map((x) => x.trim()).filter((x) => x !== "")) {
    const [name, value, extra] = item.split("=");
    if (name === undefined || value === undefined || extra !== undefined) throw new ConfigError(`${what}: "${item}" should be name=value`);
    if (!names.includes(name)) throw new ConfigError(`${what}: "${name}" is not one of ${names.join(", ")}`);
    const x = Number(value);
    if (value.trim() === "" || !Number.isFinite(x)) throw new ConfigError(`${what}: ${name}=${value} is not a number`);
    out[name] = x;
  }
  return out;
}
