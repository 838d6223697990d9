import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, setupTimeline, type TimelineOptions } from '../../src/index.js';
import { sendTimelineDigest, type DigestTransport } from '../../src/mail/send-timeline-digest.js';
import { createTimelineFixture, createUser, partitionedByDefault, type TimelineFixture } from '../support/timeline-fixture.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';

const NOW = new Date('2026-03-15T09:30:00Z');
const KEY = 'd'.repeat(20) + '-digest-seal-key-0123456789';
const BASE_OPTIONS: TimelineOptions = { now: () => NOW, sealKey: KEY };

let fixture: TimelineFixture;
let smtp: SmtpCapture;
let transport: DigestTransport & { close(): void };

function reconfigure(options: TimelineOptions): void {
  setupTimeline(fixture.db.sequelize, partitionedByDefault({ userModel: fixture.models.User, ...BASE_OPTIONS, ...options }));
}

async function sql(statement: string): Promise<void> {
  await fixture.db.sequelize.query(statement);
}

/** The one message sent: subject, text and HTML. */
function mail(): { subject: string; text: string; html: string } {
  expect(smtp.mails).toHaveLength(1);
  const { subject = '', text = '', html } = smtp.mails[0]!.parsed;
  return { subject, text, html: typeof html === 'string' ? html : '' };
}

/** `count` logs, ids 1..count, the first titled with markup; all sealed, then one more log left unsealed. */
async function sealedLogs(count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) {
    const post = await fixture.models.Post.create({ title: n === 1 ? '<b>Fish & Chips</b>' : `Post ${n}`, authorId: null });
    await fixture.TimelineLog.log(post, { timestamp: new Date(NOW.getTime() - n * 60_000) });
  }
  expect(await fixture.TimelineLog.seal({ waitMs: 1000 })).toMatchObject({ sealed: count });
  await fixture.TimelineLog.log(null, { event: 'after the seal', timestamp: NOW });
}

beforeAll(async () => {
  fixture = await createTimelineFixture(BASE_OPTIONS);
  smtp = await startSmtpCapture();
  transport = nodemailer.createTransport(smtp.url);
  await createUser(fixture.models, 'root', { isStaff: true, isSuperuser: true });
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await fixture?.db.drop();
});
beforeEach(async () => {
  await sql('TRUNCATE timeline_logs, timeline_logs_seals');
  await sql("SELECT setval('timeline_logs_id_seq', 1, false)");
});
afterEach(() => {
  smtp.mails.length = 0;
  reconfigure({});
});

describe('the digest without verify', () => {
  it('has no seal check: no line, no subject mark, sealCheck null', async () => {
    await sealedLogs(3);
    await sql("UPDATE timeline_logs SET object_repr = 'forged' WHERE id = 2");
    const result = await sendTimelineDigest({ transport });
    expect(result).toMatchObject({ status: 'sent', sealCheck: null });
    const { subject, text, html } = mail();
    expect(subject).toBe('Events timeline');
    expect(text).not.toMatch(/seal/i);
    expect(html).not.toMatch(/seal/i);
  });
});

