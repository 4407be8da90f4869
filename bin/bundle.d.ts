// Types of bundle.js (plain JavaScript: it runs before tsx's hooks are registered).

/** Whether the command line names a module file (a model of the user's): then the CLI runs through tsx. */
export function namesModuleFile(args: readonly string[]): boolean;

/** The path of an up-to-date bundle of the CLI, built now if need be; undefined if it cannot be had. */
export function cliBundle(): Promise<string | undefined>;
