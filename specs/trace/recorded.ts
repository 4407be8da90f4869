// A group action as recorded in a trace file: where it came from, and when (if the recorder kept time).

import type { Value } from "../../ioa/index.ts";
import type { GroupAction } from "../group.ts";

export interface RecordedEvent {
  readonly action: GroupAction<Value>;
  /** `node1.jsonl:3` (file and line) or `run.itf.json state 5`. */
  readonly source: string;
  /** The recorder's clock, in milliseconds (any origin, same within a group run). */
  readonly time?: number;
}

/** The events of one trace file, and how many actions it held that are not group actions (by name). */
export interface Recording {
  readonly file: string;
  readonly events: readonly RecordedEvent[];
  readonly skipped: ReadonlyMap<string, number>;
}
