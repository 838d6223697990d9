import { describe, expect, it } from 'vitest';
import { DataTypes, Model, Sequelize } from 'sequelize';
import { parseTimelineFilters, type FilterParseOptions } from '../../src/http/filters.js';
import { parsePagePosition } from '../../src/http/page-position.js';
import { encodeCursor } from '../../src/http/cursor.js';
import { TimelineRequestError } from '../../src/http/timeline-request-error.js';
import { nl } from '../../src/render/locales/nl.js';
import { translate } from '../../src/render/translate.js';

const UTC: FilterParseOptions = { timeZone: 'UTC', userModel: null };
const AMSTERDAM: FilterParseOptions = { timeZone: 'Europe/Amsterdam', userModel: null };

const unconnected = new Sequelize('postgres://localhost/none', { logging: false });
/** A user model with a UUID key, never connected: only its attribute types are read. */
class UuidUser extends Model {}
UuidUser.init({ id: { type: DataTypes.UUID, primaryKey: true } }, { sequelize: unconnected });
/** A user model with an INTEGER key, as the demo's. */
class IntegerUser extends Model {}
IntegerUser.init({ id: { type: DataTypes.INTEGER, primaryKey: true } }, { sequelize: unconnected });

function requestError(run: () => unknown): TimelineRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof TimelineRequestError) return error;
    throw error;
  }
  throw new Error('expected a TimelineRequestError');
}

describe('parseTimelineFilters', () => {
  it('reads every filter and leaves out empty ones, as an empty form field sends them', () => {
    const parsed = parseTimelineFilters(
      { user: ' 3 ', contentType: 'Post', objectId: '12', event: 'created', since: '', until: '', page: '2' },
      UTC,
    );
    expect(parsed.values).toEqual({ user: '3', contentType: 'Post', objectId: '12', event: 'created' });
    expect(parsed.criteria).toEqual({ userId: '3', contentType: 'Post', objectId: '12', event: 'created' });
  });

  it('includes the whole day of an until date and starts since at midnight', () => {
    const { criteria } = parseTimelineFilters({ since: '2016-07-01', until: '2016-07-01' }, UTC);
    expect(criteria.since).toEqual({ at: '2016-07-01T00:00:00.000000Z', inclusive: true });
    expect(criteria.until).toEqual({ at: '2016-07-02T00:00:00.000000Z', inclusive: false });
  });

  it('reads dates and date-times without an offset in the page time zone, across DST', () => {
    const { criteria } = parseTimelineFilters({ since: '2016-07-01T09:30', until: '2016-10-30' }, AMSTERDAM);
    expect(criteria.since?.at).toEqual('2016-07-01T07:30:00.000000Z');
    // 30 October 2016 has 25 hours in Amsterdam: it ends at 23:00 UTC.
    expect(criteria.until).toEqual({ at: '2016-10-30T23:00:00.000000Z', inclusive: false });
  });

  it('honours an explicit offset and keeps a date-time until inclusive', () => {
    const { criteria } = parseTimelineFilters({ since: '2016-07-01T09:30:00+02:00', until: '2016-07-01T10:00:00.250Z' }, AMSTERDAM);
    expect(criteria.since?.at).toEqual('2016-07-01T07:30:00.000000Z');
    expect(criteria.until).toEqual({ at: '2016-07-01T10:00:00.250000Z', inclusive: true });
  });

  it('reads date-times to the millisecond and ends the last day there is in year 10000', () => {
    const { criteria } = parseTimelineFilters({ since: '2016-07-01T10:00:00.123456Z', until: '9999-12-31' }, UTC);
    expect(criteria.since?.at).toBe('2016-07-01T10:00:00.123000Z');
    expect(criteria.until).toEqual({ at: '10000-01-01T00:00:00.000000Z', inclusive: false });
  });

  it.each([
    ['user', 'alice'],
    ['user', '1.5'],
    ['user', '99999999999999999999'],
    ['contentType', '<script>'],
    ['contentType', 'x'.repeat(300)],
    ['objectId', 'a\u0000b'],
    ['event', 'e'.repeat(65)],
    ['since', 'yesterday'],
    ['since', '2016-02-30'],
    ['since', '2016-07-01T25:00'],
    ['until', '01/07/2016'],
    ['until', '0099-01-01'],
    // Spellings files may carry, which the page does not take.
    ['since', '2016-07-01T09:30z'],
    ['since', '2016-07-01T09:30+02'],
    ['until', '2016-07-01T09:30:00,5'],
    ['until', '2016-07-01T09:30 +02:00'],
  ])('answers 400 naming %s for %j', (parameter, value) => {
    const error = requestError(() => parseTimelineFilters({ [parameter]: value }, UTC));
    expect(error.status).toBe(400);
    expect(error.parameter).toBe(parameter);
    expect(error.message).toContain(`The ${parameter} parameter must be`);
  });

  it('refuses a repeated parameter and since after until', () => {
    expect(requestError(() => parseTimelineFilters({ event: ['created', 'deleted'] }, UTC))).toMatchObject({
      status: 400,
      parameter: 'event',
    });
    expect(requestError(() => parseTimelineFilters({ since: '2016-07-02', until: '2016-07-01T12:00' }, UTC))).toMatchObject({
      status: 400,
      parameter: 'until',
    });
  });

  it('checks user against the user model key type', () => {
    const id = '0b7e6c1e-8a4f-4a49-9f0e-3c2d1b0a9f8e';
    expect(parseTimelineFilters({ user: id.toUpperCase() }, { timeZone: 'UTC', userModel: UuidUser }).criteria.userId).toBe(id);
    expect(requestError(() => parseTimelineFilters({ user: '7' }, { timeZone: 'UTC', userModel: UuidUser }))).toMatchObject({
      parameter: 'user',
    });
  });

  it.each([
    ['2147483647', '2147483647', IntegerUser],
    ['-2147483648', '-2147483648', IntegerUser],
    ['007', '7', IntegerUser],
    ['9223372036854775807', '9223372036854775807', null],
  ])('reads user %s as the key %s', (user, userId, userModel) => {
    expect(parseTimelineFilters({ user }, { timeZone: 'UTC', userModel }).criteria.userId).toBe(userId);
  });

  it.each([
    ['2147483648', IntegerUser],
    ['-2147483649', IntegerUser],
    ['9223372036854775808', null],
  ])('answers 400 naming user for a whole number past the key type: %s', (user, userModel) => {
    expect(requestError(() => parseTimelineFilters({ user }, { timeZone: 'UTC', userModel }))).toMatchObject({
      status: 400,
      parameter: 'user',
      params: { expected: 'a user id (a whole number)' },
    });
  });

  it('has Dutch for every 400 message it gives', () => {
    const errors = [
      requestError(() => parseTimelineFilters({ since: 'nope' }, UTC)),
      requestError(() => parseTimelineFilters({ user: 'x' }, UTC)),
      requestError(() => parseTimelineFilters({ contentType: '-' }, UTC)),
      requestError(() => parseTimelineFilters({ event: 'x'.repeat(99) }, UTC)),
      requestError(() => parseTimelineFilters({ objectId: 'x'.repeat(1001) }, UTC)),
      requestError(() => parseTimelineFilters({ event: ['a', 'b'] }, UTC)),
      requestError(() => parsePagePosition({ before: 'nope' }, 'secret')),
      requestError(() => parsePagePosition({ before: 'x', after: 'y' }, 'secret')),
    ];
    for (const error of errors) {
      expect(Object.hasOwn(nl.messages, error.msgid), error.msgid).toBe(true);
      if (error.params.expected !== undefined) expect(Object.hasOwn(nl.messages, error.params.expected), error.params.expected).toBe(true);
    }
    const dutch = translate('nl', errors[0]!.msgid, { ...errors[0]!.params, expected: translate('nl', errors[0]!.params.expected ?? '') });
    expect(dutch).toBe(
      'De parameter since moet een ISO-datum (2024-01-31) of datum en tijd (2024-01-31T09:30, 2024-01-31T09:30:00Z) zijn (gekregen: "nope").',
    );
  });
});

