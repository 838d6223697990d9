/**
 * The digest e-mail shows each entry's changes like the page (issue 13, item 2): the HTML part
 * a row per field (old → new, a create's initial values), escaped, masked values as `********`;
 * the text part a `field: old → new` line under the entry. Sent through a real SMTP server.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeline } from '../../src/index.js';
import { sendTimelineDigest, type DigestTransport } from '../../src/mail/send-timeline-digest.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { defineTrackedModels } from '../support/tracked-models.js';

const NOW = new Date('2026-03-15T09:30:00Z');
const HOSTILE = 'Ann <b>"bold"</b>';

let fixture: TimelineFixture;
let smtp: SmtpCapture;
let transport: DigestTransport & { close(): void };

beforeAll(async () => {
  fixture = await createTimelineFixture({ now: () => NOW });
  smtp = await startSmtpCapture();
  transport = nodemailer.createTransport(smtp.url);
  await createUser(fixture.models, 'root', { isStaff: true, isSuperuser: true });
  const { Account } = await defineTrackedModels(fixture.db.sequelize);
  withTimeline(Account);
  const account = await Account.create({ name: 'Ann', password: 'hunter2' });
  await account.update({ name: HOSTILE, password: 's3cr3t', visits: '7' });
  const post = await fixture.models.Post.create({ title: 'Imported', authorId: null });
  await fixture.TimelineLog.log(post, {
    event: 'updated',
    template: 'timeline_logger/updated.ejs',
    extraData: { changes: 'not a change set' },
  });
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await fixture?.db.drop();
});

describe('the digest with tracked changes', () => {
  it('shows them in the HTML part, escaped, with masked values as ********', async () => {
    await sendTimelineDigest({ transport });
    const html = String(smtp.mails[0]?.parsed.html ?? '');
    expect(html).not.toContain('hunter2');
    expect(html).not.toContain('s3cr3t');
    expect(html).not.toContain('<b>"bold"</b>');
    const rows = [...html.matchAll(/<tr><th scope="row"[^>]*>(.*?)<\/th><td[^>]*>(.*?)<\/td><\/tr>/g)].map((match) => [
      match[1],
      (match[2] ?? '').replace(/<[^>]+>/g, ''),
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['name', `Ann &rarr; Ann &lt;b&gt;&#34;bold&#34;&lt;/b&gt;`],
        ['password', '******** &rarr; ********'],
        ['visits', 'empty &rarr; 7'],
        // The create's initial values.
        ['name', 'Ann'],
        ['password', '********'],
      ]),
    );
    expect(rows).toHaveLength(5);
  });

  it('lists them in the text part as field: old → new under their entry', async () => {
    smtp.mails.length = 0;
    await sendTimelineDigest({ transport });
    const { text = '' } = smtp.mails[0]?.parsed ?? {};
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t');
    expect(text).toMatch(/- .* - Anonymous user updated Ann <b>"bold"<\/b> \([a-z, ]+\)\n {4}name: /);
    expect(text).toContain(`    name: Ann → ${HOSTILE}\n`);
    expect(text).toContain('    password: ******** → ********\n');
    expect(text).toContain('    visits: (empty) → 7\n');
    expect(text).toMatch(/created Ann <b>"bold"<\/b>\n {4}name: Ann\n {4}password: \*{8}\n/);
    expect(text).toMatch(/updated Imported\n(- |$)/);
  });
});
