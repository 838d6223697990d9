/** What one timed run cost. */
export interface RunCost {
  /** Wall time, in milliseconds. */
  readonly ms: number;
  /** This process's CPU time (user + system), in milliseconds: Node's share of the work. */
  readonly cpuMs: number;
  /** The highest resident set size seen during the run, in MB (sampled every few milliseconds). */
  readonly peakRssMb: number;
  /** How far RSS rose above its level at the start of the run, in MB: the run's own memory. */
  readonly rssGrowthMb: number;
}

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 5;

/**
 * Runs `work` once and returns its wall time, the process's CPU time and its peak RSS. When
 * Node runs with `--expose-gc` the heap is collected first, so a run does not pay for (or
 * profit from) the garbage of the run before it. RSS is sampled by a timer, so a stretch of
 * synchronous work shows only at its edges; the process's own high-water mark
 * (`process.resourceUsage().maxRSS`) bounds it.
 *
 * @example
 * ```ts
 * const cost = await measureRun(() => Article.update({ body: 'x' }, { where: {} }));
 * console.log(`${cost.ms} ms, ${cost.peakRssMb} MB`);
 * ```
 */
export async function measureRun(work: () => Promise<unknown>): Promise<RunCost> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_EVERY_MS);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, cpuMs: (used.user + used.system) / 1000, peakRssMb: peak / MB, rssGrowthMb: (peak - before) / MB };
}

/**
 * The process's peak RSS so far (`maxRSS`), in MB.
 *
 * @example
 * ```ts
 * console.log(`peak RSS of the whole run: ${processPeakRssMb().toFixed(0)} MB`);
 * ```
 */
export function processPeakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}
