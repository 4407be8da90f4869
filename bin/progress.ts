// Progress of a long command, on stderr: a live bar on a terminal (cli-progress), and on anything
// else (a CI log, a file) a plain line now and then, so that logs stay readable.

import cliProgress from "cli-progress";

export interface ProgressView {
  /** `done` of `total` (undefined when the size of the job is not known: a bar has no ETA then). */
  update(done: number, total: number | undefined, fields: Readonly<Record<string, string>>): void;
  /** A line said once (a run failed; shrinking it). */
  note(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** The figures shown after the bar, as `{field}` placeholders of cli-progress. */
  readonly format: string;
  /** The plain line written when stderr is not a terminal. */
  readonly plain: (fields: Readonly<Record<string, string>>, done: number, total: number | undefined) => string;
  /** Whether a plain line is due, given where the job is and where it was at the last line. */
  readonly plainDue: (now: Moment, last: Moment) => boolean;
}

/** How far a job is: `done` of `total`, `seconds` after it started. */
export interface Moment {
  readonly done: number;
  readonly total: number | undefined;
  readonly seconds: number;
}

/** A plain line every `seconds`. */
export const everySeconds = (seconds: number) => (now: Moment, last: Moment) => now.seconds - last.seconds >= seconds;

/** A plain line each time another tenth of the job is done, and at its end. */
export const everyTenth = (now: Moment, last: Moment) =>
  now.total !== undefined && (Math.floor((10 * now.done) / now.total) > Math.floor((10 * last.done) / now.total) || (now.done === now.total && last.done < now.total));

export function progressView(options: ProgressOptions, enabled = true): ProgressView {
  if (!enabled) return { update: () => {}, note: () => {}, stop: () => {} };
  return process.stderr.isTTY ? terminalBar(options) : plainLines(options);
}

function terminalBar(options: ProgressOptions): ProgressView {
  let bar: cliProgress.SingleBar | undefined;
  const start = (total: number | undefined, fields: Readonly<Record<string, string>>) => {
    // Without a known total, the bar stays empty and shows only the figures.
    const format = total === undefined ? `  ${options.format}` : `  [{bar}] {percentage}% · ${options.format} · ETA {eta_formatted}`;
    bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true, barsize: 24, fps: 5 }, cliProgress.Presets.shades_classic);
    bar.start(total ?? 1, 0, fields);
  };
  return {
    update(done, total, fields) {
      if (!bar) start(total, fields);
      if (total !== undefined) bar!.setTotal(total);
      bar!.update(total === undefined ? 0 : done, fields);
    },
    note(text) {
      bar?.stop();
      bar = undefined;
      process.stderr.write(`  ${text}\n`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function plainLines(options: ProgressOptions): ProgressView {
  const started = performance.now();
  let last: Moment = { done: 0, total: undefined, seconds: 0 };
  return {
    update(done, total, fields) {
      const now = { done, total, seconds: (performance.now() - started) / 1000 };
      if (!options.plainDue(now, last)) return;
      last = now;
      process.stderr.write(`  ${options.plain(fields, done, total)}\n`);
    },
    note: (text) => process.stderr.write(`  ${text}\n`),
    stop: () => {},
  };
}
