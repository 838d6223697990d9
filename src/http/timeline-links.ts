import { encodeCursor, type CursorKey } from './cursor.js';
import { OLDEST_TOKEN } from './page-position.js';
import { FILTER_PARAMETERS, type FilterParameter, type TimelineFilterValues } from './filters.js';

/** Options of {@link TimelineLinks}. */
export interface TimelineLinksOptions {
  /** Path of the router's mount point, e.g. `/timeline` (Express's `req.baseUrl`). */
  readonly basePath: string;
  /** Path of the current listing below it: `/` or `/Post/12`. */
  readonly listingPath: string;
  /** The filters of the request, kept on every link. */
  readonly filters: TimelineFilterValues;
  /** Extra parameters kept on every link, e.g. `{ format: 'json' }`. Defaults to none. */
  readonly keep?: Readonly<Record<string, string>>;
  /** Key the cursors are signed with. */
  readonly cursorSecret: string;
}

/**
 * Builds the URLs of a timeline page: pagination (keeping the filters), filter shortcuts and
 * per-object timelines. `href*` methods give links relative to the current listing
 * (`?page=2`), `url*` methods absolute paths (`/timeline/?before=...`) for JSON.
 *
 * @example
 * ```ts
 * const links = new TimelineLinks({ basePath: '/timeline', listingPath: '/', filters: { event: 'created' }, cursorSecret });
 * links.hrefPage(2);            // '?event=created&page=2'
 * links.objectPath('Post', '12'); // '/timeline/Post/12'
 * ```
 */
export class TimelineLinks {
  readonly #options: TimelineLinksOptions;
  /** Filter links already made on this page: the same users and events recur entry after entry. */
  readonly #filterHrefs = new Map<string, string>();

  constructor(options: TimelineLinksOptions) {
    this.#options = options;
  }

  /** The listing with its filters and no position: the newest entries. */
  hrefNewest(): string {
    return this.#href({});
  }

  /** Numbered page `page` (a number or `'last'`). */
  hrefPage(page: number | 'last'): string {
    return this.#href({ page: String(page) });
  }

  /** The oldest entries (`?after=start`), by keyset like every other page. */
  hrefOldest(): string {
    return this.#href({ after: OLDEST_TOKEN });
  }

  /** The page older than `key` (`?before=`). */
  hrefBefore(key: CursorKey): string {
    return this.#href({ before: encodeCursor(key, this.#options.cursorSecret) });
  }

  /** The page newer than `key` (`?after=`). */
  hrefAfter(key: CursorKey): string {
    return this.#href({ after: encodeCursor(key, this.#options.cursorSecret) });
  }

  /** The listing with one more filter (or another value for it), from the newest entries. */
  hrefFilter(name: FilterParameter, value: string): string {
    const key = `${name}=${value}`;
    let href = this.#filterHrefs.get(key);
    if (href === undefined) {
      href = this.#href({}, { ...this.#options.filters, [name]: value });
      this.#filterHrefs.set(key, href);
    }
    return href;
  }

  /** The absolute path of the listing, without any query. */
  listingUrl(): string {
    return `${this.#options.basePath}${this.#options.listingPath}`;
  }

  /** Absolute URL of the page older than `key`, or null. */
  urlBefore(key: CursorKey | null): string | null {
    return key === null ? null : this.listingUrl() + this.#query({ before: encodeCursor(key, this.#options.cursorSecret) });
  }

  /** Absolute URL of the page newer than `key`, or null. */
  urlAfter(key: CursorKey | null): string | null {
    return key === null ? null : this.listingUrl() + this.#query({ after: encodeCursor(key, this.#options.cursorSecret) });
  }

  /** Absolute URL of the newest page. */
  urlNewest(): string {
    return this.listingUrl() + this.#query({});
  }

  /** The whole timeline: the router's root, without filters. */
  homePath(): string {
    return `${this.#options.basePath}/`;
  }

  /**
   * Everything in one request or job: the whole timeline filtered by `correlationId` (the
   * page's other filters dropped), or null when this page already shows exactly that.
   */
  requestPath(correlationId: string): string | null {
    const { filters, listingPath } = this.#options;
    if (listingPath === '/' && filters.correlationId === correlationId && Object.keys(filters).length === 1) return null;
    return `${this.homePath()}?${new URLSearchParams({ correlationId }).toString()}`;
  }

  /** The per-object timeline of `contentType` / `objectId`. */
  objectPath(contentType: string, objectId: string): string {
    return `${this.#options.basePath}/${encodeURIComponent(contentType)}/${encodeURIComponent(objectId)}`;
  }

  /** The path the stylesheet is served at. */
  stylesheetPath(version: string): string {
    return `${this.#options.basePath}/static/timeline.css?v=${encodeURIComponent(version)}`;
  }

  #href(position: Readonly<Record<string, string>>, filters: TimelineFilterValues = this.#options.filters): string {
    const query = this.#query(position, filters);
    return query === '' ? this.listingUrl() : query;
  }

  #query(position: Readonly<Record<string, string>>, filters: TimelineFilterValues = this.#options.filters): string {
    const params = new URLSearchParams();
    for (const name of FILTER_PARAMETERS) {
      const value = filters[name];
      if (value !== undefined) params.set(name, value);
    }
    for (const [name, value] of Object.entries({ ...this.#options.keep, ...position })) params.set(name, value);
    const query = params.toString();
    return query === '' ? '' : `?${query}`;
  }
}
