import type { EventLabels } from '../render/event-label.js';
import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import { dayViews, type DayView } from './day-views.js';
import { filterFormView, type FilterFormView } from './filter-form-view.js';
import type { TimelineFilterValues } from './filters.js';
import { pagerView, type PagerView } from './pager-view.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { TimelineLinks } from './timeline-links.js';
import type { TimelinePage } from './timeline-query.js';

/** Everything `timeline_logger/timeline.ejs` gets (plus `t` and `partial`). */
export interface TimelineView {
  readonly locale: Locale;
  readonly title: string;
  readonly heading: string;
  /** On a per-object page: the link back to the whole timeline. */
  readonly allEntriesHref: string | null;
  readonly days: readonly DayView[];
  readonly pager: PagerView;
  readonly filters: FilterFormView;
  readonly empty: string;
  readonly stylesheetHref: string;
  readonly homeHref: string;
}

/** What {@link timelineView} needs to know about the request. */
export interface TimelineViewRequest {
  readonly locale: Locale;
  readonly timeZone: string;
  readonly links: TimelineLinks;
  readonly filters: TimelineFilterValues;
  /** The object of a per-object page, else null. */
  readonly object: { readonly contentType: string; readonly objectId: string } | null;
  /** Whether this is the `oldest` keyset page (it has no numbered window). */
  readonly oldestPage: boolean;
  /** Model names offered as content types in the form. */
  readonly contentTypes: readonly string[];
  readonly stylesheetHref: string;
  readonly homeHref: string;
  /** The app's event labels (the setup's `eventLabels`). */
  readonly eventLabels: EventLabels;
}

/**
 * The view model of a timeline page: entries grouped by day with their links, the filter
 * form and the pager.
 *
 * @example
 * ```ts
 * const view = timelineView(page, entries, { locale: 'en', timeZone: 'UTC', links, filters: {}, object: null, oldestPage: false, contentTypes: [], stylesheetHref, homeHref, eventLabels: {} });
 * view.days[0].entries[0].time; // '9:08 a.m.'
 * ```
 */
export function timelineView(page: TimelinePage, entries: readonly TimelineEntry[], request: TimelineViewRequest): TimelineView {
  const { locale, links } = request;
  const objectLabel = request.object ? objectHeadingLabel(entries, request.object) : null;
  const title = objectLabel === null ? translate(locale, 'Timeline') : translate(locale, 'Timeline of {object}', { object: objectLabel });
  const filtered = Object.keys(request.filters).length > 0;
  return {
    locale,
    title,
    heading: title,
    allEntriesHref: request.object ? request.homeHref : null,
    days: dayViews(entries, request),
    pager: pagerView(page, links, locale, request.oldestPage),
    filters: filterFormView({
      locale,
      links,
      filters: request.filters,
      perObject: request.object !== null,
      contentTypes: request.contentTypes,
      eventLabels: request.eventLabels,
    }),
    empty: filtered ? translate(locale, 'No events match these filters.') : translate(locale, 'No events yet.'),
    stylesheetHref: request.stylesheetHref,
    homeHref: request.homeHref,
  };
}

/** The object's label as its entries show it, else `Post #12`. */
function objectHeadingLabel(
  entries: readonly TimelineEntry[],
  object: { readonly contentType: string; readonly objectId: string },
): string {
  const labelled = entries.find((entry) => entry.object?.label);
  return labelled?.object?.label ?? `${object.contentType} #${object.objectId}`;
}
