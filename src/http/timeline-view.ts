import { dateFormatFor, formatDate, timeFormatFor } from '../render/date-format.js';
import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import type { FilterParameter, TimelineFilterValues } from './filters.js';
import { pageWindow } from './pagination.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { TimelineLinks } from './timeline-links.js';
import type { TimelinePage } from './timeline-query.js';

/** A link of the pager; `href` is null when it leads nowhere (shown disabled). */
export interface PagerLink {
  readonly label: string;
  readonly href: string | null;
  readonly rel: 'first' | 'prev' | 'next' | 'last';
}

/** A page number of the numbered window; null entries in the window are gaps ("…"). */
export interface PagerNumber {
  readonly number: number;
  readonly href: string;
  readonly current: boolean;
}

/** The pagination of a page, in keyset (`Newest`, `Newer`, `Older`, `Oldest`) or numbered mode. */
export interface PagerView {
  readonly mode: 'keyset' | 'numbered';
  readonly links: readonly PagerLink[];
  /** Page numbers: the whole window in numbered mode, `1 2` on the newest keyset page, else empty. */
  readonly window: readonly (PagerNumber | null)[];
  /** "Page 3 of 12" in numbered mode, else null. */
  readonly status: string | null;
  /** Whether there is anything to page to. */
  readonly visible: boolean;
}

/** One entry as the page template shows it. */
export interface EntryView {
  readonly id: string;
  /** ISO 8601 UTC, for `<time datetime>`. */
  readonly iso: string;
  /** Time of day in the page's locale and zone. */
  readonly time: string;
  /** The message, already HTML-escaped: write it with `<%-`. */
  readonly messageHtml: string;
  readonly user: { readonly label: string; readonly href: string | null; readonly anonymous: boolean };
  readonly event: { readonly name: string; readonly label: string; readonly tone: string; readonly href: string } | null;
  readonly object: { readonly label: string; readonly contentType: string; readonly href: string } | null;
}

/** The entries of one calendar day (in the page's zone). */
export interface DayView {
  readonly id: string;
  readonly date: string;
  readonly weekday: string;
  readonly entries: readonly EntryView[];
}

/** A field of the filter form. */
export interface FilterFieldView {
  readonly name: FilterParameter;
  readonly label: string;
  readonly value: string;
  readonly type: 'text' | 'date';
  readonly hint: string;
  readonly list: readonly string[];
}

/** Everything `timeline_logger/timeline.ejs` gets (plus `t` and `partial`). */
export interface TimelineView {
  readonly locale: Locale;
  readonly title: string;
  readonly heading: string;
  /** On a per-object page: the link back to the whole timeline. */
  readonly allEntriesHref: string | null;
  readonly days: readonly DayView[];
  readonly pager: PagerView;
  readonly filters: { readonly action: string; readonly fields: readonly FilterFieldView[]; readonly active: boolean; readonly clearHref: string };
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
}

const KNOWN_EVENTS = ['created', 'updated', 'deleted'] as const;

/**
 * The view model of a timeline page: entries grouped by day with their links, the filter
 * form and the pager.
 *
 * @example
 * ```ts
 * const view = timelineView(page, entries, { locale: 'en', timeZone: 'UTC', links, filters: {}, object: null, contentTypes: [], stylesheetHref, homeHref });
 * view.days[0].entries[0].time; // '9:08 a.m.'
 * ```
 */
export function timelineView(page: TimelinePage, entries: readonly TimelineEntry[], request: TimelineViewRequest): TimelineView {
  const { locale, links } = request;
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>): string => translate(locale, msgid, params);
  const objectLabel = request.object ? objectHeadingLabel(entries, request.object) : null;
  return {
    locale,
    title: objectLabel === null ? t('Timeline') : t('Timeline of {object}', { object: objectLabel }),
    heading: objectLabel === null ? t('Timeline') : t('Timeline of {object}', { object: objectLabel }),
    allEntriesHref: request.object ? request.homeHref : null,
    days: groupByDay(entries, request, t),
    pager: pagerView(page, links, t, request.oldestPage),
    filters: {
      action: links.listingUrl(),
      fields: filterFields(request, t),
      active: Object.keys(request.filters).length > 0,
      clearHref: links.listingUrl(),
    },
    empty: Object.keys(request.filters).length > 0 ? t('No events match these filters.') : t('No events yet.'),
    stylesheetHref: request.stylesheetHref,
    homeHref: request.homeHref,
  };
}

function groupByDay(entries: readonly TimelineEntry[], request: TimelineViewRequest, t: (msgid: string) => string): DayView[] {
  const { locale, timeZone, links } = request;
  const days: { id: string; date: string; weekday: string; entries: EntryView[] }[] = [];
  for (const entry of entries) {
    const id = `day-${formatDate(entry.timestamp, 'Y-m-d', { locale, timeZone })}`;
    let day = days.at(-1);
    if (day?.id !== id) {
      day = {
        id,
        date: formatDate(entry.timestamp, dateFormatFor(locale), { locale, timeZone }),
        weekday: formatDate(entry.timestamp, 'l', { locale, timeZone }),
        entries: [],
      };
      days.push(day);
    }
    day.entries.push(entryView(entry, request, links, t));
  }
  return days;
}

