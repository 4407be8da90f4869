#!/usr/bin/env node
// Entry point: models and the CLI are TypeScript, run from a bundle of the CLI (bundle.js) or,
// when the command names a model file of the user's, loaded through tsx's ESM hooks.
import v8 from "node:v8";
import { pathToFileURL } from "node:url";
import { cliBundle, namesModuleFile } from "./bundle.js";

// Explorers keep every state of a search level alive for a moment and then drop it; a young
// generation large enough to hold a level's garbage makes V8 copy far fewer survivors (two-phase
// with 7 RMs checks 3-4 times faster with 128 MB semi-spaces than with the default). A member
// (`troupe node`, and `troupe run`'s) is the other way round: what it allocates for a packet dies
// young, and semi-spaces that large only spread its allocations over memory the caches do not
// hold (bench:runtime's members with 128 MB: vsync 66-89k msgs/s against 89-92k with the default;
// `troupe run --stack vsync --nodes 3 --casts 100000 --rate max`: 5.9 and 5.0 s, now 5.6 and 4.3 s).
const EXPLORERS = new Set(["check", "sim", "walk", "validate", "tour"]);
const args = process.argv.slice(2);
const command = args.find((arg) => !arg.startsWith("-"));
if (EXPLORERS.has(command)) v8.setFlagsFromString("--max-semi-space-size=128");

// `troupe … | head` closes stdout early: that ends the output, it is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const bundle = namesModuleFile(args) ? undefined : await cliBundle();
if (bundle !== undefined) {
  // With --debug, stack traces name the TypeScript sources (reading the source map costs 30-60 ms, so not otherwise).
  if (args.includes("--debug") || process.env.TROUPE_DEBUG === "1") process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./cli.ts");
}
