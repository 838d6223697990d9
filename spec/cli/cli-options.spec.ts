import { describe, expect, it } from 'vitest';
import { dateTimeOption } from '../../src/cli/cli-options.js';
import { UsageError } from '../../src/cli/usage-error.js';

describe('dateTimeOption', () => {
  it.each([
    '2024-01-31',
    '2024-01-31T12:00:00Z',
    '2024-01-31 12:00',
    '2024-01-31T12:00:00,5z',
    '2024-01-31T12:00+02',
    ' 2024-01-31T12:00Z ',
    '0001-01-01',
  ])('takes %j and returns it as given', (text) => {
    expect(dateTimeOption(text, '--since')).toBe(text);
  });

  it.each(['yesterday', '2024-02-30', ' 2024-01-31', '0000-01-01', '2024-01-31T12:00:00.1234567Z', '2024-01-31T12:00+19:00'])(
    'refuses %j with a usage error naming the flag',
    (text) => {
      expect(() => dateTimeOption(text, '--until')).toThrow(UsageError);
      expect(() => dateTimeOption(text, '--until')).toThrow(/^--until must be a date \(2024-01-31\) or an ISO 8601 date-time/);
    },
  );

  it('leaves an absent option undefined', () => {
    expect(dateTimeOption(undefined, '--since')).toBeUndefined();
  });
});
