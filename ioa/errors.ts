// Errors that name what is wrong and where. Every error Troupe raises about user input is one of
// these, so the command line can print it without a stack trace.

export class TroupeError extends Error {
  override name = "TroupeError";
}

/** A value that cannot be part of a state or an action, with the path to the offending part. */
export class ValueError extends TroupeError {
  override name = "ValueError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

/** An automaton, composition or model that is defined inconsistently. */
export class DefinitionError extends TroupeError {
  override name = "DefinitionError";
}

/** A malformed trace file: `path` is a JSON path such as `$.states[3].queue`. */
export class TraceFormatError extends TroupeError {
  override name = "TraceFormatError";
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly file?: string,
    /** The line of the file where the value at `path` is, when the file's text is at hand. */
    readonly line?: number,
  ) {
    super(`${file ? `${file}: ` : ""}${path}: ${problem}${line !== undefined ? ` (line ${line})` : ""}`);
  }
}

/** A model parameter that is unknown or has a value of the wrong kind. */
export class ParamError extends TroupeError {
  override name = "ParamError";
}