describe('parsePagePosition', () => {
  const secret = 'a test secret, long enough';
  const cursor = encodeCursor({ timestamp: '2016-07-01T09:08:00.000000Z', id: '5' }, secret);

  it('reads the newest page, cursors and page numbers', () => {
    expect(parsePagePosition({}, secret)).toEqual({ kind: 'newest' });
    expect(parsePagePosition({ before: cursor }, secret)).toEqual({
      kind: 'before',
      cursor: { timestamp: '2016-07-01T09:08:00.000000Z', id: '5' },
    });
    expect(parsePagePosition({ after: cursor }, secret)).toMatchObject({ kind: 'after' });
    expect(parsePagePosition({ page: 'last' }, secret)).toEqual({ kind: 'numbered', page: 'last' });
    expect(parsePagePosition({ page: '3' }, secret)).toEqual({ kind: 'numbered', page: 3 });
  });

  it('answers 404 for a page that is not a number, 400 for a bad cursor or a mix', () => {
    expect(requestError(() => parsePagePosition({ page: 'x' }, secret))).toMatchObject({ status: 404 });
    expect(requestError(() => parsePagePosition({ before: `${cursor}x` }, secret))).toMatchObject({ status: 400, parameter: 'before' });
    expect(requestError(() => parsePagePosition({ after: cursor }, 'another secret, also long'))).toMatchObject({
      status: 400,
      parameter: 'after',
    });
    expect(requestError(() => parsePagePosition({ before: cursor, after: cursor }, secret))).toMatchObject({
      status: 400,
      parameter: 'after',
    });
    expect(requestError(() => parsePagePosition({ before: cursor, page: '2' }, secret))).toMatchObject({ status: 400, parameter: 'page' });
  });
});
