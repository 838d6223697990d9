/**
 * A `restored` log whose own template is missing or throws falls back to the package's
 * `restored.ejs`, as `created`, `updated` and `deleted` logs fall back to theirs (issue 13).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RenderErrorContext } from '../../src/index.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const BROKEN_TEMPLATES = fileURLToPath(new URL('../support/views/broken-templates/', import.meta.url));
const AT = new Date('2016-07-01T09:08:00Z');

const reported: RenderErrorContext[] = [];
const fixture = useTimelineFixture({ templateDirs: [BROKEN_TEMPLATES], onRenderError: (_error, context) => reported.push(context) });

describe('a restored log with a broken template of its own', () => {
  it('renders with timeline_logger/restored.ejs, in English and Dutch, and reports that fallback', async () => {
    reported.length = 0;
    const store = (template: string) =>
      fixture.TimelineLog.create({ template, event: 'restored', extraData: { item: null }, timestamp: AT, objectRepr: 'Hello <b>' });
    const missing = await store('gone/restored.ejs');
    const throwing = await store('shop/sold.ejs');

    expect(await fixture.TimelineLog.renderMessages([missing, throwing])).toEqual([
      'July 1, 2016, 9:08 a.m. - Anonymous user restored Hello <b>\n',
      'July 1, 2016, 9:08 a.m. - Anonymous user restored Hello <b>\n',
    ]);
    expect(await throwing.getMessage({ locale: 'nl', escape: 'html' })).toBe(
      '1 juli 2016 09:08 - Anonieme gebruiker heeft Hello &lt;b&gt; hersteld\n',
    );
    expect(reported).toEqual([
      { logId: String(missing.id), template: 'gone/restored.ejs', fallback: 'timeline_logger/restored.ejs' },
      { logId: String(throwing.id), template: 'shop/sold.ejs', fallback: 'timeline_logger/restored.ejs' },
      { logId: String(throwing.id), template: 'shop/sold.ejs', fallback: 'timeline_logger/restored.ejs' },
    ]);
  });
});