function entryView(entry: TimelineEntry, request: TimelineViewRequest, links: TimelineLinks, t: (msgid: string) => string): EntryView {
  const { locale, timeZone } = request;
  return {
    id: entry.id,
    iso: entry.timestamp.toISOString(),
    time: formatDate(entry.timestamp, timeFormatFor(locale), { locale, timeZone }),
    messageHtml: entry.message,
    user: {
      label: entry.user.label ?? t('Anonymous user'),
      href: entry.user.id === null ? null : links.hrefFilter('user', entry.user.id),
      anonymous: entry.user.id === null && entry.user.label === null,
    },
    event:
      entry.event === null
        ? null
        : { name: entry.event, label: eventLabel(entry.event, t), tone: eventTone(entry.event), href: links.hrefFilter('event', entry.event) },
    object:
      entry.object === null
        ? null
        : {
            label: entry.object.label ?? `${entry.object.contentType} #${entry.object.id}`,
            contentType: entry.object.contentType,
            href: links.objectPath(entry.object.contentType, entry.object.id),
          },
  };
}

function eventLabel(event: string, t: (msgid: string) => string): string {
  switch (event) {
    case 'created':
      return t('created');
    case 'updated':
      return t('updated');
    case 'deleted':
      return t('deleted');
    default:
      return event;
  }
}

function eventTone(event: string): string {
  return (KNOWN_EVENTS as readonly string[]).includes(event) ? event : 'other';
}

function objectHeadingLabel(entries: readonly TimelineEntry[], object: { contentType: string; objectId: string }): string {
  const labelled = entries.find((entry) => entry.object?.label);
  return labelled?.object?.label ?? `${object.contentType} #${object.objectId}`;
}

function pagerView(
  page: TimelinePage,
  links: TimelineLinks,
  t: (msgid: string, params?: Readonly<Record<string, string | number>>) => string,
  oldestPage: boolean,
): PagerView {
  const info = page.numbered;
  if (info !== null) {
    const numbered = (number: number): PagerNumber => ({ number, href: links.hrefPage(number), current: number === info.number });
    return {
      mode: 'numbered',
      links: [
        { label: t('First'), href: info.hasPrevious ? links.hrefPage(1) : null, rel: 'first' },
        { label: t('Previous'), href: info.hasPrevious ? links.hrefPage(info.number - 1) : null, rel: 'prev' },
        { label: t('Next'), href: info.hasNext ? links.hrefPage(info.number + 1) : null, rel: 'next' },
        { label: t('Last'), href: info.hasNext ? links.hrefPage(info.pages) : null, rel: 'last' },
      ],
      window: pageWindow(info.number, info.pages).map((number) => (number === null ? null : numbered(number))),
      status: t('Page {page} of {pages}', { page: info.number, pages: info.pages }),
      visible: info.pages > 1,
    };
  }
  const atNewest = page.newer === null;
  const newestWindow: (PagerNumber | null)[] =
    atNewest && page.older !== null && !oldestPage
      ? [
          { number: 1, href: links.hrefNewest(), current: true },
          { number: 2, href: links.hrefPage(2), current: false },
        ]
      : [];
  return {
    mode: 'keyset',
    links: [
      { label: t('Newest'), href: atNewest ? null : links.hrefNewest(), rel: 'first' },
      { label: t('Newer'), href: page.newer === null ? null : links.hrefAfter(page.newer), rel: 'prev' },
      { label: t('Older'), href: page.older === null ? null : links.hrefBefore(page.older), rel: 'next' },
      { label: t('Oldest'), href: page.older === null ? null : links.hrefOldest(), rel: 'last' },
    ],
    window: newestWindow,
    status: null,
    visible: page.newer !== null || page.older !== null,
  };
}

function filterFields(request: TimelineViewRequest, t: (msgid: string) => string): FilterFieldView[] {
  const value = (name: FilterParameter): string => request.filters[name] ?? '';
  const dateType = (name: 'since' | 'until'): 'text' | 'date' => (/^\d{4}-\d{2}-\d{2}$/.test(value(name)) || value(name) === '' ? 'date' : 'text');
  const fields: FilterFieldView[] = [
    { name: 'user', label: t('User id'), value: value('user'), type: 'text', hint: t('e.g. 3'), list: [] },
    { name: 'event', label: t('Event'), value: value('event'), type: 'text', hint: t('e.g. created'), list: KNOWN_EVENTS },
  ];
  if (request.object === null) {
    fields.push(
      { name: 'contentType', label: t('Content type'), value: value('contentType'), type: 'text', hint: t('e.g. Post'), list: request.contentTypes },
      { name: 'objectId', label: t('Object id'), value: value('objectId'), type: 'text', hint: t('e.g. 12'), list: [] },
    );
  }
  fields.push(
    { name: 'since', label: t('Since'), value: value('since'), type: dateType('since'), hint: t('YYYY-MM-DD'), list: [] },
    { name: 'until', label: t('Until'), value: value('until'), type: dateType('until'), hint: t('YYYY-MM-DD'), list: [] },
  );
  return fields;
}
