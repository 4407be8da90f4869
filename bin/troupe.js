#!/usr/bin/env node
// Entry point: models and the CLI are TypeScript, loaded through tsx's ESM hooks.
import { register } from "tsx/esm/api";

register();
await import("./cli.ts");
