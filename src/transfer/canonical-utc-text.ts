/**
 * PostgreSQL's text of a `timestamptz` read in a session whose TimeZone is UTC and DateStyle
 * ISO (`2020-01-01 00:00:00.5+00`) in the canonical form exports write
 * (`2020-01-01T00:00:00.500000Z`: `T`, six fraction digits, `Z`). Years past 9999 keep all
 * their digits (`12345-01-01T...`); years before Christ (`0001-01-01 00:00:00+00 BC`) are
 * written as JavaScript's `toISOString` numbers them (1 BC is `0000`, 2 BC is `-000001`), as
 * `isoFromDate` does; `infinity` and `-infinity` stay as they are. Both export paths (rows read by node-postgres and `COPY` output) use it.
 *
 * @example
 * ```ts
 * canonicalUtcText('2016-07-01 09:08:12.345678+00'); // '2016-07-01T09:08:12.345678Z'
 * canonicalUtcText('2020-01-01 00:00:00+00');        // '2020-01-01T00:00:00.000000Z'
 * canonicalUtcText('0002-03-04 05:06:07+00 BC');     // '-000001-03-04T05:06:07.000000Z'
 * ```
 */
export function canonicalUtcText(text: string): string {
  const space = text.indexOf(' ');
  if (space === -1) return text; // infinity, -infinity
  const seconds = space + 9; // after ' HH:MM:SS'
  const zone = text.indexOf('+', seconds);
  const fraction = text.charCodeAt(seconds) === 46 ? text.slice(seconds + 1, zone) : '';
  const date = text.endsWith(' BC') ? dateBeforeChrist(text.slice(0, space)) : text.slice(0, space);
  return `${date}T${text.slice(space + 1, seconds)}.${fraction.padEnd(6, '0')}Z`;
}

/** `0002-03-04` (2 BC) → `-000001-03-04`: the astronomical year, signed and six digits wide as in `toISOString`. */
function dateBeforeChrist(date: string): string {
  const dash = date.indexOf('-');
  const year = 1 - Number(date.slice(0, dash));
  const rest = date.slice(dash);
  return year === 0 ? `0000${rest}` : `-${String(-year).padStart(6, '0')}${rest}`;
}
