// Reading a recorded trace file by its kind: JSON lines (`.jsonl`, `.ndjson`) or ITF (anything else).

import { readItfActions } from "./itf-actions.ts";
import { readJsonLines } from "./json-lines.ts";
import type { Recording } from "./recorded.ts";

export function readRecording(file: string): Recording {
  return /\.(jsonl|ndjson)$/i.test(file) ? readJsonLines(file) : readItfActions(file);
}
