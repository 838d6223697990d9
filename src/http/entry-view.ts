import ejs from 'ejs';
import { changeSetView, type ChangeSetView } from '../render/change-set-view.js';
import { dateTimeFormatFor, formatDate, timeFormatFor } from '../render/date-format.js';
import { eventLabel, PACKAGE_EVENTS, type EventLabels } from '../render/event-label.js';
import type { Locale } from '../render/locale.js';
import type { SentencePart } from '../render/message-sentence.js';
import { translate } from '../render/translate.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { TimelineLinks } from './timeline-links.js';

/** One entry as the page template shows it. */
export interface EntryView {
  readonly id: string;
  /** ISO 8601 UTC, for `<time datetime>`. */
  readonly iso: string;
  /** Time of day in the page's locale and zone. */
  readonly time: string;
  /** The whole message as `renderMessages` gives it with `escape: 'html'` (with its timestamp): write it with `<%-`. */
  readonly messageHtml: string;
  /**
   * The message as the entry shows it: without its leading timestamp (the time column has it),
   * cut where it names the user and the object so that the page links them. Text parts are
   * escaped HTML (write them with `<%-`).
   */
  readonly sentence: readonly SentencePart[];
  /** The facts the sentence does not name, shown before it: `'user'` and/or `'object'`. */
  readonly lead: readonly ('user' | 'object')[];
  readonly user: { readonly label: string; readonly href: string | null; readonly anonymous: boolean };
  readonly event: { readonly name: string; readonly label: string; readonly tone: string; readonly href: string } | null;
  readonly object: { readonly label: string; readonly contentType: string; readonly href: string } | null;
  /** An `updated` entry's changes (old → new), a `created` entry's initial values; null when its `extraData` holds none. */
  readonly changes: ChangeSetView | null;
  /** The link to every log of the entry's request or job, or null when it has no correlation id (or the page shows just that). */
  readonly request: { readonly id: string; readonly label: string; readonly href: string } | null;
}

/** Where entries are shown: the page's language, zone and links, and the app's event labels. */
export interface EntryViewSettings {
  readonly locale: Locale;
  readonly timeZone: string;
  readonly links: TimelineLinks;
  readonly eventLabels: EventLabels;
}

/**
 * An entry (whose message was rendered with `escape: 'html'`) as the page shows it: its time
 * of day, its sentence, links filtering by its user and event and to its object's own
 * timeline, and its change set (from the `extraData` already loaded). Each fact shows once:
 * the sentence names the user and the object where the message does, and what it does not name
 * leads the sentence.
 *
 * @example
 * ```ts
 * entryView(entry, { locale: 'en', timeZone: 'UTC', links, eventLabels: {} }).user; // { label: 'ann', href: '?user=3', anonymous: false }
 * ```
 */
export function entryView(entry: TimelineEntry, settings: EntryViewSettings): EntryView {
  const { locale, timeZone, links } = settings;
  const object =
    entry.object === null
      ? null
      : {
          label: entry.object.label ?? `${entry.object.contentType} #${entry.object.id}`,
          contentType: entry.object.contentType,
          href: links.objectPath(entry.object.contentType, entry.object.id),
        };
  const time = formatDate(entry.timestamp, timeFormatFor(locale), { locale, timeZone });
  const sentence = entry.sentence;
  const lead: ('user' | 'object')[] = [];
  if (sentence === null || !sentence.mentionsUser) lead.push('user');
  if (object !== null && (sentence === null || !sentence.mentionsObject)) lead.push('object');
  return {
    id: entry.id,
    iso: entry.timestamp.toISOString(),
    time,
    messageHtml: entry.message,
    sentence: sentence === null ? wholeMessage(entry, locale, timeZone) : linkable(sentence.parts, object !== null),
    lead,
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
            label: eventLabel(entry.event, locale, settings.eventLabels),
            tone: PACKAGE_EVENTS.includes(entry.event) ? entry.event : 'other',
            href: links.hrefFilter('event', entry.event),
          },
    object,
    changes: changeSetView(entry.event, entry.extraData, locale),
    request: requestLink(entry.correlationId, settings),
  };
}

function requestLink(correlationId: string | null, settings: EntryViewSettings): EntryView['request'] {
  const href = correlationId === null ? null : settings.links.requestPath(correlationId);
  if (href === null || correlationId === null) return null;
  return { id: correlationId, label: translate(settings.locale, 'Everything in this request'), href };
}

/** Object parts become text when the log has no object to link. */
function linkable(parts: readonly SentencePart[], hasObject: boolean): SentencePart[] {
  return parts.map((part) => (part.kind === 'object' && !hasObject ? { kind: 'text', html: part.html } : part));
}

/** A message that could not be cut: as it is, without a leading `<timestamp> - ` (the time column has it). */
function wholeMessage(entry: TimelineEntry, locale: Locale, timeZone: string): SentencePart[] {
  const prefix = `${ejs.escapeXML(formatDate(entry.timestamp, dateTimeFormatFor(locale), { locale, timeZone }))} - `;
  const html = entry.message.startsWith(prefix) ? entry.message.slice(prefix.length) : entry.message;
  return html === '' ? [] : [{ kind: 'text', html }];
}
