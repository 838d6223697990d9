import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, setupTimeline, type TimelineOptions } from '../../src/index.js';
import { sendTimelineDigest, type DigestTransport } from '../../src/mail/send-timeline-digest.js';
import { createTimelineFixture, createUser, partitionedByDefault, type TimelineFixture } from '../support/timeline-fixture.js';
import { headerAddresses, startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';

const NOW = new Date('2026-03-15T09:30:00Z');
const DAY = 86_400_000;
const BASE_OPTIONS: TimelineOptions = { now: () => NOW, mail: { activeField: 'isActive' } };

let fixture: TimelineFixture;
let smtp: SmtpCapture;
let transport: DigestTransport & { close(): void };

/** Re-runs setupTimeline on the fixture's connection with other options (as an app configured differently). */
function reconfigure(options: TimelineOptions): void {
  setupTimeline(fixture.db.sequelize, partitionedByDefault({ userModel: fixture.models.User, ...BASE_OPTIONS, ...options }));
}

function envelopes(): string[][] {
  return smtp.mails.map((mail) => [...mail.envelopeTo]);
}

beforeAll(async () => {
  fixture = await createTimelineFixture(BASE_OPTIONS);
  smtp = await startSmtpCapture({ reject: ['bounce@example.com'] });
  transport = nodemailer.createTransport(smtp.url);
  const { models } = fixture;
  await createUser(models, 'root', { isStaff: true, isSuperuser: true });
  await createUser(models, 'staffer', { isStaff: true });
  await createUser(models, 'plain');
  await (await createUser(models, 'retired', { isStaff: true, isSuperuser: true })).update({ isActive: false });
  await createUser(models, 'nomail', { isStaff: true, isSuperuser: true, email: '  ' });
  await createUser(models, 'twin', { isStaff: true, isSuperuser: true, email: 'ROOT@example.com' });
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await fixture?.db.drop();
});
afterEach(() => {
  smtp.mails.length = 0;
  reconfigure({});
});

describe('with no logs', () => {
  it('sends nothing and says so', async () => {
    const result = await sendTimelineDigest({ transport });
    expect(result).toMatchObject({ status: 'no-logs', recipients: ['root@example.com'], logCount: 0, sent: [], failed: [] });
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('with logs at -30, -10 and 0 days', () => {
  beforeAll(async () => {
    const { models, TimelineLog } = fixture;
    for (const [title, daysAgo] of [
      ['Thirty days ago', 30],
      ['Ten days ago', 10],
      ['<b>Fish & Chips</b> today', 0],
    ] as const) {
      const post = await models.Post.create({ title, authorId: null });
      await TimelineLog.log(post, { timestamp: new Date(NOW.getTime() - daysAgo * DAY) });
    }
  });

  describe('recipients', () => {
    it('default to active staff superusers with an address, each address once', async () => {
      const result = await sendTimelineDigest({ transport });
      expect(result.recipients).toEqual(['root@example.com']);
      expect(envelopes()).toEqual([['root@example.com']]);
    });

    it('are the active staff users with --staff', async () => {
      await sendTimelineDigest({ transport, recipients: 'staff' });
      expect(envelopes()).toEqual([['root@example.com'], ['staffer@example.com']]);
    });

    it('are every active user with --all', async () => {
      await sendTimelineDigest({ transport, recipients: 'all' });
      expect(envelopes()).toEqual([['root@example.com'], ['staffer@example.com'], ['plain@example.com']]);
    });

    it('include inactive users when no activeField is configured', async () => {
      reconfigure({ mail: {} });
      await sendTimelineDigest({ transport });
      expect(envelopes()).toEqual([['root@example.com'], ['retired@example.com']]);
    });

    it('are the mail.recipients list with --recipients-from-setting', async () => {
      reconfigure({ mail: { recipients: ['ops@example.com', 'audit@example.com'] } });
      const result = await sendTimelineDigest({ transport, recipients: 'setting' });
      expect(result.sent.map((sent) => sent.to)).toEqual(['ops@example.com', 'audit@example.com']);
      expect(envelopes()).toEqual([['ops@example.com'], ['audit@example.com']]);
    });

    it('never see each other: one message per recipient, no Cc or Bcc', async () => {
      await sendTimelineDigest({ transport, recipients: 'all' });
      expect(smtp.mails).toHaveLength(3);
      for (const mail of smtp.mails) {
        expect(headerAddresses(mail.parsed, 'to')).toEqual(mail.envelopeTo);
        expect(headerAddresses(mail.parsed, 'cc')).toEqual([]);
        expect(headerAddresses(mail.parsed, 'bcc')).toEqual([]);
      }
    });

    it('that are empty are reported, and nothing is sent', async () => {
      const result = await sendTimelineDigest({ transport, recipients: 'setting' });
      expect(result).toMatchObject({ status: 'no-recipients', recipients: [], sent: [] });
      expect(smtp.mails).toHaveLength(0);
    });

    it('that the server refuses are listed as failed while the others still get the digest', async () => {
      reconfigure({ mail: { recipients: ['bounce@example.com', 'ops@example.com'] } });
      const result = await sendTimelineDigest({ transport, recipients: 'setting' });
      expect(result.failed.map((failed) => failed.to)).toEqual(['bounce@example.com']);
      expect(result.failed[0]?.error.message).toMatch(/550|unavailable/);
      expect(result.sent.map((sent) => sent.to)).toEqual(['ops@example.com']);
      expect(envelopes()).toEqual([['ops@example.com']]);
    });

    it('need the configured fields on the user model', async () => {
      reconfigure({ mail: { staffField: 'isAdmin' } });
      await expect(sendTimelineDigest({ transport, recipients: 'staff' })).rejects.toThrow(ConfigurationError);
      await expect(sendTimelineDigest({ transport, recipients: 'staff' })).rejects.toThrow(/mail\.staffField.*isAdmin.*isStaff/);
    });
  });

  describe('window', () => {
    it('holds the logs of the last --days days, and its heading names its start', async () => {
      const result = await sendTimelineDigest({ transport, days: 15 });
      expect(result).toMatchObject({ status: 'sent', logCount: 2, since: new Date(NOW.getTime() - 15 * DAY) });
      const text = smtp.mails[0]?.parsed.text ?? '';
      expect(text).toContain('Events since Feb. 28, 2026, 9:30 a.m.');
      expect(text).toContain('Ten days ago');
      expect(text).toContain('Fish & Chips');
      expect(text).not.toContain('Thirty days ago');
    });

    it('holds every log without --days, and its heading names the oldest, not the newest', async () => {
      const result = await sendTimelineDigest({ transport });
      expect(result).toMatchObject({ logCount: 3, since: new Date(NOW.getTime() - 30 * DAY) });
      expect(smtp.mails[0]?.parsed.text).toContain('Events since Feb. 13, 2026, 9:30 a.m.');
    });

    it('with no logs in it sends nothing', async () => {
      reconfigure({ now: () => new Date(NOW.getTime() + 5 * DAY) });
      const result = await sendTimelineDigest({ transport, days: 2 });
      expect(result.status).toBe('no-logs');
      expect(smtp.mails).toHaveLength(0);
    });

    it('lists at most maxEntries logs, the newest, and says how many there were', async () => {
      await sendTimelineDigest({ transport, maxEntries: 1 });
      const { text = '', html = '' } = smtp.mails[0]?.parsed ?? {};
      expect(text).toContain('Fish & Chips');
      expect(text).not.toContain('Ten days ago');
      expect(text).toContain('Showing the latest 1 of 3 events.');
      expect(html).toContain('Showing the latest 1 of 3 events.');
    });
  });

  describe('message', () => {
    it('comes from webmaster@localhost with the subject "Events timeline" by default', async () => {
      await sendTimelineDigest({ transport });
      const { parsed, envelopeFrom } = smtp.mails[0]!;
      expect(parsed.from?.value[0]?.address).toBe('webmaster@localhost');
      expect(envelopeFrom).toBe('webmaster@localhost');
      expect(parsed.subject).toBe('Events timeline');
    });

    it('comes from the configured sender with the configured subject', async () => {
      reconfigure({ mail: { from: 'Timeline <timeline@example.com>', subject: 'Daily digest' } });
      await sendTimelineDigest({ transport });
      const { parsed, envelopeFrom } = smtp.mails[0]!;
      expect(parsed.from?.value[0]).toMatchObject({ address: 'timeline@example.com', name: 'Timeline' });
      expect(envelopeFrom).toBe('timeline@example.com');
      expect(parsed.subject).toBe('Daily digest');
    });

    it('has an HTML part with escaped messages and a real plain-text part', async () => {
      await sendTimelineDigest({ transport });
      const { html, text } = smtp.mails[0]!.parsed;
      expect(html).toContain('&lt;b&gt;Fish &amp; Chips&lt;/b&gt; today');
      expect(html).not.toContain('<b>Fish');
      expect(text).toContain('- Feb. 13, 2026, 9:30 a.m. - Anonymous user event on Thirty days ago');
      expect(text).toContain('<b>Fish & Chips</b> today');
      expect(text).not.toMatch(/<li>|&amp;/);
    });

    it('uses an app template from templateDirs over the shipped one', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'digest-templates-'));
      try {
        await mkdir(path.join(dir, 'timeline_logger', 'email'), { recursive: true });
        await writeFile(
          path.join(dir, 'timeline_logger', 'email', 'digest.txt.ejs'),
          'Our week: <%= total %> events<% for (const e of entries) { %>\n* <%= e.text %><% } %>\n',
        );
        reconfigure({ templateDirs: [dir] });
        await sendTimelineDigest({ transport, days: 15 });
        const { text, html } = smtp.mails[0]!.parsed;
        expect(text).toMatch(/^Our week: 2 events\n\* .*Fish & Chips/);
        expect(html).toContain('Events since'); // the HTML part is still the shipped one
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('is in the requested locale, subject included', async () => {
      await sendTimelineDigest({ transport, days: 15, locale: 'nl', timeZone: 'Europe/Amsterdam' });
      const { subject, text, html } = smtp.mails[0]!.parsed;
      expect(subject).toBe('Tijdlijn van gebeurtenissen');
      expect(text).toContain('Gebeurtenissen sinds 28 februari 2026 10:30');
      expect(text).toContain('- 5 maart 2026 10:30 - Anonieme gebruiker gebeurtenis op Ten days ago');
      expect(html).toContain('<html lang="nl">');
    });
  });
});
