import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';
import { partitionName, rangeContaining, rangesAhead } from '../../src/model/partition-range.js';

describe('partition ranges and names', () => {
  it.each([
    ['month', '2026-12-04T10:00:00Z', '2026-12-01', '2027-01-01', 'timeline_logs_p2026_12'],
    ['month', '2026-12-31T23:59:59.999Z', '2026-12-01', '2027-01-01', 'timeline_logs_p2026_12'],
    ['week', '2026-12-04T10:00:00Z', '2026-11-30', '2026-12-07', 'timeline_logs_p2026w49'],
    ['week', '2026-11-30T00:00:00Z', '2026-11-30', '2026-12-07', 'timeline_logs_p2026w49'],
    ['week', '2024-12-31T00:00:00Z', '2024-12-30', '2025-01-06', 'timeline_logs_p2025w01'],
    ['week', '2021-01-03T00:00:00Z', '2020-12-28', '2021-01-04', 'timeline_logs_p2020w53'],
    ['day', '2026-12-04T23:00:00Z', '2026-12-04', '2026-12-05', 'timeline_logs_p2026_12_04'],
    ['month', '0044-03-15T00:00:00Z', '0044-03-01', '0044-04-01', 'timeline_logs_p0044_03'],
  ] as const)('%s holding %s: from %s to %s, named %s', (interval, instant, from, to, name) => {
    const range = rangeContaining(interval, new Date(instant));
    expect(range.from.toISOString().slice(0, 10)).toBe(from);
    expect(range.to.toISOString().slice(0, 10)).toBe(to);
    expect(partitionName('timeline_logs', interval, range)).toBe(name);
  });

  it('counts premake intervals after the current one', () => {
    const names = rangesAhead('day', new Date('2026-12-31T12:00:00Z'), 2).map((range) => partitionName('t', 'day', range));
    expect(names).toEqual(['t_p2026_12_31', 't_p2027_01_01', 't_p2027_01_02']);
  });
});

describe('the partitioning option', () => {
  it('defaults to monthly partitions, 3 ahead, and to none when not set', () => {
    expect(resolveOptions({ partitioning: {} }).partitioning).toEqual({ interval: 'month', premake: 3 });
    expect(resolveOptions({ partitioning: { interval: 'day', premake: 0 } }).partitioning).toEqual({ interval: 'day', premake: 0 });
    expect(resolveOptions({}).partitioning).toBeNull();
  });

  it.each([
    [{ interval: 'year' }, 'option partitioning.interval must be one of "month", "week", "day" (got "year")'],
    [{ premake: -1 }, 'option partitioning.premake must be an integer from 0 to 366 (got -1)'],
    [{ premake: 1.5 }, 'option partitioning.premake must be an integer from 0 to 366 (got 1.5)'],
    [{ premake: 367 }, 'option partitioning.premake must be an integer from 0 to 366 (got 367)'],
    [{ premake: '3' }, 'option partitioning.premake must be an integer from 0 to 366 (got "3")'],
    ['month', 'option partitioning must be an object such as { interval: "month" } (got "month")'],
  ])('refuses %j', (partitioning, message) => {
    expect(() => resolveOptions({ partitioning: partitioning as never })).toThrow(new ConfigurationError(message));
  });

  it('refuses a table name too long for its partition names (63 bytes at most)', () => {
    expect(() => resolveOptions({ tableName: 'x'.repeat(52), partitioning: { interval: 'day' } })).toThrow(
      /option tableName "x{52}" is too long for partitioned tables by day: .* use a table name of at most 51 bytes$/,
    );
    expect(resolveOptions({ tableName: 'x'.repeat(51), partitioning: { interval: 'day' } }).partitioning).not.toBeNull();
    expect(resolveOptions({ tableName: 'x'.repeat(54), partitioning: { interval: 'month' } }).partitioning).not.toBeNull();
    expect(() => resolveOptions({ tableName: 'x'.repeat(55), partitioning: {} })).toThrow(ConfigurationError);
  });
});
