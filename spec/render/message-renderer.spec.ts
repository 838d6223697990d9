import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageRenderer, PACKAGE_VIEWS_DIR } from '../../src/render/message-renderer.js';
import { TemplateNotFoundError } from '../../src/errors.js';

let appViews: string;

beforeEach(() => {
  appViews = mkdtempSync(path.join(os.tmpdir(), 'tl-views-'));
  mkdirSync(path.join(appViews, 'timeline_logger'));
});
afterEach(() => {
  rmSync(appViews, { recursive: true, force: true });
});

const context = { timestamp: 'T', user: 'U', object: '<O>', t: (msg: string) => msg };

describe('MessageRenderer', () => {
  it("searches the app's folders before the package's own", () => {
    const renderer = new MessageRenderer([appViews]);
    expect(renderer.resolve('timeline_logger/default.ejs')).toBe(path.join(PACKAGE_VIEWS_DIR, 'timeline_logger/default.ejs'));
    writeFileSync(path.join(appViews, 'timeline_logger/default.ejs'), 'custom <%= object %>\n');
    expect(new MessageRenderer([appViews]).render('timeline_logger/default.ejs', context)).toBe('custom <O>\n');
  });

  it('escapes only in html mode', () => {
    writeFileSync(path.join(appViews, 'x.ejs'), '<%= object %>');
    const renderer = new MessageRenderer([appViews]);
    expect(renderer.render('x.ejs', context, 'text')).toBe('<O>');
    expect(renderer.render('x.ejs', context, 'html')).toBe('&lt;O&gt;');
  });

  it('compiles each template once until the cache is cleared', () => {
    const file = path.join(appViews, 'cached.ejs');
    writeFileSync(file, 'one');
    const renderer = new MessageRenderer([appViews]);
    expect(renderer.render('cached.ejs', context)).toBe('one');
    writeFileSync(file, 'two');
    expect(renderer.render('cached.ejs', context)).toBe('one');
    renderer.clearCache();
    expect(renderer.render('cached.ejs', context)).toBe('two');
  });

  it('lists the folders searched for an unknown template', () => {
    const renderer = new MessageRenderer([appViews]);
    const attempt = (): string => renderer.render('nope.ejs', context);
    expect(attempt).toThrow(TemplateNotFoundError);
    expect(attempt).toThrow(`searched: ${appViews}, ${PACKAGE_VIEWS_DIR}`);
  });

  it('never reads files outside its folders', () => {
    writeFileSync(path.join(os.tmpdir(), 'tl-outside.ejs'), 'secret');
    const renderer = new MessageRenderer([appViews]);
    expect(() => renderer.resolve('../tl-outside.ejs')).toThrow(TemplateNotFoundError);
    expect(() => renderer.resolve(path.join(os.tmpdir(), 'tl-outside.ejs'))).toThrow(TemplateNotFoundError);
  });
});
