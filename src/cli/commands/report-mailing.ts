import type { Writable } from 'node:stream';
import type { DigestRecipients } from '../../mail/digest-recipients.js';
import { digestSealView } from '../../mail/digest-seal-check.js';
import { sendTimelineDigest, type DigestResult, type DigestTransport } from '../../mail/send-timeline-digest.js';
import { dateTimeFormatFor, formatDate } from '../../render/date-format.js';
import type { Locale } from '../../render/locale.js';
import { EXIT, type CliCommand, type ExitCode } from '../cli-command.js';
import { UsageError } from '../usage-error.js';
import type { CliContext } from '../cli-context.js';

/** Translates a msgid into the run's locale. */
type Translate = CliContext['t'];

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
  /** `--verify`: put the seal check in the digest (as the `mail.verify` option does). */
  verify?: boolean;
}

/** A validated report-mailing command line. */
export interface ReportMailingRequest {
  /** The window in days; 0 for every log. */
  readonly days: number;
  readonly recipients: DigestRecipients;
  /** `--verify` was given: run the seal check even when `mail.verify` is off. */
  readonly verify: boolean;
}

/** Where the command writes, and in which language and time zone it reports. */
export interface ReportMailingIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly locale: Locale;
  /** The time zone of the summary's date. */
  readonly timeZone: string;
}

/**
 * `timeline-logger report-mailing [--days N] [--all | --staff | --recipients-from-setting] [--verify]`:
 * sends the digest e-mail through `SMTP_URL` and prints a summary (with `--verify`, the seal
 * check's line too). Exit 0 sent (or no logs to send), 1 no recipients, a refused message or no
 * `SMTP_URL`, 2 usage error; the exit code reports the delivery, `timeline-logger verify` the seals.
 *
 * @example
 * ```sh
 * SMTP_URL=smtp://mail.example.com:587 timeline-logger --config timeline.config.js report-mailing --days 7 --staff --verify
 * ```
 */
export const reportMailingCommand: CliCommand = {
  name: 'report-mailing',
  configure(command) {
    command
      .description('E-mail a digest of the timeline through SMTP_URL (default recipients: active staff superusers).')
      .option('--days <days>', 'only the logs of the last N days (0: every log)')
      .option('--all', 'send to every active user')
      .option('--staff', 'send to active staff users')
      .option('--recipients-from-setting', 'send to the mail.recipients option of the configuration')
      .option('--verify', 'check the seals (TimelineLog.verify()) and put the result in the digest');
  },
  async run(context, input) {
    const request = parseReportMailingRequest(input.options, context.t);
    const smtpUrl = context.io.env.SMTP_URL?.trim();
    if (!smtpUrl) {
      context.log(context.t('SMTP_URL is not set: set it to your mail server, e.g. SMTP_URL=smtp://user:password@mail.example.com:587'));
      return EXIT.failure;
    }
    const session = await context.openSession();
    // Loaded here, not at the top: only this command sends mail.
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport(smtpUrl);
    try {
      const io = { ...context.io, locale: context.locale, timeZone: session.TimelineLog.runtime.options.timeZone };
      return await runReportMailing(request, transport, io, context.t);
    } finally {
      transport.close();
      await session.close();
    }
  },
};

/**
 * Validates the flags: at most one recipient flag, `--days` a whole number (0 or more).
 *
 * @throws UsageError (exit 2) otherwise, with a translated message.
 * @example
 * ```ts
 * parseReportMailingRequest({ days: '7', staff: true }, t); // { days: 7, recipients: 'staff', verify: false }
 * ```
 */
export function parseReportMailingRequest(options: ReportMailingCommandOptions, t: Translate): ReportMailingRequest {
  const chosen = [options.all, options.staff, options.recipientsFromSetting].filter((flag) => flag === true).length;
  if (chosen > 1) throw new UsageError(t('Give at most one of --all, --staff and --recipients-from-setting.'));
  const days = (options.days ?? '0').trim();
  if (!/^\d+$/.test(days)) {
    throw new UsageError(t('--days must be a whole number of days, 0 or more (got "{value}").', { value: options.days ?? '' }));
  }
  const recipients: DigestRecipients = options.all
    ? 'all'
    : options.staff
      ? 'staff'
      : options.recipientsFromSetting
        ? 'setting'
        : 'superusers';
  return { days: Number(days), recipients, verify: options.verify === true };
}

/**
 * Sends the digest for a validated command line and prints the summary.
 *
 * @returns 0 when sent or when there were no logs, 1 for no recipients or a refused message.
 * @example
 * ```ts
 * await runReportMailing({ days: 7, recipients: 'staff', verify: true }, transport, { stdout, stderr, locale: 'en', timeZone: 'UTC' }, t);
 * ```
 */
export async function runReportMailing(
  request: ReportMailingRequest,
  transport: DigestTransport,
  io: ReportMailingIo,
  t: Translate,
): Promise<ExitCode> {
  const result = await sendTimelineDigest({
    transport,
    days: request.days,
    recipients: request.recipients,
    locale: io.locale,
    ...(request.verify ? { verify: true } : {}),
  });
  if (result.status === 'no-recipients') {
    io.stderr.write(`${noRecipientsMessage(request.recipients, t)}\n`);
    return EXIT.failure;
  }
  if (result.status === 'no-logs') {
    const message =
      request.days === 0
        ? t('No timeline logs: no e-mail sent.')
        : t('No timeline logs in the last {days} days: no e-mail sent.', { days: request.days });
    io.stdout.write(`${message}\n`);
    return EXIT.success;
  }
  return reportSent(result, io, t);
}

function reportSent(result: DigestResult, io: ReportMailingIo, t: Translate): ExitCode {
  const since = result.since === null ? '' : formatDate(result.since, dateTimeFormatFor(io.locale), io);
  io.stdout.write(
    `${t('Sent the digest of {count} timeline logs since {since} to {sent} of {recipients} recipients.', {
      count: result.logCount,
      since,
      sent: result.sent.length,
      recipients: result.recipients.length,
    })}\n`,
  );
  for (const { to } of result.sent) io.stdout.write(`${t('Sent to {address}', { address: to })}\n`);
  if (result.sealCheck !== null) {
    const { status, headline } = digestSealView(result.sealCheck, t);
    (status === 'intact' ? io.stdout : io.stderr).write(`${headline}\n`);
  }
  for (const { to, error } of result.failed)
    io.stderr.write(`${t('Could not send to {address}: {error}', { address: to, error: error.message })}\n`);
  return result.failed.length === 0 ? EXIT.success : EXIT.failure;
}

/** Why nobody got the digest, per recipient mode. */
function noRecipientsMessage(mode: DigestRecipients, t: Translate): string {
  switch (mode) {
    case 'superusers':
      return t(
        'No recipients: no active staff superuser has an e-mail address. Choose others with --staff, --all or --recipients-from-setting.',
      );
    case 'staff':
      return t('No recipients: no active staff user has an e-mail address.');
    case 'all':
      return t('No recipients: no active user has an e-mail address.');
    case 'setting':
      return t('No recipients: the mail.recipients option of the configuration is empty.');
  }
}
