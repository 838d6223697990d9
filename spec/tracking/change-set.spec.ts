import { DataTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import {
  createChanges,
  deleteChanges,
  isMaskedField,
  MASKED_VALUE,
  serialiseValue,
  updateChanges,
  type TrackedField,
  type ValueKind,
} from '../../src/tracking/change-set.js';
import { valueKind } from '../../src/tracking/tracked-fields.js';

function field(name: string, kind: ValueKind, extra: Partial<TrackedField> = {}): TrackedField {
  return { name, kind, array: false, masked: false, primaryKey: false, ...extra };
}

describe('serialiseValue', () => {
  const cases: Array<[string, TrackedField, unknown, unknown]> = [
    ['null stays null', field('a', 'plain'), null, null],
    ['undefined is null', field('a', 'plain'), undefined, null],
    ['strings as they are', field('a', 'plain'), 'x', 'x'],
    ['booleans as they are', field('a', 'plain'), false, false],
    ['a DATE as an ISO instant', field('a', 'date'), new Date('2020-01-02T03:04:05.678Z'), '2020-01-02T03:04:05.678Z'],
    ['a DATE string as an ISO instant', field('a', 'date'), '2020-01-02 04:04:05+01', '2020-01-02T03:04:05.000Z'],
    ['a DATEONLY string as it is', field('a', 'dateonly'), '1990-02-03', '1990-02-03'],
    ['a DATEONLY Date as its day', field('a', 'dateonly'), new Date('1990-02-03T00:00:00Z'), '1990-02-03'],
    ['a DECIMAL string keeps its digits', field('a', 'decimal'), '10.50', '10.50'],
    ['a DECIMAL number as a string', field('a', 'decimal'), 10.5, '10.5'],
    ['a BIGINT beyond 2^53 without loss', field('a', 'bigint'), 9007199254740993n, '9007199254740993'],
    ['a BIGINT string as it is', field('a', 'bigint'), '9007199254740993', '9007199254740993'],
    ['a non-finite float as a string', field('a', 'float'), Number.NaN, 'NaN'],
    ['binary as \\x hex', field('a', 'binary'), Buffer.from([1, 255]), '\\x01ff'],
    ['JSON as JSON', field('a', 'json'), { b: [1, { c: null }] }, { b: [1, { c: null }] }],
    ['an array element by element', field('a', 'date', { array: true }), [new Date(0), null], ['1970-01-01T00:00:00.000Z', null]],
  ];
  it.each(cases)('%s', (_name, tracked, value, expected) => {
    expect(serialiseValue(tracked, value)).toEqual(expected);
  });
});

describe('updateChanges', () => {
  const cases: Array<[string, TrackedField, unknown, unknown, unknown]> = [
    ['a changed string', field('a', 'plain'), 'x', 'y', ['x', 'y']],
    ['an unchanged string', field('a', 'plain'), 'x', 'x', undefined],
    ['null to a value', field('a', 'plain'), null, 0, [null, 0]],
    ['the same DECIMAL written differently', field('a', 'decimal'), '10.50', 10.5, undefined],
    ['the same DECIMAL with leading zeros', field('a', 'decimal'), '010.0', '10', undefined],
    ['a different DECIMAL', field('a', 'decimal'), '10.50', '10.51', ['10.50', '10.51']],
    ['the same instant as Date and string', field('a', 'date'), new Date('2020-01-01T00:00:00Z'), '2020-01-01T00:00:00.000Z', undefined],
    ['JSON with reordered keys', field('a', 'json'), { x: 1, y: 2 }, { y: 2, x: 1 }, undefined],
    ['JSON with a changed member', field('a', 'json'), { x: 1 }, { x: 2 }, [{ x: 1 }, { x: 2 }]],
    ['an array with a new element', field('a', 'plain', { array: true }), ['a'], ['a', 'b'], [['a'], ['a', 'b']]],
    ['the same BIGINT as bigint and string', field('a', 'bigint'), 5n, '5', undefined],
    ['a masked change', field('apiToken', 'plain', { masked: true }), 'old', 'new', [MASKED_VALUE, MASKED_VALUE]],
    ['a masked value cleared', field('password', 'plain', { masked: true }), 'old', null, [MASKED_VALUE, null]],
    ['an unchanged masked value', field('password', 'plain', { masked: true }), 'same', 'same', undefined],
  ];
  it.each(cases)('%s', (_name, tracked, before, after, expected) => {
    const changes = updateChanges([tracked], { [tracked.name]: before }, { [tracked.name]: after });
    expect(changes[tracked.name]).toEqual(expected);
  });

  it('looks only at the candidate fields, in the field order', () => {
    const fields = [field('a', 'plain'), field('b', 'plain'), field('c', 'plain')];
    const changes = updateChanges(fields, { a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, new Set(['c', 'a']));
    expect(Object.keys(changes)).toEqual(['a', 'c']);
  });
});

describe('createChanges and deleteChanges', () => {
  const fields = [
    field('id', 'plain', { primaryKey: true }),
    field('title', 'plain'),
    field('body', 'plain'),
    field('secret', 'plain', { masked: true }),
  ];

  it('records [null, new] for values present, leaving out the primary key and nulls', () => {
    expect(createChanges(fields, { id: 1, title: 'Hi', body: null, secret: 's' })).toEqual({
      title: [null, 'Hi'],
      secret: [null, MASKED_VALUE],
    });
  });

  it('records [old, null] for a deleted row', () => {
    expect(deleteChanges(fields, { id: 1, title: 'Hi', body: '', secret: null })).toEqual({ title: ['Hi', null], body: ['', null] });
  });
});

describe('isMaskedField', () => {
  const defaults = ['password', 'token', 'secret'];
  it.each([
    ['password', true],
    ['passwordHash', true],
    ['apiToken', true],
    ['API_TOKEN', true],
    ['clientSecret', true],
    ['title', false],
    ['tokenCount', true],
  ])('%s → %s', (name, masked) => {
    expect(isMaskedField(name, defaults)).toBe(masked);
  });
});

describe('valueKind', () => {
  it.each([
    [DataTypes.JSONB(), 'json'],
    [DataTypes.JSON(), 'json'],
    [DataTypes.DATE(), 'date'],
    [DataTypes.DATEONLY(), 'dateonly'],
    [DataTypes.DECIMAL(10, 2), 'decimal'],
    [DataTypes.BIGINT(), 'bigint'],
    [DataTypes.DOUBLE(), 'float'],
    [DataTypes.BLOB(), 'binary'],
    [DataTypes.STRING(), 'plain'],
    [DataTypes.UUID(), 'plain'],
  ])('%s → %s', (type, kind) => {
    expect(valueKind(type)).toBe(kind);
  });
});
