// Recording a member's group actions as JSON lines, in the form `troupe validate` reads
// (specs/trace/json-lines.ts), each with the wall clock in milliseconds so that the files of a
// group merge in time order.
//
// Lines are kept in memory and written ahead of every datagram the member sends (`flush` is called
// before each send): whatever another member can have seen of this one is on disk first, so the
// trace of a member killed with SIGKILL is a prefix of what it did that covers every cast it let
// out. Otherwise lines are written at most FLUSH_MS after they were recorded, and on close.

import { closeSync, openSync, writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Value } from "../ioa/index.ts";
import type { GroupAction } from "../specs/group.ts";
import { toJsonLine } from "../specs/trace/json-lines.ts";

const FLUSH_MS = 50;

export class TraceRecorder {
  private readonly fd: number;
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(readonly file: string) {
    this.fd = openSync(file, "w");
  }

  record(a: GroupAction<Value>): void {
    if (this.closed) return;
    this.lines.push(toJsonLine(a, performance.timeOrigin + performance.now()));
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Writes the recorded lines now. */
  flush(): void {
    if (this.lines.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    writeSync(this.fd, `${this.lines.join("\n")}\n`);
    this.lines = [];
  }

  /** Writes what is left and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }
}
