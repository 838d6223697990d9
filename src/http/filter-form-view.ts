import { eventLabel, PACKAGE_EVENTS, type EventLabels } from '../render/event-label.js';
import type { Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import type { FilterParameter, TimelineFilterValues } from './filters.js';
import type { TimelineLinks } from './timeline-links.js';

/** A suggestion of a filter field: the value it fills in and how it is shown (`label` equals `value` when there is nothing to add). */
export interface FilterOptionView {
  readonly value: string;
  readonly label: string;
}

/** A field of the filter form. */
export interface FilterFieldView {
  readonly name: FilterParameter;
  readonly label: string;
  readonly value: string;
  readonly type: 'text' | 'date';
  readonly hint: string;
  /** Suggestions (a `<datalist>`); empty for none. */
  readonly list: readonly FilterOptionView[];
}

/** The filter form of the page. */
export interface FilterFormView {
  readonly action: string;
  readonly fields: readonly FilterFieldView[];
  /** Whether any filter is set. */
  readonly active: boolean;
  readonly clearHref: string;
}

/** What the filter form shows. */
export interface FilterFormSettings {
  readonly locale: Locale;
  readonly links: TimelineLinks;
  /** The request's filters, shown as the fields' values. */
  readonly filters: TimelineFilterValues;
  /** Whether the page is one object's timeline (its form has no content type or object id). */
  readonly perObject: boolean;
  /** Model names offered as content types. */
  readonly contentTypes: readonly string[];
  /** The app's event labels: their events are offered too, each with its label in the page's language. */
  readonly eventLabels: EventLabels;
}

/**
 * The filter form: user, event, (content type and object id on the whole timeline), since and
 * until (and the request id when the page is filtered by one), filled in with the request's
 * filters; it submits to the listing and clears to it.
 *
 * @example
 * ```ts
 * filterFormView({ locale: 'en', links, filters: { event: 'created' }, perObject: false, contentTypes: ['Post'], eventLabels: {} }).active; // true
 * ```
 */
export function filterFormView(settings: FilterFormSettings): FilterFormView {
  const { links } = settings;
  return {
    action: links.listingUrl(),
    fields: filterFields(settings),
    active: Object.keys(settings.filters).length > 0,
    clearHref: links.listingUrl(),
  };
}

function filterFields(settings: FilterFormSettings): FilterFieldView[] {
  const t = (msgid: string): string => translate(settings.locale, msgid);
  const value = (name: FilterParameter): string => settings.filters[name] ?? '';
  const dateType = (name: 'since' | 'until'): 'text' | 'date' =>
    /^\d{4}-\d{2}-\d{2}$/.test(value(name)) || value(name) === '' ? 'date' : 'text';
  const fields: FilterFieldView[] = [
    { name: 'user', label: t('User id'), value: value('user'), type: 'text', hint: t('e.g. 3'), list: [] },
    { name: 'event', label: t('Event'), value: value('event'), type: 'text', hint: t('e.g. created'), list: eventOptions(settings) },
  ];
  if (!settings.perObject) {
    fields.push(
      {
        name: 'contentType',
        label: t('Content type'),
        value: value('contentType'),
        type: 'text',
        hint: t('e.g. Post'),
        list: settings.contentTypes.map((name) => ({ value: name, label: name })),
      },
      { name: 'objectId', label: t('Object id'), value: value('objectId'), type: 'text', hint: t('e.g. 12'), list: [] },
    );
  }
  fields.push(
    { name: 'since', label: t('Since'), value: value('since'), type: dateType('since'), hint: t('YYYY-MM-DD'), list: [] },
    { name: 'until', label: t('Until'), value: value('until'), type: dateType('until'), hint: t('YYYY-MM-DD'), list: [] },
  );
  // Shown once an entry's "Everything in this request" link set it, so applying other filters keeps it.
  if (value('correlationId') !== '') {
    fields.push({ name: 'correlationId', label: t('Request id'), value: value('correlationId'), type: 'text', hint: '', list: [] });
  }
  return fields;
}

/** The package's events and the app's labelled ones, each shown in the page's language. */
function eventOptions(settings: FilterFormSettings): FilterOptionView[] {
  const events = [...new Set([...PACKAGE_EVENTS, ...Object.keys(settings.eventLabels)])];
  return events.map((event) => ({ value: event, label: eventLabel(event, settings.locale, settings.eventLabels) }));
}
