/** A page request: a 1-based number, or the last page. */
export type PageRequest = number | 'last';

/**
 * Reads `?page=`: absent is page 1, `last` the last page, a positive integer that page.
 * Anything else is null (the view answers 404, as Django's paginator does).
 *
 * @example
 * ```ts
 * parsePageParam(undefined); // 1
 * parsePageParam('last');    // 'last'
 * parsePageParam('abc');     // null
 * ```
 */
export function parsePageParam(value: unknown): PageRequest | null {
  if (value === undefined) return 1;
  if (value === 'last') return 'last';
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return null;
  const page = Number(value);
  return page >= 1 ? page : null;
}

/** Where one page of a numbered listing sits. */
export interface PageInfo {
  readonly number: number;
  readonly pages: number;
  readonly count: number;
  readonly offset: number;
  readonly limit: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
}

/**
 * The page `request` of `count` items, `perPage` a page, or null when it is out of range.
 * An empty listing still has one (empty) page.
 */
export function locatePage(request: PageRequest, count: number, perPage: number): PageInfo | null {
  const pages = Math.max(1, Math.ceil(count / perPage));
  const number = request === 'last' ? pages : request;
  if (number > pages) return null;
  return {
    number,
    pages,
    count,
    offset: (number - 1) * perPage,
    limit: perPage,
    hasPrevious: number > 1,
    hasNext: number < pages,
  };
}

/**
 * Page numbers to show around the current one: the first, the last and `radius` either side,
 * with null where numbers are left out.
 *
 * @example
 * ```ts
 * pageWindow(10, 20, 2); // [1, null, 8, 9, 10, 11, 12, null, 20]
 * ```
 */
export function pageWindow(current: number, pages: number, radius = 2): (number | null)[] {
  const shown = new Set<number>([1, pages]);
  for (let page = current - radius; page <= current + radius; page += 1) {
    if (page >= 1 && page <= pages) shown.add(page);
  }
  const sorted = [...shown].sort((a, b) => a - b);
  const window: (number | null)[] = [];
  sorted.forEach((page, index) => {
    const previous = sorted[index - 1];
    if (previous !== undefined && page - previous > 1) window.push(null);
    window.push(page);
  });
  return window;
}
