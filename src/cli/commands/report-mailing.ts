import type { Writable } from 'node:stream';
import nodemailer from 'nodemailer';
import { TimelineLog } from '../../model/timeline-log.js';
import { sendTimelineDigest, type DigestResult } from '../../mail/send-timeline-digest.js';
import type { DigestRecipients } from '../../mail/digest-recipients.js';
import { dateTimeFormatFor, formatDate } from '../../render/date-format.js';
import { translate, type Locale } from '../../render/i18n.js';

/** The flags of `timeline-logger report-mailing`, as commander parses them. */
export interface ReportMailingCommandOptions {
  /** `--days N`: logs of the last N days; 0 or absent means every log. */
  days?: string;
  /** `--all`: every active user. */
  all?: boolean;
  /** `--staff`: active staff users. */
  staff?: boolean;
  /** `--recipients-from-setting`: the `mail.recipients` option. */
  recipientsFromSetting?: boolean;
}

/** Where the command writes, in which language, and which SMTP server it sends through. */
export interface ReportMailingCommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly locale: Locale;
  /** The SMTP server, e.g. `smtp://user:password@mail.example.com:587` (from `SMTP_URL`). */
  readonly smtpUrl: string | undefined;
}

type Translate = (msgid: string, params?: Readonly<Record<string, string | number>>) => string;

/**
 * `timeline-logger report-mailing [--days N] [--all | --staff | --recipients-from-setting]`:
 * sends the digest e-mail through `SMTP_URL` and prints a summary.
 *
 * @returns the exit code: 0 sent (or no logs to send), 1 no recipients, a refused message or
 *   no `SMTP_URL`, 2 usage error.
 * @example
 * ```ts
 * await runReportMailingCommand({ days: '7', staff: true }, { stdout, stderr, locale: 'en', smtpUrl: process.env.SMTP_URL });
 * ```
 */
export async function runReportMailingCommand(options: ReportMailingCommandOptions, io: ReportMailingCommandIo): Promise<number> {
  const t: Translate = (msgid, params) => translate(io.locale, msgid, params);
  const parsed = parseOptions(options, t);
  if (typeof parsed === 'string') {
    io.stderr.write(`${parsed}\n`);
    return 2;
  }
  if (io.smtpUrl === undefined || io.smtpUrl.trim() === '') {
    io.stderr.write(`${t('SMTP_URL is not set: set it to your mail server, e.g. SMTP_URL=smtp://user:password@mail.example.com:587')}\n`);
    return 1;
  }
  const transport = nodemailer.createTransport(io.smtpUrl);
  try {
    const result = await sendTimelineDigest({ transport, days: parsed.days, recipients: parsed.recipients, locale: io.locale });
    return report(result, parsed, io, t);
  } finally {
    transport.close();
  }
}

/** The digest's window and recipients, or the usage error to print. */
function parseOptions(options: ReportMailingCommandOptions, t: Translate): { days: number; recipients: DigestRecipients } | string {
  const chosen = [options.all, options.staff, options.recipientsFromSetting].filter((flag) => flag === true).length;
  if (chosen > 1) return t('Give at most one of --all, --staff and --recipients-from-setting.');
  const days = (options.days ?? '0').trim();
  if (!/^\d+$/.test(days)) return t('--days must be a whole number of days, 0 or more (got "{value}").', { value: options.days ?? '' });
  const recipients: DigestRecipients = options.all ? 'all' : options.staff ? 'staff' : options.recipientsFromSetting ? 'setting' : 'superusers';
  return { days: Number(days), recipients };
}

function report(result: DigestResult, parsed: { days: number; recipients: DigestRecipients }, io: ReportMailingCommandIo, t: Translate): number {
  if (result.status === 'no-recipients') {
    io.stderr.write(`${noRecipientsMessage(parsed.recipients, t)}\n`);
    return 1;
  }
  if (result.status === 'no-logs') {
    const message = parsed.days === 0 ? t('No timeline logs: no e-mail sent.') : t('No timeline logs in the last {days} days: no e-mail sent.', { days: parsed.days });
    io.stdout.write(`${message}\n`);
    return 0;
  }
  const { timeZone } = TimelineLog.runtime.options;
  const since = result.since === null ? '' : formatDate(result.since, dateTimeFormatFor(io.locale), { locale: io.locale, timeZone });
  io.stdout.write(
    `${t('Sent the digest of {count} timeline logs since {since} to {sent} of {recipients} recipients.', {
      count: result.logCount,
      since,
      sent: result.sent.length,
      recipients: result.recipients.length,
    })}\n`,
  );
  for (const { to } of result.sent) io.stdout.write(`${t('Sent to {address}', { address: to })}\n`);
  for (const { to, error } of result.failed) io.stderr.write(`${t('Could not send to {address}: {error}', { address: to, error: error.message })}\n`);
  return result.failed.length === 0 ? 0 : 1;
}

/** Why nobody got the digest, per recipient mode. */
function noRecipientsMessage(mode: DigestRecipients, t: Translate): string {
  switch (mode) {
    case 'superusers':
      return t('No recipients: no active staff superuser has an e-mail address. Choose others with --staff, --all or --recipients-from-setting.');
    case 'staff':
      return t('No recipients: no active staff user has an e-mail address.');
    case 'all':
      return t('No recipients: no active user has an e-mail address.');
    case 'setting':
      return t('No recipients: the mail.recipients option of the configuration is empty.');
  }
}
