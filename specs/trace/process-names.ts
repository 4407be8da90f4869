// Process ids as other systems record them: integers (Troupe's own traces), or names — "a",
// "node-2", an address "10.0.0.7:4000". The specifications number a group's processes 0 to n-1, so
// names are numbered in the order they first appear across every file read with the same table;
// the table maps the numbers back for reports. One trace uses one kind: mixing integers and names
// would make "1" and "b" ambiguous, and is refused where it first happens.

import { TraceFormatError } from "../../ioa/index.ts";
import type { ProcessId } from "../group.ts";

export class ProcessNames {
  private readonly ids = new Map<string, ProcessId>();
  private readonly names: string[] = [];
  /** The first id seen of each kind, as written (for the error when they are mixed). */
  private firstInteger: string | undefined;
  private firstName: string | undefined;

  /** The process id of a JSON value at `path`: a non-negative integer or a non-empty name. */
  id(raw: unknown, path: string): ProcessId | undefined {
    if (typeof raw !== "string" || raw === "") return undefined;
    if (this.firstInteger !== undefined) throw mixed(path, JSON.stringify(raw), this.firstInteger);
    this.firstName ??= JSON.stringify(raw);
    let id = this.ids.get(raw);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(raw, id);
      this.names.push(raw);
    }
    return id;
  }

  /** Notes an integer id at `path` (so that a name after it is refused). */
  integer(n: number, path: string): number {
    if (this.firstName !== undefined) throw mixed(path, String(n), this.firstName);
    this.firstInteger ??= String(n);
    return n;
  }

  /** Names by process id; empty when the traces use integers. */
  get table(): readonly string[] {
    return this.names;
  }

  nameOf(id: ProcessId): string {
    return this.names[id] ?? String(id);
  }
}

function mixed(path: string, value: string, earlier: string): TraceFormatError {
  return new TraceFormatError(path, `is ${value}, but an earlier event named process ${earlier}: the processes of one trace are either all integers or all names`);
}
