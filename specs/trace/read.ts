// Reading a recorded trace file by its kind: JSON lines (`.jsonl`, `.ndjson`) or ITF (anything else).

import { readFileSync } from "node:fs";
import { TroupeError } from "../../ioa/index.ts";
import { readItfActions } from "./itf-actions.ts";
import { readJsonLines } from "./json-lines.ts";
import { ProcessNames } from "./process-names.ts";
import type { Recording } from "./recorded.ts";

/** Reads one file of a group's trace; the files of one group share `names` (process names → ids). */
export function readRecording(file: string, names = new ProcessNames()): Recording {
  const text = readText(file);
  return /\.(jsonl|ndjson)$/i.test(file) ? readJsonLines(file, text, names) : readItfActions(file, text, names);
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TroupeError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
  }
}
