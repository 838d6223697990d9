import { median } from './median.js';

/**
 * Measurements collected per key (e.g. `workload|variant`) over interleaved repeats, read back
 * as medians.
 *
 * @example
 * ```ts
 * const samples = new Samples();
 * samples.add('update|tracked', 120);
 * samples.median('update|tracked'); // 120
 * ```
 */
export class Samples {
  readonly #values = new Map<string, number[]>();

  /** Records one measurement under `key`. */
  add(key: string, value: number): void {
    const values = this.#values.get(key);
    if (values === undefined) this.#values.set(key, [value]);
    else values.push(value);
  }

  /** The median of `key`'s measurements, or null when there are none. */
  median(key: string): number | null {
    const values = this.#values.get(key);
    return values === undefined ? null : median(values);
  }

  /** The largest of `key`'s measurements, or null when there are none. */
  max(key: string): number | null {
    const values = this.#values.get(key);
    return values === undefined ? null : Math.max(...values);
  }
}
