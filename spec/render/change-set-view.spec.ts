import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/to-json-value.js';
import { changeSetView } from '../../src/render/change-set-view.js';
import { CHANGE_PREVIEW_LENGTH, changeValueView } from '../../src/render/change-value-view.js';

describe('changeValueView', () => {
  it.each<[string, JsonValue, boolean, ReturnType<typeof changeValueView>]>([
    ['a string as text', 'Hello', false, { kind: 'text', preview: 'Hello', full: null }],
    ['null as empty', null, false, { kind: 'empty', preview: '', full: null }],
    ['null of a masked field as empty', null, true, { kind: 'empty', preview: '', full: null }],
    ['the empty string as code', '', false, { kind: 'code', preview: '""', full: null }],
    ['a number as code', 42, false, { kind: 'code', preview: '42', full: null }],
    ['a number-like string as text', '42', false, { kind: 'text', preview: '42', full: null }],
    ['a boolean as code', false, false, { kind: 'code', preview: 'false', full: null }],
    ['an object as compact JSON', { a: [1, null] }, false, { kind: 'code', preview: '{"a":[1,null]}', full: null }],
    ['an array as compact JSON', ['x'], false, { kind: 'code', preview: '["x"]', full: null }],
    ['a stored mask as masked', '********', false, { kind: 'masked', preview: '********', full: null }],
    ['any value of a masked field as masked', { key: 'abc' }, true, { kind: 'masked', preview: '********', full: null }],
  ])('shows %s', (_, value, masked, expected) => {
    expect(changeValueView(value, masked)).toEqual(expected);
  });

  it('cuts a long string at 200 characters, keeping the whole value', () => {
    const long = 'x'.repeat(CHANGE_PREVIEW_LENGTH + 1);
    expect(changeValueView(long, false)).toEqual({ kind: 'text', preview: `${'x'.repeat(CHANGE_PREVIEW_LENGTH)}…`, full: long });
    expect(changeValueView('x'.repeat(CHANGE_PREVIEW_LENGTH), false).full).toBeNull();
  });

  it('cuts after three lines', () => {
    expect(changeValueView('one\ntwo\nthree\nfour', false)).toEqual({
      kind: 'text',
      preview: 'one\ntwo\nthree…',
      full: 'one\ntwo\nthree\nfour',
    });
    expect(changeValueView('one\ntwo\nthree', false).full).toBeNull();
  });

  it('never cuts inside a surrogate pair', () => {
    const value = `${'x'.repeat(CHANGE_PREVIEW_LENGTH - 1)}😀tail`;
    expect(changeValueView(value, false).preview).toBe(`${'x'.repeat(CHANGE_PREVIEW_LENGTH - 1)}…`);
  });

  it('keeps a long object whole, indented', () => {
    const value = { list: Array.from({ length: 100 }, (_, index) => index) };
    const shown = changeValueView(value, false);
    expect(shown.preview).toHaveLength(CHANGE_PREVIEW_LENGTH + 1);
    expect(shown.full).toBe(JSON.stringify(value, null, 2));
  });
});

describe('changeSetView', () => {
  it('shows an update as old → new and a create as its initial values', () => {
    const update = changeSetView('updated', { changes: { title: ['Hi', 'Hello'] } }, 'en');
    expect(update).toEqual({
      event: 'updated',
      changes: [{ field: 'title', before: changeValueView('Hi', false), after: changeValueView('Hello', false) }],
      collapsed: false,
      summary: '1 change',
    });
    const create = changeSetView('created', { changes: { title: [null, 'Hi'], body: [null, 'x'] } }, 'nl');
    expect(create?.changes.map((change) => change.before)).toEqual([null, null]);
    expect(create?.summary).toBe('2 beginwaarden');
  });

  it('collapses more than three fields', () => {
    const changes = { a: [1, 2], b: [1, 2], c: [1, 2] };
    expect(changeSetView('updated', { changes }, 'en')?.collapsed).toBe(false);
    expect(changeSetView('updated', { changes: { ...changes, d: [1, 2] } }, 'en')).toMatchObject({ collapsed: true, summary: '4 changes' });
  });

  it('masks every value of a field named like a secret', () => {
    const view = changeSetView('updated', { changes: { apiToken: ['clear-old', 'clear-new'] } }, 'en');
    expect(view?.changes[0]).toMatchObject({
      before: { kind: 'masked', preview: '********' },
      after: { kind: 'masked', preview: '********' },
    });
  });

  it.each<[string, string | null, JsonValue]>([
    ['another event', 'deleted', { changes: { title: ['Hi', null] } }],
    ['no event', null, { changes: { title: ['Hi', 'Hello'] } }],
    ['no extraData', 'updated', null],
    ['extraData that is a string', 'updated', 'changes'],
    ['extraData that is a list', 'updated', [{ changes: {} }]],
    ['no changes key', 'updated', { reason: 'typo' }],
    ['changes that are a list', 'updated', { changes: [['Hi', 'Hello']] }],
    ['empty changes', 'updated', { changes: {} }],
    ['a change that is not a pair', 'updated', { changes: { title: ['Hi', 'Hello'], body: ['x'] } }],
    ['a change that is not a list', 'created', { changes: { title: 'Hello' } }],
  ])('is null for %s', (_, event, extraData) => {
    expect(changeSetView(event, extraData, 'en')).toBeNull();
  });
});
