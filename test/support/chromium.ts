// Headless Chromium for tests that look at a page: Debian's package, installed on first use when the
// machine allows it (root and apt-get), with the flags a root, closed-network Chromium needs.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Browser = { readonly path: string } | { readonly unavailable: string };

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Finds Chromium, or installs Debian's `chromium` package; says why not when it cannot. */
export function findOrInstallChromium(): Browser {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return { path: found };
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return { unavailable: "Chromium is not installed, and installing it needs root and apt-get" };
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = spawnSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq chromium"], { env, encoding: "utf8", timeout: 600_000 });
  const installed = CANDIDATES.find((p) => existsSync(p));
  return installed ? { path: installed } : { unavailable: `apt-get install chromium failed: ${(install.stderr || install.error?.message || "").trim().slice(-300)}` };
}

function headless(browser: string, args: readonly string[]): string {
  const profile = mkdtempSync(join(tmpdir(), "troupe-chromium-"));
  try {
    return execFileSync(
      browser,
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, ...args],
      { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "ignore"] },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The page's DOM once its scripts have run. */
export function dumpDom(browser: string, file: string): string {
  return headless(browser, ["--dump-dom", `file://${file}`]);
}

export function screenshot(browser: string, file: string, png: string, size = "1300,1000"): void {
  headless(browser, ["--hide-scrollbars", `--window-size=${size}`, `--screenshot=${png}`, `file://${file}`]);
}
