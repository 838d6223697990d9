import { ConfigurationError } from '../errors.js';
import { isLocale, SUPPORTED_LOCALES, type Locale } from './locale.js';
import { translate } from './translate.js';

/**
 * An app's names for its events, per event and per locale: how the page's badges and the
 * filter form's suggestions show an event (the stored `event` stays the verb).
 *
 * @example
 * ```ts
 * const eventLabels: EventLabels = {
 *   purchased: { en: 'purchased', nl: 'gekocht' },
 *   password_reset: { en: 'password reset', nl: 'wachtwoord hersteld' },
 * };
 * ```
 */
export type EventLabels = Readonly<Record<string, Readonly<Partial<Record<Locale, string>>>>>;

/**
 * The events `withTimeline` logs (`restored` by paranoid models only); their labels ship in
 * every locale, and the page gives each its own badge tone and suggests them in its filter form.
 */
export const PACKAGE_EVENTS: readonly string[] = Object.freeze(['created', 'updated', 'deleted', 'restored']);

/**
 * How `event` is shown in `locale`: the app's label for that locale, else the package's
 * translation of its own events (`created`, `updated`, `deleted`, `restored`), else the app's
 * English label, else the event as stored.
 *
 * @example
 * ```ts
 * eventLabel('purchased', 'nl', { purchased: { en: 'purchased', nl: 'gekocht' } }); // 'gekocht'
 * eventLabel('created', 'nl', {});                                                   // 'aangemaakt'
 * eventLabel('viewed', 'nl', {});                                                    // 'viewed'
 * ```
 */
export function eventLabel(event: string, locale: Locale, labels: EventLabels): string {
  const own = Object.hasOwn(labels, event) ? labels[event] : undefined;
  return own?.[locale] ?? packageEventLabel(event, locale) ?? own?.en ?? event;
}

/** The package's own events in `locale` (each a literal msgid, so the catalog check sees it); null for others. */
function packageEventLabel(event: string, locale: Locale): string | null {
  switch (event) {
    case 'created':
      return translate(locale, 'created');
    case 'updated':
      return translate(locale, 'updated');
    case 'deleted':
      return translate(locale, 'deleted');
    case 'restored':
      return translate(locale, 'restored');
    default:
      return null;
  }
}

const EXPECTED = 'an object of events to labels per locale, e.g. { purchased: { en: "purchased", nl: "gekocht" } }';

/**
 * Checks the `eventLabels` option once, at setup, and returns a frozen copy (`{}` when unset).
 *
 * @throws ConfigurationError naming the event or locale that is wrong.
 * @example
 * ```ts
 * resolveEventLabels({ purchased: { nl: 'gekocht' } }); // { purchased: { nl: 'gekocht' } }
 * resolveEventLabels({ purchased: { fr: 'acheté' } });  // throws: option eventLabels.purchased.fr ...
 * ```
 */
export function resolveEventLabels(value: unknown): EventLabels {
  if (value === undefined) return Object.freeze({});
  if (!isPlainObject(value)) throw ConfigurationError.invalidOption('eventLabels', EXPECTED, value);
  const resolved: [string, Readonly<Partial<Record<Locale, string>>>][] = [];
  for (const [event, perLocale] of Object.entries(value)) {
    if (event === '' || event.length > 64)
      throw ConfigurationError.invalidOption('eventLabels', 'keyed by events of 1 to 64 characters', event);
    if (!isPlainObject(perLocale))
      throw ConfigurationError.invalidOption(`eventLabels.${event}`, 'an object of labels per locale', perLocale);
    const labels: Partial<Record<Locale, string>> = {};
    for (const [locale, label] of Object.entries(perLocale)) {
      if (!isLocale(locale)) {
        throw ConfigurationError.invalidOption(`eventLabels.${event}`, `keyed by ${SUPPORTED_LOCALES.join(' or ')}`, locale);
      }
      if (typeof label !== 'string' || label.trim() === '') {
        throw ConfigurationError.invalidOption(`eventLabels.${event}.${locale}`, 'a non-empty string', label);
      }
      labels[locale] = label;
    }
    resolved.push([event, Object.freeze(labels)]);
  }
  return Object.freeze(Object.fromEntries(resolved));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
