// Recording a member's group actions as JSON lines, in the form `troupe validate` reads
// (specs/trace/json-lines.ts), each with the wall clock in milliseconds so that the files of a
// group merge in time order.
//
// Lines are kept in memory and written ahead of every datagram the member sends (`flush` is called
// before each send): whatever another member can have seen of this one is on disk first, so the
// trace of a member killed with SIGKILL is a prefix of what it did that covers every cast it let
// out. Otherwise lines are written at most FLUSH_MS after they were recorded, and on close.
//
// Each view is written after the transitional configuration that leads to it (extended virtual
// synchrony): the members of the new view that come from this member's previous view. That is what
// the stacks provide: a view is installed after a flush of the previous one, whose survivors all
// took part in it and delivered the same casts there (a merge installs through each side's own
// view). The configurations are what `--spec evs` judges; the other services' signatures have no
// transitional configurations, and leave them out.

import { closeSync, openSync, writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Value } from "../ioa/index.ts";
import type { GroupAction, View } from "../specs/group.ts";
import { toJsonLine } from "../specs/trace/json-lines.ts";

const FLUSH_MS = 50;

export class TraceRecorder {
  private readonly fd: number;
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The last view recorded; before it, a trace's every process is in the view of all processes. */
  private lastView: View | undefined;

  constructor(readonly file: string) {
    this.fd = openSync(file, "w");
  }

  /** Records process `p` installing `view`, after the transitional configuration from its last one. */
  recordView(p: number, view: View): void {
    const members = this.lastView === undefined ? view.members : view.members.intersection(this.lastView.members);
    this.lastView = view;
    this.record({ name: "view", p, view: { id: view.id, members, kind: "transitional" } });
    this.record({ name: "view", p, view });
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
