import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { parseReportMailingRequest, runReportMailing, type ReportMailingCommandOptions } from '../../src/cli/commands/report-mailing.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { setupTimeline, type TimelineOptions } from '../../src/index.js';
import type { Locale } from '../../src/render/locale.js';
import { translate } from '../../src/render/translate.js';
import { createTimelineFixture, createUser, type TimelineFixture } from '../support/timeline-fixture.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { CLI_CONFIG, runCliProcess } from '../support/cli-process.js';
import { capture } from '../support/command-streams.js';

const NOW = new Date('2026-03-15T09:30:00Z');
const DAY = 86_400_000;
const BASE_OPTIONS: TimelineOptions = { now: () => NOW, mail: { activeField: 'isActive', recipients: ['ops@example.com'] } };

let fixture: TimelineFixture;
let smtp: SmtpCapture;

function reconfigure(options: TimelineOptions): void {
  setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User, ...BASE_OPTIONS, ...options });
}

function translator(locale: Locale) {
  return (msgid: string, params?: Readonly<Record<string, string | number>>) => translate(locale, msgid, params);
}

/** Runs the command's body as the CLI does, through a real SMTP connection; usage errors are thrown. */
async function reportMailing(
  options: ReportMailingCommandOptions,
  { locale = 'en', smtpUrl = smtp.url }: { locale?: Locale; smtpUrl?: string } = {},
) {
  const t = translator(locale);
  const stdout = capture();
  const stderr = capture();
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    const code = await runReportMailing(parseReportMailingRequest(options, t), transport, { stdout, stderr, locale, timeZone: 'UTC' }, t);
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    transport.close();
  }
}

function recipientsOfMails(): string[] {
  return smtp.mails.flatMap((mail) => mail.envelopeTo);
}

beforeAll(async () => {
  fixture = await createTimelineFixture(BASE_OPTIONS);
  smtp = await startSmtpCapture();
  const { models, TimelineLog } = fixture;
  await createUser(models, 'root', { isStaff: true, isSuperuser: true });
  await createUser(models, 'staffer', { isStaff: true });
  await createUser(models, 'plain');
  await (await createUser(models, 'retired', { isStaff: true, isSuperuser: true })).update({ isActive: false });
  for (const [title, daysAgo] of [
    ['Thirty days ago', 30],
    ['Ten days ago', 10],
    ['Today', 0],
  ] as const) {
    const post = await models.Post.create({ title, authorId: null });
    await TimelineLog.log(post, { timestamp: new Date(NOW.getTime() - daysAgo * DAY) });
  }
});
afterAll(async () => {
  await smtp?.close();
  await fixture?.db.drop();
});
afterEach(() => {
  smtp.mails.length = 0;
  reconfigure({});
});

