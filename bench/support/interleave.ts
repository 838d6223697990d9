import { measureRun, type RunCost } from './measure-run.js';

/** One way of doing a bench's work, timed against the others. */
export interface BenchVariant {
  /** Names the variant in the samples and the table, e.g. `tracked`. */
  readonly name: string;
  /** Untimed preparation before each timed run (reset a table, vacuum). Defaults to none. */
  readonly prepare?: () => Promise<unknown>;
  /** The timed work. */
  readonly run: () => Promise<unknown>;
  /** Untimed check after each run, e.g. that every change got its log. Defaults to none. */
  readonly verify?: () => Promise<void>;
}

/**
 * Runs every variant once per repeat, interleaved, so machine noise (other jobs on a shared box)
 * hits all of them alike; the order rotates by one each repeat, so no variant always runs first
 * or right after the same neighbour. `record` receives each timed run's cost.
 *
 * @example
 * ```ts
 * await interleave([raw, library], 5, (variant, cost) => samples.add(variant.name, cost.ms));
 * ```
 */
export async function interleave(
  variants: readonly BenchVariant[],
  repeats: number,
  record: (variant: BenchVariant, cost: RunCost) => void,
): Promise<void> {
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (let offset = 0; offset < variants.length; offset += 1) {
      const variant = variants[(repeat + offset) % variants.length] as BenchVariant;
      await variant.prepare?.();
      const cost = await measureRun(variant.run);
      await variant.verify?.();
      record(variant, cost);
    }
  }
}