describe('the digest with verify', () => {
  it('says the timeline is intact, with the counts and the newest seal, in both parts', async () => {
    await sealedLogs(3);
    const result = await sendTimelineDigest({ transport, verify: true });
    expect(result.sealCheck).toMatchObject({ status: 'intact', result: { intact: true, checked: 3, unsealed: 1 } });
    const anchor = result.sealCheck?.status === 'intact' ? result.sealCheck.result.anchor : null;
    expect(anchor).toMatch(/^1:[0-9a-f]{64}$/);
    const { subject, text, html } = mail();
    expect(subject).toBe('Events timeline');
    expect(text).toContain('Seal check: intact (3 sealed logs checked, 1 not sealed yet)\n');
    expect(text).toContain(`Newest seal: ${anchor}`);
    expect(html).toContain('Seal check: intact (3 sealed logs checked, 1 not sealed yet)');
    expect(html).toContain(`Newest seal: ${anchor}`);
    expect(html).not.toContain('role="alert"');
  });

  it('is turned on for every digest by the mail.verify option', async () => {
    await sealedLogs(2);
    reconfigure({ mail: { verify: true } });
    await sendTimelineDigest({ transport });
    expect(mail().text).toContain('Seal check: intact (2 sealed logs checked, 1 not sealed yet)');
  });

  it('is turned off for one digest by verify: false over mail.verify', async () => {
    await sealedLogs(2);
    reconfigure({ mail: { verify: true } });
    expect((await sendTimelineDigest({ transport, verify: false })).sealCheck).toBeNull();
    expect(mail().text).not.toContain('Seal check');
  });

  it('marks a modified log: [NOT INTACT] subject, a warning naming the log in text and HTML', async () => {
    await sealedLogs(3);
    await sql("UPDATE timeline_logs SET object_repr = '<i>forged</i>' WHERE id = 2");
    const result = await sendTimelineDigest({ transport, verify: true });
    expect(result.sealCheck).toMatchObject({ status: 'not-intact', result: { problems: [{ id: '2', problem: 'modified' }] } });
    const { subject, text, html } = mail();
    expect(subject).toBe('[NOT INTACT] Events timeline');
    expect(text).toContain(
      '!!! Seal check: NOT INTACT: 1 logs and 0 seals with problems (3 sealed logs checked, 1 not sealed yet)\n  - Log 2: modified\n',
    );
    expect(text).toContain('Run timeline-logger verify to list every problem.');
    expect(html).toMatch(/<div role="alert"[^>]*#cf222e[^>]*>\s*<p[^>]*><strong>Seal check: NOT INTACT: 1 logs/);
    expect(html).toContain('<li>Log 2: modified</li>');
  });

  it('lists the first 10 problem logs, counts the rest, and names the seal problems', async () => {
    await sealedLogs(12);
    await sql('DELETE FROM timeline_logs WHERE id <= 12');
    await sql("UPDATE timeline_logs_seals SET mac = decode(repeat('00', 32), 'hex') WHERE id = 1");
    await sendTimelineDigest({ transport, verify: true });
    const { subject, text, html } = mail();
    expect(subject).toBe('[NOT INTACT] Events timeline');
    expect(text).toContain('NOT INTACT: 12 logs and 1 seals with problems (0 sealed logs checked, 1 not sealed yet)');
    for (let id = 1; id <= 10; id += 1) expect(text).toContain(`  - Log ${id}: missing\n`);
    expect(text).not.toContain('Log 11');
    expect(text).toContain('  - ... and 2 more logs with problems\n  - Seal 1: modified\n');
    expect(html).toContain('<li>... and 2 more logs with problems</li>');
    expect(html).toContain('<li>Seal 1: modified</li>');
  });

  it('still goes out when every log is gone: emptying the table does not silence the warning', async () => {
    await sealedLogs(2);
    await sql('TRUNCATE timeline_logs');
    const result = await sendTimelineDigest({ transport, verify: true });
    expect(result).toMatchObject({ status: 'sent', logCount: 0, since: NOW });
    const { subject, text } = mail();
    expect(subject).toBe('[NOT INTACT] Events timeline');
    expect(text).toContain('  - Log 1: missing\n  - Log 2: missing\n');
    expect(text).toContain('No events in this period.');
  });

  it('sends nothing for an empty window when the timeline is intact', async () => {
    await sealedLogs(1);
    reconfigure({ now: () => new Date(NOW.getTime() + 10 * 86_400_000) });
    expect(await sendTimelineDigest({ transport, verify: true, days: 1 })).toMatchObject({ status: 'no-logs', sealCheck: null });
    expect(smtp.mails).toHaveLength(0);
  });

  it('still sends the digest when the check cannot run, saying why (message only) and marking the subject', async () => {
    await sealedLogs(2);
    await sql('ALTER TABLE timeline_logs_seals RENAME TO timeline_logs_seals_away');
    try {
      const result = await sendTimelineDigest({ transport, verify: true });
      expect(result).toMatchObject({ status: 'sent', logCount: 3, sealCheck: { status: 'failed' } });
      const { subject, text, html } = mail();
      expect(subject).toBe('[SEAL CHECK FAILED] Events timeline');
      const why =
        'Seal check could not run: the table timeline_logs or its seals table timeline_logs_seals does not exist: run migrateTimeline(sequelize) (or `timeline-logger migrate`) first';
      expect(text).toContain(`!!! ${why}\n`);
      expect(html).toContain(why);
      expect(html).toMatch(/role="alert"[^>]*#9a6700/);
      expect(text).not.toMatch(/\n\s+at /);
      expect(text).toContain('Fish & Chips');
    } finally {
      await sql('ALTER TABLE timeline_logs_seals_away RENAME TO timeline_logs_seals');
    }
  });

  it('reports any error of the check, HTML-escaped in the HTML part', async () => {
    await sealedLogs(1);
    await sql('ALTER TABLE timeline_logs_seals RENAME COLUMN mac TO mac_away');
    try {
      const result = await sendTimelineDigest({ transport, verify: true });
      expect(result.sealCheck).toEqual({ status: 'failed', error: expect.stringContaining('column "mac" does not exist') });
      const { text, html } = mail();
      expect(text).toContain('Seal check could not run: column "mac" does not exist');
      expect(html).toContain('Seal check could not run: column &#34;mac&#34; does not exist');
      expect(html).not.toContain('"mac"');
    } finally {
      await sql('ALTER TABLE timeline_logs_seals RENAME COLUMN mac_away TO mac');
    }
  });

  it('speaks Dutch, subject mark included', async () => {
    await sealedLogs(2);
    await sql("UPDATE timeline_logs SET event = 'deleted' WHERE id = 1");
    await sendTimelineDigest({ transport, verify: true, locale: 'nl' });
    const { subject, text } = mail();
    expect(subject).toBe('[NIET INTACT] Tijdlijn van gebeurtenissen');
    expect(text).toContain(
      'Zegelcontrole: NIET INTACT: 1 logs en 0 zegels met problemen (2 verzegelde logs gecontroleerd, 1 nog niet verzegeld)',
    );
    expect(text).toContain('  - Log 1: modified\n');
  });

  it('rejects a verify that is not a boolean, in the options and at setup', async () => {
    await sealedLogs(1);
    await expect(sendTimelineDigest({ transport, verify: 'yes' as unknown as boolean })).rejects.toThrow(/verify must be true or false/);
    expect(() => reconfigure({ mail: { verify: 1 as unknown as boolean } })).toThrow(ConfigurationError);
    expect(() => reconfigure({ mail: { verify: 1 as unknown as boolean } })).toThrow(/mail\.verify/);
    expect(smtp.mails).toHaveLength(0);
  });
});
