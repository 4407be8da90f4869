// Recording a member's group actions as JSON lines, in the form `troupe validate` reads
// (specs/trace/json-lines.ts), each with the wall clock in milliseconds so that the files of a
// group merge in time order. Lines are written in batches, off the hot path.

import { createWriteStream, type WriteStream } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Value } from "../ioa/index.ts";
import type { GroupAction } from "../specs/group.ts";
import { toJsonLine } from "../specs/trace/json-lines.ts";

const FLUSH_MS = 50;

export class TraceRecorder {
  private readonly out: WriteStream;
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly file: string) {
    this.out = createWriteStream(file, { flags: "w" });
    // A write error surfaces when the recorder is closed.
    this.out.on("error", () => {});
  }

  record(a: GroupAction<Value>): void {
    this.lines.push(toJsonLine(a, performance.timeOrigin + performance.now()));
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    this.out.write(`${this.lines.join("\n")}\n`);
    this.lines = [];
  }

  /** Writes what is left and closes the file. */
  close(): Promise<void> {
    this.flush();
    return new Promise((done, fail) => {
      this.out.end((e?: Error | null) => (e ? fail(e) : done()));
      this.out.once("error", fail);
    });
  }
}
