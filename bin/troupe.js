#!/usr/bin/env node
// Entry point: models and the CLI are TypeScript, loaded through tsx's ESM hooks.
import v8 from "node:v8";
import { register } from "tsx/esm/api";

// Explorers keep every state of a search level alive for a moment and then drop it; a young
// generation large enough to hold a level's garbage makes V8 copy far fewer survivors (two-phase
// with 7 RMs checks 3-4 times faster with 128 MB semi-spaces than with the default). A member
// (`troupe node`, and `troupe run`'s) is the other way round: what it allocates for a packet dies
// young, and semi-spaces that large only spread its allocations over memory the caches do not
// hold (bench:runtime's members with 128 MB: vsync 66-89k msgs/s against 89-92k with the default;
// `troupe run --stack vsync --nodes 3 --casts 100000 --rate max`: 5.9 and 5.0 s, now 5.6 and 4.3 s).
const EXPLORERS = new Set(["check", "sim", "walk", "validate", "tour"]);
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
if (EXPLORERS.has(command)) v8.setFlagsFromString("--max-semi-space-size=128");

// `troupe … | head` closes stdout early: that ends the output, it is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

register();
await import("./cli.ts");
