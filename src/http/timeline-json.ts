import type { JsonValue } from '../model/to-json-value.js';
import type { PagePosition } from './page-position.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { TimelineLinks } from './timeline-links.js';
import type { TimelinePage } from './timeline-query.js';

/** One item of the timeline's JSON (SPEC §6). */
export interface TimelineJsonItem {
  readonly id: string;
  /** ISO 8601 UTC (`Date#toISOString`). */
  readonly timestamp: string;
  readonly event: string | null;
  /** The user's label ("Anonymous user" for none). */
  readonly user: string;
  /** The object's label ("None" for none). */
  readonly object: string;
  /** The message as plain text. */
  readonly message: string;
  readonly extraData: JsonValue | null;
  /** The request or job the log belongs to (SPEC §12), or null; filter on it with `?correlationId=`. */
  readonly correlationId: string | null;
}

/** The JSON body of a timeline page. */
export interface TimelineJson {
  readonly items: readonly TimelineJsonItem[];
  /** URL of the older page (`?before=`, filters kept), or null. */
  readonly next: string | null;
  /** URL of the newer page (`?after=`, filters kept), or null. */
  readonly prev: string | null;
}

/** The labels shown for a missing user or object, in the request's language. */
export interface MissingLabels {
  readonly user: string;
  readonly object: string;
}

/** The `next` and `prev` URLs of a page's JSON. */
export interface TimelineJsonLinks {
  readonly next: string | null;
  readonly prev: string | null;
}

/**
 * The JSON's links of a page: `next` to the older page, `prev` to the newer one (or, on a
 * `?before=` page that finds nothing newer, to the newest page), null where there is none.
 *
 * @example
 * ```ts
 * timelineJsonLinks(page, links, { kind: 'newest' }); // { next: '/timeline/?before=...', prev: null }
 * ```
 */
export function timelineJsonLinks(page: TimelinePage, links: TimelineLinks, position: PagePosition): TimelineJsonLinks {
  const prev = page.newer !== null ? links.urlAfter(page.newer) : position.kind === 'before' ? links.urlNewest() : null;
  return { next: links.urlBefore(page.older), prev };
}

/**
 * The JSON of a page of entries whose messages were rendered with `escape: 'text'`.
 *
 * @example
 * ```ts
 * res.json(timelineJson(entries, { next: '/timeline/?before=...', prev: null }, { user: 'Anonymous user', object: 'None' }));
 * ```
 */
export function timelineJson(entries: readonly TimelineEntry[], links: TimelineJsonLinks, missing: MissingLabels): TimelineJson {
  return {
    items: entries.map((entry) => ({
      id: entry.id,
      timestamp: entry.timestamp.toISOString(),
      event: entry.event,
      user: entry.user.label ?? missing.user,
      object: entry.object?.label ?? missing.object,
      message: entry.message,
      extraData: entry.extraData,
      correlationId: entry.correlationId,
    })),
    next: links.next,
    prev: links.prev,
  };
}
