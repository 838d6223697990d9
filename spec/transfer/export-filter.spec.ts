import { describe, expect, it } from 'vitest';
import { exportConditions, exportCriteria, type ExportFilter } from '../../src/transfer/export-filter.js';

describe('exportCriteria', () => {
  it.each<[ExportFilter, object]>([
    [{}, {}],
    [
      { contentType: 'Post', objectId: '12', event: 'created' },
      { contentType: 'Post', objectId: '12', event: 'created' },
    ],
    [{ user: 3 }, { userId: '3' }],
    [{ user: 'alice' }, { userId: 'alice' }],
    [{ since: '2024-01-31' }, { since: { at: '2024-01-31T00:00:00.000000Z', inclusive: true } }],
    [{ until: '2024-01-31' }, { until: { at: '2024-02-01T00:00:00.000000Z', inclusive: false } }],
    [{ until: '2024-02-29' }, { until: { at: '2024-03-01T00:00:00.000000Z', inclusive: false } }],
    [{ until: '9999-12-31' }, { until: { at: '10000-01-01T00:00:00.000000Z', inclusive: false } }],
    [{ since: '2024-01-31T12:00' }, { since: { at: '2024-01-31T12:00:00.000000Z', inclusive: true } }],
    [{ until: '2024-01-31 13:00:00.000001+01' }, { until: { at: '2024-01-31T12:00:00.000001Z', inclusive: true } }],
    [{ since: new Date('2024-01-31T12:00:00.5Z') }, { since: { at: '2024-01-31T12:00:00.500000Z', inclusive: true } }],
  ])('%j → %j', (filter, criteria) => {
    expect(exportCriteria(filter)).toEqual(criteria);
  });

  it.each<[ExportFilter, RegExp]>([
    [
      { since: 'yesterday' },
      /^filter since must be an ISO 8601 date or date-time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z \(got "yesterday"\)$/,
    ],
    [{ until: ' 2024-01-31' }, /^filter until must be an ISO 8601 date/],
    [{ until: '2023-02-29' }, /^filter until must be an ISO 8601 date/],
    [{ since: '0000-01-01' }, /^filter since must be an ISO 8601 date/],
    [{ since: 20240131 as unknown as string }, /\(got 20240131\)$/],
    [{ until: new Date(Number.NaN) }, /^filter until must be a valid date \(got an invalid Date\)$/],
  ])('refuses %j with a TypeError', (filter, message) => {
    expect(() => exportCriteria(filter)).toThrow(TypeError);
    expect(() => exportCriteria(filter)).toThrow(message);
  });
});

describe('exportConditions', () => {
  it('numbers its parameters from firstParameter, as the chunk query binds $1 itself', () => {
    const { conditions, bind } = exportConditions({ event: 'deleted', since: '2024-01-31' });
    expect(bind).toEqual(['deleted', '2024-01-31T00:00:00.000000Z']);
    expect(conditions.join(' ')).toMatch(/\$2\b.*\$3\b/);
    expect(exportConditions({ event: 'deleted' }, 1).conditions.join(' ')).toMatch(/\$1\b/);
  });
});
