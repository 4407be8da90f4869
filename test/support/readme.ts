// The README's examples, read from the README itself so that tests run what it shows: shell
// examples (`$ npx troupe …` and the output printed under them) and code blocks by section.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./cli.ts";

export interface ShellExample {
  /** The command as the README gives it, without the `$ `. */
  readonly command: string;
  /** The lines the README shows it printing. */
  readonly output: readonly string[];
  /** 1-based line of the command in the README. */
  readonly line: number;
}

const readme = () => readFileSync(join(root, "README.md"), "utf8").split("\n");

/** Every `$ npx troupe …` line of a ```sh block, with the output shown under it. */
export function shellExamples(): ShellExample[] {
  const lines = readme();
  const examples: { command: string; output: string[]; line: number }[] = [];
  let inShell = false;
  let current: { command: string; output: string[]; line: number } | undefined;
  lines.forEach((text, i) => {
    if (text.startsWith("```")) {
      inShell = !inShell && text.trim() === "```sh";
      current = undefined;
      return;
    }
    if (!inShell) return;
    if (text.startsWith("$ npx troupe ")) {
      current = { command: text.slice(2), output: [], line: i + 1 };
      examples.push(current);
    } else if (text.startsWith("$ ")) current = undefined;
    else current?.output.push(text);
  });
  return examples;
}

/** The first ```ts block after the heading `## title`. */
export function codeAfterHeading(title: string): string {
  const lines = readme();
  const heading = lines.indexOf(`## ${title}`);
  if (heading < 0) throw new Error(`README.md has no section "## ${title}"`);
  const start = lines.indexOf("```ts", heading);
  const end = lines.indexOf("```", start + 1);
  return `${lines.slice(start + 1, end).join("\n")}\n`;
}

/**
 * The verdict lines of an example's output as patterns: what must not rot. The README abbreviates
 * with `…` (anything) and its timings vary, so those are loose; every other character is exact.
 */
export function verdictPatterns(output: readonly string[]): RegExp[] {
  return output
    .map((line) => line.trim())
    .filter((line) => /^(✓|✗|\?|holds:|violated:|incomplete:|stopped:|quiescent after)/.test(line))
    .map((line) => {
      const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return new RegExp(escaped.replace(/…/g, ".*").replace(/\d+\\\.\d+ s\b/g, "[\\d.]+ s"));
    });
}
