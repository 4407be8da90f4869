import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromItf, instantiate, readItfFile, toItf, walk } from "../../ioa/index.ts";
import { jsonPath } from "../../ioa/itf-value.ts";
import { lineOfJsonPath } from "../../ioa/json-locate.ts";
import fifoChannel from "../../specs/examples/fifo-channel.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../support/cli.ts";

const dir = scratchDir("locate");
const MARK = "\u0000here\u0000";

/** A path into `value` chosen by `choices`, and a copy of `value` with the value there replaced by MARK. */
function pathInto(value: unknown, choices: readonly number[]): { path: string; marked: unknown } {
  const [choice, ...rest] = choices;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((x, i) => [i, x]) : typeof value === "object" && value !== null ? Object.entries(value) : [];
  if (choice === undefined || entries.length === 0) return { path: "$", marked: MARK };
  const [key, child] = entries[choice % entries.length]!;
  const inner = pathInto(child, rest);
  const marked = Array.isArray(value) ? value.map((x, i) => (i === key ? inner.marked : x)) : Object.fromEntries(entries.map(([k, x]) => [k, k === key ? inner.marked : x]));
  return { path: inner.path === "$" ? jsonPath("$", key) : jsonPath("$", key) + inner.path.slice(1), marked };
}

describe("the line of a JSON path", () => {
  it("is the line where the value at that path starts (law, over random JSON and paths)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(fc.nat(), { maxLength: 5 }), (value, choices) => {
        const { path, marked } = pathInto(value, choices);
        const expected = JSON.stringify(marked, null, 2).split("\n").findIndex((line) => line.includes(JSON.stringify(MARK))) + 1;
        expect(lineOfJsonPath(JSON.stringify(value, null, 2), path)).toBe(expected);
      }),
    );
  });

  it("is in the error of a broken trace file", () => {
    const { automaton } = instantiate(fifoChannel);
    const trace = JSON.parse(JSON.stringify(toItf(automaton, walk(automaton, { steps: 4, seed: 1 }))));
    trace.states[2].channel.queue = [true];
    const file = join(dir, "broken.itf.json");
    const text = JSON.stringify(trace, null, 2);
    writeFileSync(file, text);
    const line = text.split("\n").findIndex((l) => l.trim() === "true") + 1;
    expect(() => readItfFile(automaton, file)).toThrowError(`${file}: $.states[2].channel.queue[0]: should be a string, but is true (line ${line})`);
    expect(() => fromItf(automaton, trace)).toThrowError(/should be a string, but is true$/); // no file, no line
  });
});
