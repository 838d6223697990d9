import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MessageRenderer } from '../../src/render/message-renderer.js';
import { messageSentence, SentenceTokens } from '../../src/render/message-sentence.js';
import { renderLogSentences, type RenderableLog } from '../../src/render/render-messages.js';
import { messageContext } from '../../src/render/message-context.js';
import { logLabels } from '../../src/render/log-labels.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
let views: string;
beforeAll(() => {
  views = mkdtempSync(path.join(os.tmpdir(), 'tl-shapes-'));
  mkdirSync(path.join(views, 'shop'));
  writeFileSync(path.join(views, 'shop/sold.ejs'), '<%= timestamp %> - <%= user %> sold <%= object %> for <%= log.extraData.total %>\n');
  writeFileSync(path.join(views, 'shop/dated.ejs'), "<%= user %> on <%= formatDate(log.timestamp, 'Y-m-d') %>\n");
});
afterAll(() => rmSync(views, { recursive: true, force: true }));

function log(template: string, n: number, extraData: RenderableLog['extraData'] = null): RenderableLog {
  return {
    id: String(n),
    template,
    event: null,
    contentType: 'Post',
    objectRepr: `Post ${n} <b>`,
    userId: null,
    userRepr: `user ${n}`,
    timestamp: new Date(Date.UTC(2016, 6, 1, 9, n)),
    extraData,
    contentObject: null,
    user: null,
  };
}

/** Renders `logs`' sentences, counting the renders made with stand-ins. */
function sentences(renderer: MessageRenderer, logs: RenderableLog[], locale = 'en', context?: Record<string, unknown>) {
  const render = vi.spyOn(renderer, 'render');
  const rendered = renderLogSentences({ ...fixture.TimelineLog.runtime, renderer }, logs, { locale, ...(context ? { context } : {}) });
  const standIns = render.mock.calls.filter(([, data]) => String(data.user).startsWith('\uE000')).length;
  render.mockRestore();
  return { rendered, standIns };
}

/** The sentence of `entry` as a fresh stand-in render gives it. */
function freshSentence(renderer: MessageRenderer, entry: RenderableLog, message: string) {
  const { runtime } = fixture.TimelineLog;
  const context = messageContext(entry, logLabels(entry, runtime.options), runtime.sequelize, { locale: 'en', timeZone: 'UTC' });
  const tokens = new SentenceTokens();
  const tokenized = renderer.render(
    entry.template,
    { ...context, timestamp: tokens.timestamp, user: tokens.user, object: tokens.object },
    'html',
  );
  return messageSentence(message, tokenized, tokens, {
    timestamp: String(context.timestamp),
    user: String(context.user),
    object: String(context.object),
  });
}

describe("the page's stand-in renders", () => {
  it('are made once per template, language and changed fields for templates that read nothing else, with the same sentences', () => {
    const renderer = new MessageRenderer([views]);
    const titleOnly = { changes: { title: ['a', 'b'] } };
    const both = { changes: { body: ['a', 'b'], title: ['c', 'd'] } };
    const logs = [
      ...[1, 2, 3, 4].map((n) => log('timeline_logger/created.ejs', n)),
      ...[5, 6, 7].map((n) => log('timeline_logger/updated.ejs', n, n === 6 ? both : titleOnly)),
      log('timeline_logger/updated.ejs', 8, both),
    ];
    const { rendered, standIns } = sentences(renderer, logs);
    expect(standIns).toBe(3); // created; updated (title); updated (body, title)
    rendered.forEach((entry, index) =>
      expect(entry.sentence).toEqual(freshSentence(renderer, logs[index] as RenderableLog, entry.message)),
    );
    expect(rendered[0]?.sentence?.parts).toEqual([
      { kind: 'user', html: 'user 1' },
      { kind: 'text', html: ' created ' },
      { kind: 'object', html: 'Post 1 &lt;b&gt;' },
    ]);
    // Later pages reuse them; another language is another render.
    expect(sentences(renderer, logs.slice(0, 2)).standIns).toBe(0);
    expect(sentences(renderer, logs.slice(0, 2), 'nl').standIns).toBe(1);
  });

  it('are made for every log whose template reads the log, a date format or anything else', () => {
    const renderer = new MessageRenderer([views]);
    const logs = [1, 2, 3].flatMap((n) => [log('shop/sold.ejs', n, { total: `${n}.00` }), log('shop/dated.ejs', n)]);
    const { rendered, standIns } = sentences(renderer, logs);
    expect(standIns).toBe(6);
    rendered.forEach((entry, index) =>
      expect(entry.sentence).toEqual(freshSentence(renderer, logs[index] as RenderableLog, entry.message)),
    );
  });

  it("are made for every log when the caller's context replaces t, locale or changedFields", () => {
    const renderer = new MessageRenderer([views]);
    let calls = 0;
    const t = (msgid: string): string => `${msgid} #${(calls += 1)}`;
    const logs = [1, 2, 3].map((n) => log('timeline_logger/created.ejs', n));
    const { rendered, standIns } = sentences(renderer, logs, 'en', { t });
    expect(standIns).toBe(3);
    expect(rendered.map((entry) => entry.sentence)).toEqual([null, null, null]);
  });

  it('are forgotten with the compiled templates when the cache is cleared', () => {
    writeFileSync(path.join(views, 'shop/plain.ejs'), '<%= user %> did something to <%= object %>\n');
    const renderer = new MessageRenderer([views]);
    const before = sentences(renderer, [log('shop/plain.ejs', 1)]).rendered[0];
    writeFileSync(path.join(views, 'shop/plain.ejs'), '<%= object %> was touched by <%= user %>\n');
    renderer.clearCache();
    const { rendered, standIns } = sentences(renderer, [log('shop/plain.ejs', 1)]);
    expect(standIns).toBe(1);
    expect(before?.sentence?.parts[0]?.kind).toBe('user');
    expect(rendered[0]?.sentence?.parts[0]?.kind).toBe('object');
  });
});
