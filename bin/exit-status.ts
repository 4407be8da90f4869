// The exit-status contract every troupe command keeps, so that a script can trust it:
//   0  the properties hold over a complete search or run
//   1  a property is violated (and the counterexample is reported)
//   2  the input or the options are wrong (nothing was judged)
//   3  the search or run stopped before it was complete, with no violation found
//      (a bound, a time limit, Ctrl-C), or there was nothing to judge

export const EXIT = { holds: 0, violated: 1, usage: 2, incomplete: 3 } as const;

export type Verdict = "holds" | "violated" | "incomplete";

export function exitStatus(verdict: Verdict): number {
  return EXIT[verdict];
}

/** The table printed by `troupe --help` and kept in the README. */
export const EXIT_STATUS_HELP = `
Exit status:
  0  the properties hold over a complete search or run
  1  a property is violated (the counterexample is printed, and written with --out)
  2  the input or options are wrong: nothing was judged (--debug shows the stack of an error)
  3  incomplete: a bound, time limit or Ctrl-C stopped it before it was complete, or there was
     nothing to judge, and no violation was found; --json says "verdict":"incomplete" and why`;