describe('report-mailing', () => {
  it('sends to active staff superusers by default and prints a summary', async () => {
    const result = await reportMailing({});
    expect(result).toEqual({
      code: 0,
      stdout: 'Sent the digest of 3 timeline logs since Feb. 13, 2026, 9:30 a.m. to 1 of 1 recipients.\nSent to root@example.com\n',
      stderr: '',
    });
    expect(recipientsOfMails()).toEqual(['root@example.com']);
  });

  it.each<[ReportMailingCommandOptions, string[]]>([
    [{ staff: true }, ['root@example.com', 'staffer@example.com']],
    [{ all: true }, ['root@example.com', 'staffer@example.com', 'plain@example.com']],
    [{ recipientsFromSetting: true }, ['ops@example.com']],
  ])('with %o sends one message to each of %o', async (options, expected) => {
    const result = await reportMailing(options);
    expect(result.code).toBe(0);
    expect(smtp.mails.map((mail) => mail.envelopeTo)).toEqual(expected.map((address) => [address]));
  });

  it('with --days 15 sends the logs of -10 and 0 days, not -30', async () => {
    const result = await reportMailing({ days: '15' });
    expect(result.stdout).toContain('Sent the digest of 2 timeline logs since Feb. 28, 2026, 9:30 a.m.');
    const text = smtp.mails[0]?.parsed.text ?? '';
    expect(text).toContain('Ten days ago');
    expect(text).toContain('Today');
    expect(text).not.toContain('Thirty days ago');
  });

  it('sends from the configured address', async () => {
    reconfigure({ mail: { from: 'timeline@example.com', activeField: 'isActive' } });
    await reportMailing({});
    expect(smtp.mails[0]?.parsed.from?.value[0]?.address).toBe('timeline@example.com');
    expect(smtp.mails[0]?.envelopeFrom).toBe('timeline@example.com');
  });

  it('sends nothing when the window has no logs, and says so (exit 0)', async () => {
    reconfigure({ now: () => new Date(NOW.getTime() + 5 * DAY) });
    const result = await reportMailing({ days: '2' });
    expect(result).toEqual({ code: 0, stdout: 'No timeline logs in the last 2 days: no e-mail sent.\n', stderr: '' });
    expect(smtp.mails).toHaveLength(0);
  });

  it('reports an empty recipient list (exit 1) and sends nothing', async () => {
    reconfigure({ mail: {} });
    const result = await reportMailing({ recipientsFromSetting: true });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'No recipients: the mail.recipients option of the configuration is empty.\n' });
    expect(smtp.mails).toHaveLength(0);
  });

  it('fails with exit 1 when the SMTP server cannot be reached', async () => {
    const result = await reportMailing({}, { smtpUrl: 'smtp://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Could not send to root@example\.com: .*ECONNREFUSED/);
  });

  it.each<[ReportMailingCommandOptions, RegExp]>([
    [{ all: true, staff: true }, /^Give at most one of --all, --staff and --recipients-from-setting\.$/],
    [{ staff: true, recipientsFromSetting: true }, /^Give at most one of/],
    [{ days: '-3' }, /^--days must be a whole number of days, 0 or more \(got "-3"\)\.$/],
    [{ days: 'week' }, /got "week"/],
  ])('%o is a usage error (exit 2)', (options, message) => {
    expect(() => parseReportMailingRequest(options, translator('en'))).toThrow(UsageError);
    expect(() => parseReportMailingRequest(options, translator('en'))).toThrow(message);
  });

  it.each<[ReportMailingCommandOptions, object]>([
    [{}, { days: 0, recipients: 'superusers', verify: false }],
    [
      { days: ' 7 ', staff: true },
      { days: 7, recipients: 'staff', verify: false },
    ],
    [{ all: true }, { days: 0, recipients: 'all', verify: false }],
    [
      { recipientsFromSetting: true, days: '0' },
      { days: 0, recipients: 'setting', verify: false },
    ],
    [{ verify: true }, { days: 0, recipients: 'superusers', verify: true }],
  ])('reads %o as %o', (options, expected) => {
    expect(parseReportMailingRequest(options, translator('en'))).toEqual(expected);
  });

  it('with --verify puts the seal check in the e-mail and prints it after the summary', async () => {
    const result = await reportMailing({ verify: true });
    expect(result).toEqual({
      code: 0,
      stdout:
        'Sent the digest of 3 timeline logs since Feb. 13, 2026, 9:30 a.m. to 1 of 1 recipients.\nSent to root@example.com\n' +
        'Seal check: intact (0 sealed logs checked, 3 not sealed yet)\n',
      stderr: '',
    });
    expect(smtp.mails[0]?.parsed.text).toContain('Seal check: intact (0 sealed logs checked, 3 not sealed yet)');
  });

  it('with --verify prints a timeline that is not intact on stderr, still sending the digest (exit 0: it was delivered)', async () => {
    await fixture.TimelineLog.seal({ waitMs: 1000 });
    const { sequelize } = fixture.db;
    const [rows] = await sequelize.query('SELECT id, event FROM timeline_logs ORDER BY id LIMIT 1');
    const first = rows[0] as { id: string; event: string | null };
    try {
      await sequelize.query("UPDATE timeline_logs SET event = 'forged' WHERE id = $1", { bind: [first.id] });
      const result = await reportMailing({ verify: true });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Sent to root@example.com');
      expect(result.stderr).toBe('Seal check: NOT INTACT: 1 logs and 0 seals with problems (3 sealed logs checked, 0 not sealed yet)\n');
      expect(smtp.mails[0]?.parsed.subject).toBe('[NOT INTACT] Events timeline');
      expect(smtp.mails[0]?.parsed.text).toContain(`  - Log ${first.id}: modified\n`);
    } finally {
      await sequelize.query('UPDATE timeline_logs SET event = $2 WHERE id = $1', { bind: [first.id, first.event] });
      await sequelize.query('TRUNCATE timeline_logs_seals');
    }
  });

  it('speaks Dutch with --locale nl, in the summary and the e-mail', async () => {
    const result = await reportMailing({ days: '15' }, { locale: 'nl' });
    expect(result.stdout).toBe(
      'Het overzicht van 2 tijdlijnlogs sinds 28 februari 2026 09:30 is verstuurd naar 1 van 1 ontvangers.\nVerstuurd naar root@example.com\n',
    );
    expect(smtp.mails[0]?.parsed.subject).toBe('Tijdlijn van gebeurtenissen');
    expect(smtp.mails[0]?.parsed.text).toContain('Gebeurtenissen sinds 28 februari 2026 09:30');
  });
});

