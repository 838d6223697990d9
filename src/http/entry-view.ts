import { formatDate, timeFormatFor } from '../render/date-format.js';
import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { TimelineLinks } from './timeline-links.js';

/** The events the package logs itself: they get their own badge tone and are offered in the filter form. */
export const KNOWN_EVENTS: readonly string[] = Object.freeze(['created', 'updated', 'deleted']);

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

/** Where entries are shown: the page's language, zone and links. */
export interface EntryViewSettings {
  readonly locale: Locale;
  readonly timeZone: string;
  readonly links: TimelineLinks;
}

/**
 * An entry (whose message was rendered with `escape: 'html'`) as the page shows it: its time
 * of day, and links filtering by its user and event and to its object's own timeline.
 *
 * @example
 * ```ts
 * entryView(entry, { locale: 'en', timeZone: 'UTC', links }).user; // { label: 'ann', href: '?user=3', anonymous: false }
 * ```
 */
export function entryView(entry: TimelineEntry, settings: EntryViewSettings): EntryView {
  const { locale, timeZone, links } = settings;
  return {
    id: entry.id,
    iso: entry.timestamp.toISOString(),
    time: formatDate(entry.timestamp, timeFormatFor(locale), { locale, timeZone }),
    messageHtml: entry.message,
    user: {
      label: entry.user.label ?? translate(locale, 'Anonymous user'),
      href: entry.user.id === null ? null : links.hrefFilter('user', entry.user.id),
      anonymous: entry.user.id === null && entry.user.label === null,
    },
    event:
      entry.event === null
        ? null
        : {
            name: entry.event,
            label: eventLabel(entry.event, locale),
            tone: eventTone(entry.event),
            href: links.hrefFilter('event', entry.event),
          },
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

/** The known events in the page's language (each a literal msgid, so the catalog check sees it); others as they are. */
function eventLabel(event: string, locale: Locale): string {
  switch (event) {
    case 'created':
      return translate(locale, 'created');
    case 'updated':
      return translate(locale, 'updated');
    case 'deleted':
      return translate(locale, 'deleted');
    default:
      return event;
  }
}

function eventTone(event: string): string {
  return KNOWN_EVENTS.includes(event) ? event : 'other';
}
