// Troupe as a package in a user's own project, as the README tells it: pack it, install the tarball
// into an empty folder, write a model there that imports "troupe", check it with `npx troupe
// check`, and let the user's own tsc see Troupe's types (and catch a type error).

import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { root, scratchDir } from "../support/cli.ts";
import { codeAfterHeading } from "../support/readme.ts";

const dir = scratchDir("package");
const project = join(dir, "my-protocol");
const npm = (args: readonly string[], cwd: string) => execFileSync("npm", [...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });
const run = (command: string, args: readonly string[]) => spawnSync(command, args, { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });

/** The model of the README's section "Troupe in your own project", as it stands there. */
const MODEL = codeAfterHeading("Troupe in your own project");

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true },
  include: ["*.ts"],
};

describe("Troupe in a user's own project", () => {
  beforeAll(() => {
    npm(["pack", "--pack-destination", dir], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    execFileSync("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-protocol", private: true, type: "module" }));
    // From npm's cache when it has them: the dependencies Troupe's own install fetched.
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball)], project);
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "-D", "typescript@~5.9.3", "@types/node@^20"], project);
    writeFileSync(join(project, "model.ts"), MODEL);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
  }, 300_000);

  it("npx troupe check ./model.ts checks a model that imports \"troupe\"", () => {
    const r = run("npx", ["troupe", "check", "./model.ts", "--param", "max=4"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("✓ bounded holds over 5 distinct states");
    expect(r.status).toBe(0);
  });

  it("the user's tsc sees Troupe's types: the model compiles, and a type error is caught", () => {
    const ok = run("npx", ["tsc", "-p", "."]);
    expect(ok.stdout + ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    writeFileSync(join(project, "wrong.ts"), 'import { t } from "troupe";\nexport const n: number = t.string();\n');
    const wrong = run("npx", ["tsc", "-p", "."]);
    expect(wrong.stdout).toContain("wrong.ts(2,14): error TS2322: Type 'Type<string>' is not assignable to type 'number'.");
    expect(wrong.status).toBe(2);
  });
});
