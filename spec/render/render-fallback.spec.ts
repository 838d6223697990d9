import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TemplateNotFoundError, type JsonObject, type RenderErrorContext } from '../../src/index.js';
import { renderLogSentences } from '../../src/render/render-messages.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const BROKEN_TEMPLATES = fileURLToPath(new URL('../support/views/broken-templates/', import.meta.url));
const BROKEN_OVERRIDES = fileURLToPath(new URL('../support/views/broken-overrides/', import.meta.url));
const AT = new Date('2016-07-01T09:08:00Z');

const reported: { error: Error; context: RenderErrorContext }[] = [];
const fixture = useTimelineFixture({
  templateDirs: [BROKEN_TEMPLATES],
  onRenderError: (error, context) => reported.push({ error, context }),
});

/** Stores a row as an import from another app could: with any template name, unchecked. */
async function storeLog(template: string, event: string | null, extraData: JsonObject | null = null) {
  return fixture.TimelineLog.create({ template, event, extraData, timestamp: AT, objectRepr: 'Hello <b>' });
}

describe('rendering a list with a bad template in it', () => {
  it('falls back to the default template of the log event, reports it, and renders the rest as usual', async () => {
    reported.length = 0;
    const missing = await storeLog('gone/renamed.ejs', 'created');
    const throwing = await storeLog('shop/sold.ejs', 'purchased', { item: null });
    const syntax = await storeLog('shop/syntax.ejs', null);
    const fine = await storeLog('timeline_logger/deleted.ejs', 'deleted');

    const messages = await fixture.TimelineLog.renderMessages([missing, throwing, syntax, fine]);

    expect(messages).toEqual([
      'July 1, 2016, 9:08 a.m. - Anonymous user created Hello <b>\n',
      'July 1, 2016, 9:08 a.m. - Anonymous user event on Hello <b>\n',
      'July 1, 2016, 9:08 a.m. - Anonymous user event on Hello <b>\n',
      'July 1, 2016, 9:08 a.m. - Anonymous user deleted Hello <b>\n',
    ]);
    expect(reported.map(({ context }) => context)).toEqual([
      { logId: String(missing.id), template: 'gone/renamed.ejs', fallback: 'timeline_logger/created.ejs' },
      { logId: String(throwing.id), template: 'shop/sold.ejs', fallback: 'timeline_logger/default.ejs' },
      { logId: String(syntax.id), template: 'shop/syntax.ejs', fallback: 'timeline_logger/default.ejs' },
    ]);
    expect(reported[0]?.error).toBeInstanceOf(TemplateNotFoundError);
    expect(reported[1]?.error.message).toMatch(/name/);
  });

  it('still throws for a template the caller names itself', async () => {
    const log = await storeLog('timeline_logger/default.ejs', null);
    await expect(log.getMessage({ template: 'gone/renamed.ejs' })).rejects.toBeInstanceOf(TemplateNotFoundError);
  });
});

describe('rendering when the app overrides every fallback with a broken template', () => {
  const overridden: RenderErrorContext[] = [];
  const broken = useTimelineFixture({ templateDirs: [BROKEN_OVERRIDES], onRenderError: (_error, context) => overridden.push(context) });

  it('shows the default line, HTML-escaped, and reports that no fallback rendered', async () => {
    const log = await broken.TimelineLog.create({
      template: 'timeline_logger/created.ejs',
      event: 'created',
      timestamp: AT,
      objectRepr: 'Hello <b>',
    });
    expect(await log.getMessage({ escape: 'html' })).toBe('July 1, 2016, 9:08 a.m. - Anonymous user event on Hello &lt;b&gt;\n');
    expect(overridden).toEqual([{ logId: String(log.id), template: 'timeline_logger/created.ejs', fallback: null }]);
  });

  it("cuts the default line into the page's sentence like a template's message", async () => {
    const log = await broken.TimelineLog.create({
      template: 'timeline_logger/created.ejs',
      event: 'created',
      timestamp: AT,
      objectRepr: 'Hello <b>',
    });
    const [rendered] = renderLogSentences(broken.TimelineLog.runtime, [log]);
    expect(rendered?.message).toBe('July 1, 2016, 9:08 a.m. - Anonymous user event on Hello &lt;b&gt;\n');
    expect(rendered?.sentence?.parts).toEqual([
      { kind: 'user', html: 'Anonymous user' },
      { kind: 'text', html: ' event on ' },
      { kind: 'object', html: 'Hello &lt;b&gt;' },
    ]);
  });
});
