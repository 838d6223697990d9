/**
 * English: the source language. Message ids are English text, so the catalog is empty; the
 * calendar words and formats are Django's (`django/utils/dates.py`, `conf/locale/en/formats.py`).
 *
 * @module
 */
import type { LocaleData } from '../locale-data.js';

/**
 * English locale data.
 *
 * @example
 * ```ts
 * en.dateNames.monthsAp[8]; // 'Sept.'
 * ```
 */
export const en: LocaleData = {
  messages: {},
  dateNames: {
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    monthsAlt: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    monthsShort: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    monthsAp: ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'],
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    weekdaysShort: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  },
  formats: {
    date: 'N j, Y',
    time: 'P',
    dateTime: 'N j, Y, P',
  },
};
