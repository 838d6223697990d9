import cliProgress from 'cli-progress';

/** A progress display for long work; a no-op when stderr is not a terminal. */
export interface ProgressReporter {
  /** Sets the number of items done so far. */
  update(done: number): void;
  /** Removes the display (call it once, also on failure). */
  stop(): void;
}

/** A progress reporter that shows nothing (stderr is a pipe or file). */
export const SILENT_PROGRESS: ProgressReporter = Object.freeze({ update: () => undefined, stop: () => undefined });

/**
 * A progress bar on `stream` (normally stderr), for `total` items, or a running count when the
 * total is unknown (null). Returns {@link SILENT_PROGRESS} unless `stream` is a terminal, so
 * progress never ends up in redirected output or logs.
 *
 * @example
 * ```ts
 * const progress = createProgressReporter(process.stderr, 'Exporting', 1000);
 * progress.update(500);
 * progress.stop();
 * ```
 */
export function createProgressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  total: number | null,
): ProgressReporter {
  if (!stream.isTTY) return SILENT_PROGRESS;
  const format = total === null ? `${label} {value} rows` : `${label} [{bar}] {percentage}% {value}/{total} rows`;
  const bar = new cliProgress.SingleBar(
    { stream: stream, format, hideCursor: true, clearOnComplete: true, fps: 5, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
