/**
 * Dutch. Calendar words and formats follow Django's `nl` locale (`conf/locale/nl/`).
 *
 * To translate a new string, add its English text as the key and the Dutch as the value,
 * keeping every `{placeholder}`. Prefer whole sentences with placeholders over fragments so
 * the Dutch word order can differ ("heeft {object} aangemaakt").
 *
 * @module
 */
import type { Catalog, LocaleData } from '../i18n.js';

const messages: Catalog = {
  // Labels
  'Anonymous user': 'Anonieme gebruiker',
  None: 'Geen',

  // Messages (views/timeline_logger/*.ejs)
  '{timestamp} - {user} event on {object}': '{timestamp} - {user} gebeurtenis op {object}',
  '{timestamp} - {user} created {object}': '{timestamp} - {user} heeft {object} aangemaakt',
  '{timestamp} - {user} updated {object}': '{timestamp} - {user} heeft {object} gewijzigd',
  '{timestamp} - {user} updated {object} ({changes})': '{timestamp} - {user} heeft {object} gewijzigd ({changes})',
  '{timestamp} - {user} deleted {object}': '{timestamp} - {user} heeft {object} verwijderd',

  // Timeline page
  Timeline: 'Tijdlijn',
  'No events yet.': 'Nog geen gebeurtenissen.',
  Pagination: 'Paginering',
  'Page {page} of {pages}': 'Pagina {page} van {pages}',
  First: 'Eerste',
  Previous: 'Vorige',
  Next: 'Volgende',
  Last: 'Laatste',
  Newer: 'Nieuwer',
  Older: 'Ouder',
  'You are not allowed to see this timeline.': 'Je hebt geen toegang tot deze tijdlijn.',
  'Invalid page: that page contains no results.': 'Ongeldige pagina: die pagina bevat geen resultaten.',

  // Digest e-mail (src/mail, views/timeline_logger/email/*.ejs)
  'Events timeline': 'Tijdlijn van gebeurtenissen',
  'Events since {start}': 'Gebeurtenissen sinds {start}',
  'Showing the latest {shown} of {total} events.': 'De laatste {shown} van {total} gebeurtenissen worden getoond.',

  // Time of day (date format characters a and P)
  noon: 'middag',
  midnight: 'middernacht',
};

/**
 * Dutch locale data.
 *
 * @example
 * ```ts
 * nl.messages['Anonymous user']; // 'Anonieme gebruiker'
 * nl.formats.dateTime; // 'j F Y H:i'
 * ```
 */
export const nl: LocaleData = {
  messages,
  dateNames: {
    months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    monthsAlt: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    monthsShort: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
    monthsAp: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
    weekdays: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
    weekdaysShort: ['ma', 'di', 'woe', 'don', 'vrij', 'zat', 'zon'],
  },
  formats: {
    date: 'j F Y',
    time: 'H:i',
    dateTime: 'j F Y H:i',
  },
};
