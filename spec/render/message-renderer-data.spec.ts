import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageRenderer } from '../../src/render/message-renderer.js';

let views: string;
beforeEach(() => {
  views = mkdtempSync(path.join(os.tmpdir(), 'tl-data-'));
});
afterEach(() => {
  rmSync(views, { recursive: true, force: true });
});

function renderer(files: Record<string, string>): MessageRenderer {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(views, name), text);
  return new MessageRenderer([views]);
}

describe("a template's data", () => {
  it('is read by name whatever keys each call gives, including optional ones', () => {
    const shown = renderer({ 'x.ejs': "<%= user %><%= typeof note === 'undefined' ? '' : ' (' + note + ')' %>" });
    expect(shown.render('x.ejs', { user: 'ann' })).toBe('ann');
    expect(shown.render('x.ejs', { user: 'bob', note: 'hi' })).toBe('bob (hi)');
    expect(shown.render('x.ejs', { note: 'first', user: 'cy' })).toBe('cy (first)');
    expect(shown.render('x.ejs', { user: 'ann' })).toBe('ann');
    expect(() => shown.render('x.ejs', {})).toThrow(/user is not defined/);
  });

  it("renders a template that declares one of its data's names, or reads a key that is not a name", () => {
    const shown = renderer({
      'shadow.ejs': '<% var user = String(user).toUpperCase(); %><%= user %>',
      'block.ejs': '<% { let user = 1; %><%= user %><% } %>-<%= user %>',
      'odd.ejs': "<%= locals['my-key'] %>/<%= locals.user %>",
    });
    expect(shown.render('shadow.ejs', { user: 'ann' })).toBe('ANN');
    expect(shown.render('block.ejs', { user: 'ann' })).toBe('1-ann');
    expect(shown.render('odd.ejs', { 'my-key': 'k', user: 'ann' })).toBe('k/ann');
  });

  it('renders more data shapes than it compiles for', () => {
    const shown = renderer({ 'x.ejs': '<%= a %>' });
    for (let index = 0; index < 20; index += 1) expect(shown.render('x.ejs', { a: index, [`extra${index}`]: true })).toBe(String(index));
  });
});
