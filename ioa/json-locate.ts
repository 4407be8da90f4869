// Where in a JSON text a value is: the line of the value a JSON path (`$.states[3]["mbt::nondetPicks"].r`)
// names, so that an error in a large trace file can say where to look. A small scanner, not a
// parser: the text has been parsed already, so it is valid JSON.

import { TraceFormatError } from "./errors.ts";

/** The segments of a JSON path as `jsonPath` writes them: `.key`, `["key"]`, `[3]`. */
function segments(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  re.lastIndex = path.startsWith("$") ? 1 : 0;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
  }
  return out;
}

const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\r" || c === "\t";

class Scanner {
  constructor(
    private readonly text: string,
    public pos = 0,
  ) {}

  space(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }

  /** Reads a string token at pos (which is a quote) and returns its value. */
  string(): string {
    const start = this.pos++;
    while (this.text[this.pos] !== '"') this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  /** Skips the value at pos. */
  skip(): void {
    const c = this.text[this.pos];
    if (c === '"') return void this.string();
    if (c !== "{" && c !== "[") {
      while (this.pos < this.text.length && !",}]".includes(this.text[this.pos]!) && !isSpace(this.text[this.pos])) this.pos++;
      return;
    }
    let depth = 0;
    do {
      const d = this.text[this.pos];
      if (d === '"') {
        this.string();
        continue;
      }
      if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") depth--;
      this.pos++;
    } while (depth > 0);
  }

  /** Moves to the member `key` of the object at pos, or the element `key` of the array; false if absent. */
  enter(key: string | number): boolean {
    const open = this.text[this.pos];
    if ((open === "{") !== (typeof key === "string") || (open !== "{" && open !== "[")) return false;
    this.pos++;
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.pos] === "}" || this.text[this.pos] === "]") return false;
      let found = index === key;
      if (open === "{") {
        found = this.string() === key;
        this.space();
        this.pos++; // the colon
        this.space();
      }
      if (found) return true;
      this.skip();
      this.space();
      if (this.text[this.pos] === ",") this.pos++;
    }
  }
}

/** The 1-based line of the value at `path` in the JSON `text`, or undefined if the path is not there. */
export function lineOfJsonPath(text: string, path: string): number | undefined {
  const keys = segments(path);
  if (!keys) return undefined;
  const scanner = new Scanner(text);
  scanner.space();
  for (const key of keys) {
    // A path that is not all there (a missing field) ends at its deepest part that is.
    const before = scanner.pos;
    if (!scanner.enter(key)) {
      scanner.pos = before;
      break;
    }
  }
  let line = 1;
  for (let i = 0; i < scanner.pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Runs `read` over a file's parsed text; a TraceFormatError it throws gains the file and the line its path points at. */
export function withLines<T>(text: string, file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof TraceFormatError) || e.line !== undefined) throw e;
    throw new TraceFormatError(e.path, e.problem, e.file ?? file, lineOfJsonPath(text, e.path));
  }
}
