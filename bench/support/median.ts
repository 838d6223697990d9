/**
 * The median of `values` (the mean of the middle two for an even count): the figure every bench
 * reports, so one slow repeat on a shared machine does not move it.
 *
 * @throws RangeError when `values` is empty.
 * @example
 * ```ts
 * median([12, 30, 11]); // 12
 * median([1, 2, 3, 4]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
