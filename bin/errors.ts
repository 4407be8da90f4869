// What a person sees when a command fails: one line that names what is wrong and where, never a
// stack trace (`--debug` adds it). Troupe's own errors already read that way; errors from Node and
// from a user's model are explained here.

import { TroupeError } from "../ioa/index.ts";

type NodeError = Error & { code?: string; path?: string; syscall?: string };

/** The message to print for an error that ended a command. */
export function explainError(e: unknown): string {
  if (e instanceof TroupeError) return e.message;
  if (!(e instanceof Error)) return `failed: ${String(e)}`;
  const error = e as NodeError;
  switch (error.code) {
    case "ENOENT":
      return `${error.path ?? "a file"} does not exist${error.syscall ? ` (${error.syscall})` : ""}`;
    case "EACCES":
    case "EPERM":
      return `no permission to ${error.syscall ?? "use"} ${error.path ?? "a file"}`;
    case "EISDIR":
      return `${error.path ?? "the path"} is a folder, but a file is needed`;
    case "ENOTDIR":
      return `${error.path ?? "a path"}: part of it is a file, but a folder is needed`;
    case "EADDRINUSE":
      return `the address is in use: ${error.message}`;
  }
  const where = userLocation(error);
  return `${error.name}: ${error.message}${where ? ` (at ${where})` : ""}`;
}

/**
 * The first stack frame outside Node and outside installed packages: the line of the user's model
 * (or of Troupe) that threw.
 */
export function userLocation(error: Error): string | undefined {
  for (const line of (error.stack ?? "").split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!match || match[1]!.includes("/node_modules/")) continue;
    return `${match[1]!.replace(/^file:\/\//, "")}:${match[2]}`;
  }
  return undefined;
}

export const debugRequested = (argv: readonly string[]): boolean => argv.includes("--debug") || process.env.TROUPE_DEBUG === "1";
