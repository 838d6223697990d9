import { dateFormatFor, formatDate } from '../render/date-format.js';
import { entryView, type EntryView, type EntryViewSettings } from './entry-view.js';
import type { TimelineEntry } from './timeline-entry.js';

/** The entries of one calendar day (in the page's zone). */
export interface DayView {
  readonly id: string;
  readonly date: string;
  readonly weekday: string;
  readonly entries: readonly EntryView[];
}

/**
 * Groups entries (newest first) by their calendar day in the page's time zone, keeping their
 * order; each day is headed by its date and weekday in the page's language.
 *
 * @example
 * ```ts
 * dayViews(entries, { locale: 'en', timeZone: 'UTC', links }).map((day) => day.id); // ['day-2016-07-03', 'day-2016-07-02']
 * ```
 */
export function dayViews(entries: readonly TimelineEntry[], settings: EntryViewSettings): DayView[] {
  const { locale, timeZone } = settings;
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
    day.entries.push(entryView(entry, settings));
  }
  return days;
}
