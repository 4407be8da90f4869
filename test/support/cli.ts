// Running the `troupe` command as a user does, from tests: a child process in the repository's root,
// without colours, bounded in time; and a scratch folder removed when the test file ends.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

export const root = new URL("../..", import.meta.url).pathname;

export function troupe(...args: string[]) {
  return troupeWithEnv({}, ...args);
}

/** `troupe` with these environment variables besides the test's own. */
export function troupeWithEnv(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/troupe.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `troupe` without blocking, so that independent runs can overlap (`it.concurrent`); killed after `timeout` ms. */
export function troupeAsync(args: readonly string[], options: { cwd?: string; timeout?: number } = {}): Promise<{ code: number | null; out: string; err: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "bin/troupe.js"), ...args], { cwd: options.cwd ?? root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeout ?? 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, timedOut });
    });
  });
}

/** A fresh folder for the files a test file writes, removed after its tests. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `troupe-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
