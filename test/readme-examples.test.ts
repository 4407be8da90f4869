// The README's shell examples, run as a user would (in an empty folder, where the example models
// are reachable by the same relative paths): each must exit as its shown output implies (1 when it
// shows a violation, 0 otherwise) and print the verdict lines the README shows.

import { spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, scratchDir } from "./support/cli.ts";
import { shellExamples, verdictPatterns } from "./support/readme.ts";

const dir = scratchDir("readme");
symlinkSync(join(root, "specs"), join(dir, "specs"));

/** Examples too slow for every test run (the checker's benchmark measures them): [command, why]. */
const SLOW = new Map([
  ["npx troupe check fifo --param processes=3 --param casts=1 --param drops=1 --param duplicates=0", "366,310 states: about 25 s"],
  ["npx troupe check vsync --param processes=3 --param casts=0 --param crashes=0 --param partitions=1 --param falseSuspicions=false --param bug=flush-waits-forever --property viewChangeCompletes", "937,052 states: about 25 s"],
  ["npx troupe check vsync --param processes=3 --param joiners=1 --param casts=1 --param casters=3 --param drops=1 --param crashes=0 --param merges=1 --param bug=merge-loses-message", "477,359 states: about 30 s"],
]);

const TROUPE = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(root, "bin/troupe.js"))}`;

describe("the README's examples", () => {
  const examples = shellExamples();

  it("are found (the README has its shell examples)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  // In order: a later example may read what an earlier one wrote (run/, run.itf.json).
  for (const example of examples) {
    it(`README.md:${example.line}: ${example.command}`, (ctx) => {
      const slow = SLOW.get(example.command);
      if (slow && process.env.TROUPE_SLOW !== "1") return ctx.skip(`slow (${slow}); TROUPE_SLOW=1 runs it`);
      const r = spawnSync("sh", ["-c", example.command.replace(/^npx troupe /, `${TROUPE} `)], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
      const violation = example.output.some((line) => line.trim().startsWith("✗"));
      expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
      expect(r.status, r.stderr).toBe(violation ? 1 : 0);
      for (const pattern of verdictPatterns(example.output)) expect(r.stdout).toMatch(pattern);
    });
  }
});