describe('the timeline-logger report-mailing process (real clock, --config)', () => {
  const env = () => ({ DATABASE_URL: fixture.db.url, SMTP_URL: smtp.url });

  beforeAll(async () => {
    const { models, TimelineLog } = fixture;
    for (const [title, daysAgo] of [
      ['Real -30', 30],
      ['Real -10', 10],
      ['Real now', 0],
    ] as const) {
      const post = await models.Post.create({ title, authorId: null });
      await TimelineLog.log(post, { timestamp: new Date(Date.now() - daysAgo * DAY) });
    }
  });

  it('--days 15 mails the last two logs to the staff superusers, from the configured sender', async () => {
    const run = await runCliProcess(['--config', CLI_CONFIG, 'report-mailing', '--days', '15'], { env: env() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Sent the digest of 2 timeline logs since .+ to 1 of 1 recipients\.\nSent to root@example\.com\n$/);
    expect(smtp.mails).toHaveLength(1);
    const { parsed, envelopeTo } = smtp.mails[0]!;
    expect(envelopeTo).toEqual(['root@example.com']);
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Timeline', address: 'digest@example.com' });
    expect(parsed.text).toContain('Real -10');
    expect(parsed.text).toContain('Real now');
    expect(parsed.text).not.toContain('Real -30');
    expect(parsed.text).not.toContain('Ten days ago');
  });

  it('--recipients-from-setting mails the configured list, in Dutch with --locale nl', async () => {
    const run = await runCliProcess(
      ['--config', CLI_CONFIG, '--locale', 'nl', 'report-mailing', '--days', '15', '--recipients-from-setting'],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Verstuurd naar ops@example.com');
    expect(smtp.mails.map((mail) => mail.envelopeTo)).toEqual([['ops@example.com']]);
    expect(smtp.mails[0]?.parsed.subject).toBe('Tijdlijn van gebeurtenissen');
  });

  it('--verify checks the seals and puts the result in the summary and the e-mail', async () => {
    const run = await runCliProcess(['--config', CLI_CONFIG, 'report-mailing', '--days', '15', '--verify'], { env: env() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nSeal check: intact \(0 sealed logs checked, 6 not sealed yet\)\n$/);
    expect(smtp.mails[0]?.parsed.text).toContain('Seal check: intact (0 sealed logs checked, 6 not sealed yet)');
  });

  it('exits 2 for two recipient flags, 1 without SMTP_URL or a user model, sending nothing', async () => {
    const usage = await runCliProcess(['--config', CLI_CONFIG, 'report-mailing', '--all', '--staff'], { env: env() });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Give at most one of --all, --staff and --recipients-from-setting.');
    const noSmtp = await runCliProcess(['--config', CLI_CONFIG, 'report-mailing'], { env: { ...env(), SMTP_URL: '' } });
    expect(noSmtp.code).toBe(1);
    expect(noSmtp.stderr).toContain('SMTP_URL is not set');
    const noConfig = await runCliProcess(['report-mailing', '--staff'], { env: env() });
    expect(noConfig.code).toBe(1);
    expect(noConfig.stderr).toMatch(/no userModel is set up.*--config/);
    expect(smtp.mails).toHaveLength(0);
  });
});
