import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_VIEWS_DIR } from '../../src/render/message-renderer.js';
import { templateNames } from '../../src/render/template-names.js';

const names = (source: string): string[] | null => {
  const found = templateNames(source);
  return found === null ? null : [...found].sort();
};

describe('templateNames', () => {
  it("lists what the package's message templates read", () => {
    const read = (name: string): string[] | null => names(readFileSync(path.join(PACKAGE_VIEWS_DIR, 'timeline_logger', name), 'utf8'));
    for (const name of ['created.ejs', 'deleted.ejs', 'default.ejs']) expect(read(name)).toEqual(['object', 't', 'timestamp', 'user']);
    // `changes` is an object key: listed too, which only ever makes a template look less stable.
    expect(read('updated.ejs')).toEqual(['changedFields', 'changes', 'object', 't', 'timestamp', 'user']);
  });

  it('skips strings, property names, comments and literal <%%, but not a spread or a name after a ternary', () => {
    expect(names("<%# log is only mentioned here %><%= t('log {user}', { user }) %>")).toEqual(['t', 'user']);
    expect(names('<%= user.length > 3 ? object . length : 0 %>')).toEqual(['object', 'user']);
    expect(names('<%% <%= log.x %>')).toEqual(['log']);
    expect(names('<%= { ...log } %><%= a ? log : b %>')).toEqual(['a', 'b', 'log']);
    expect(names('<%= \'it\\\'s\' + "q\\"" + 1e3 + 0x1f %>')).toEqual([]);
  });

  it('gives up on code a simple scan could misread', () => {
    expect(names('<%= user.replace(/a/g, "b") %>')).toBeNull();
    expect(names('<%= `${log.extraData}` %>')).toBeNull();
    expect(names('<%= user // log %>')).toBeNull();
    expect(names('<%= \\u006cog %>')).toBeNull();
    expect(names('<%= café %>')).toBeNull();
    expect(names("<%= 'unclosed %>")).toBeNull();
  });
});
