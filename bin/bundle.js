// The CLI as one JavaScript file, for start-up. Loaded through tsx's hooks, the CLI's TypeScript
// modules cost a round trip to tsx's worker thread each: 0.33-0.40 s of every `troupe check
// two-phase`, against 0.16-0.17 s for the same command run from a bundle. The bundle is built with
// esbuild (what tsx itself compiles with) into node_modules/.cache/troupe/, and built again
// whenever a source file changes (their paths, sizes and modification times are its stamp).
//
// It serves only commands that load no model file of the user's: a model imports "troupe", which
// resolves to the TypeScript sources, and a second copy of the kernel in the bundle would not
// share its classes with it. So `troupe check two-phase` runs from the bundle, and
// `troupe check ./my-model.ts` through tsx. Where the bundle cannot be written or built, the CLI
// runs through tsx as before.

import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The folders whose modules the CLI may load (everything `bin/cli.ts` imports is in one of them). */
const SOURCE_DIRS = ["bin", "ioa", "specs", "layers", "checker", "simulator", "runtime"];
/** Where the bundle is kept: TROUPE_CACHE_DIR (a folder from which the packages Troupe uses resolve), else node_modules/.cache/troupe. */
const CACHE = process.env.TROUPE_CACHE_DIR ?? join(ROOT, "node_modules", ".cache", "troupe");
const BUNDLE = join(CACHE, "cli.mjs");
const STAMP = join(CACHE, "cli.stamp");
const MODULE_FILE = /\.(ts|mts|js|mjs|cjs|cts)$/;

/** Whether the command line names a module file (a model of the user's): then the CLI runs through tsx. */
export function namesModuleFile(args) {
  return args.some((arg) => MODULE_FILE.test(arg));
}

/** The path of an up-to-date bundle of the CLI, built now if need be; undefined if it cannot be had. */
export async function cliBundle() {
  try {
    const stamp = sourcesStamp();
    if (readOr(STAMP) === stamp) return BUNDLE;
    await build();
    replace(STAMP, stamp);
    return BUNDLE;
  } catch {
    return undefined;
  }
}

/** A digest of every source file's path, size and modification time, of package.json, and of Node's version. */
function sourcesStamp() {
  const hash = createHash("sha256").update(process.version);
  const add = (file) => {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  };
  add(join(ROOT, "package.json"));
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(ts|js|json)$/.test(entry.name)) add(join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  return hash.digest("hex");
}

async function build() {
  const esbuild = await import("esbuild");
  mkdirSync(CACHE, { recursive: true });
  // Built under names of this process's own, then renamed, the source map first: a process starting
  // meanwhile finds the old bundle whole or the new one.
  const part = join(CACHE, `cli.${process.pid}.mjs`);
  try {
    await esbuild.build({
      entryPoints: [join(ROOT, "bin", "cli.ts")],
      outfile: part,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      // A map of its own, named below: read only when source maps are on (--debug), not at every start.
      sourcemap: "external",
      logLevel: "silent",
      plugins: [ownImportMetaUrl],
    });
    appendFileSync(part, `//# sourceMappingURL=${basename(BUNDLE)}.map\n`);
    renameSync(`${part}.map`, `${BUNDLE}.map`);
    renameSync(part, BUNDLE);
  } finally {
    rmSync(part, { force: true });
    rmSync(`${part}.map`, { force: true });
  }
}

/**
 * Each module keeps its own `import.meta.url` (files found beside it: package.json, troupe.js, a
 * schema's `require`), where in a bundle every module would share the bundle's.
 */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
    });
  },
};

function readOr(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Writes `text` to `file` whole: another process starting at the same moment reads the old text or the new, never a part. */
function replace(file, text) {
  const part = `${file}.${process.pid}`;
  writeFileSync(part, text);
  renameSync(part, file);
}
