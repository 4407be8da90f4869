// troupe keygen: the key list of a secure group — a long-term X25519 key pair per member, written
// as one JSON file per member ({ privateKey: its own, publicKeys: every member's by rank }), for
// `troupe node --key-file`. Each file holds a private key: give each member its own, and no other.

import { mkdirSync, writeFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import type { Command } from "commander";
import { makeKeyPair } from "../../runtime/index.ts";
import { integerOption } from "../options.ts";

export function registerKeygen(program: Command): void {
  program
    .command("keygen")
    .description("make the key list of a secure group: one key file per member, for troupe node --key-file")
    .requiredOption("--members <n>", "how many members", integerOption("--members", 1))
    .requiredOption("--out <dir>", "the folder to write member-<rank>.json into")
    .action((options: { members: number; out: string }) => {
      const pairs = Array.from({ length: options.members }, () => makeKeyPair());
      const publicKeys = pairs.map((p) => p.publicKey);
      mkdirSync(options.out, { recursive: true });
      pairs.forEach(({ privateKey }, rank) => {
        const file = joinPath(options.out, `member-${rank}.json`);
        writeFileSync(file, `${JSON.stringify({ privateKey, publicKeys }, null, 2)}\n`, { mode: 0o600 });
        console.log(file);
      });
    });
}
