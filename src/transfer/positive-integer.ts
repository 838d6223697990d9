import { ConfigurationError } from '../errors.js';

/**
 * `value` when it is a whole number of at least 1 (a chunk or batch size).
 *
 * @throws ConfigurationError naming the option otherwise.
 * @example
 * ```ts
 * positiveInteger('batchSize', 2000); // 2000
 * ```
 */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw ConfigurationError.invalidOption(name, 'a positive integer', value);
  return value;
}
