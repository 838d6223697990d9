/**
 * A small cache for values that are costly to build and asked for again and again (`Intl`
 * formatters per time zone, compiled date formats), kept bounded so that unusual input
 * cannot grow it without limit.
 *
 * @module
 */

/**
 * A Map that forgets its oldest entry once it holds `limit` entries.
 *
 * @example
 * ```ts
 * const lengths = new BoundedCache<string, number>(2);
 * lengths.get('abc', (text) => text.length); // 3 (created and kept)
 * lengths.get('abc', () => 0); // 3 (the kept value)
 * ```
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** @param limit How many entries to keep; the oldest goes first. */
  constructor(private readonly limit: number) {}

  /** The value kept for `key`, or `create(key)`, kept from now on. */
  get(key: K, create: (key: K) => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = create(key);
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
