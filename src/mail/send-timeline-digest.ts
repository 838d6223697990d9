import type { SendMailOptions } from 'nodemailer';
import { TimelineLog } from '../model/timeline-log.js';
import type { DigestSealCheck } from './digest-seal-check.js';
import { findDigestRecipients, type DigestRecipients } from './digest-recipients.js';
import { buildTimelineDigest, type TimelineDigestOptions } from './timeline-digest.js';

/**
 * What the digest is sent through: anything with nodemailer's `sendMail`, such as
 * `nodemailer.createTransport(process.env.SMTP_URL)`.
 *
 * @example
 * ```ts
 * const transport: DigestTransport = nodemailer.createTransport('smtp://mail.example.com:587');
 * ```
 */
export interface DigestTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
}

/** Options of {@link sendTimelineDigest}. */
export interface SendTimelineDigestOptions extends TimelineDigestOptions {
  /** Sends the messages; required. The caller owns it (and closes it). */
  transport: DigestTransport;
  /** Who receives the digest; see {@link DigestRecipients}. Defaults to `'superusers'` (staff superusers). */
  recipients?: DigestRecipients;
}

/** One message the transport accepted. */
export interface SentDigest {
  /** The recipient's address. */
  readonly to: string;
  /** The `Message-ID` the transport reported, when it reported one. */
  readonly messageId: string | null;
}

/** One message the transport refused. */
export interface FailedDigest {
  /** The recipient's address. */
  readonly to: string;
  /** Why it failed. */
  readonly error: Error;
}

/**
 * The outcome of {@link sendTimelineDigest}:
 * - `'sent'`: one message per recipient was handed to the transport (see `sent` and `failed`);
 * - `'no-recipients'`: nobody to send to (nothing was sent);
 * - `'no-logs'`: the window holds no logs and no seal check has something to report (nothing was sent).
 */
export interface DigestResult {
  readonly status: 'sent' | 'no-recipients' | 'no-logs';
  /** The recipients' addresses, whether or not anything was sent. */
  readonly recipients: readonly string[];
  /** The start of the window; null when there were no logs or no recipients to look for. */
  readonly since: Date | null;
  /** The logs in the window (0 when there were no recipients to look for). */
  readonly logCount: number;
  /** Messages accepted by the transport, one per recipient. */
  readonly sent: readonly SentDigest[];
  /** Messages the transport refused; the others were still sent. */
  readonly failed: readonly FailedDigest[];
  /** What the seal check put in the digest (see `verify`); null when it did not run or nothing was sent. */
  readonly sealCheck: DigestSealCheck | null;
}

/**
 * Sends the digest of the last `days` days: one message per recipient (so recipients never see
 * each other's addresses), with an HTML part and a plain-text part. Sends nothing and says why
 * when there is nobody to send to or nothing to report. A refused message does not stop the
 * others; it is listed in `failed`. With `verify`, the seal check's result is in the e-mail and in
 * `sealCheck`; a check that fails is reported there and never stops the digest.
 *
 * @throws ConfigurationError when the recipients need a user model that is missing or lacks
 *   a configured field, or when the locale or time zone is unknown.
 * @example
 * ```ts
 * const transport = nodemailer.createTransport(process.env.SMTP_URL);
 * const result = await sendTimelineDigest({ transport, days: 7, recipients: 'staff' });
 * console.log(result.status, result.sent.length);
 * transport.close();
 * ```
 */
export async function sendTimelineDigest(options: SendTimelineDigestOptions): Promise<DigestResult> {
  if (typeof options?.transport?.sendMail !== 'function') {
    throw new TypeError('argument transport must have a sendMail function, e.g. nodemailer.createTransport(process.env.SMTP_URL)');
  }
  const { options: resolved } = TimelineLog.runtime;
  const recipients = await findDigestRecipients(options.recipients ?? 'superusers', resolved.userModel, resolved.mail);
  const nothing = { sent: [], failed: [], sealCheck: null };
  if (recipients.length === 0) return { status: 'no-recipients', recipients, since: null, logCount: 0, ...nothing };
  const digest = await buildTimelineDigest(options);
  if (digest === null) return { status: 'no-logs', recipients, since: null, logCount: 0, ...nothing };

  const sent: SentDigest[] = [];
  const failed: FailedDigest[] = [];
  for (const to of recipients) {
    try {
      const info = await options.transport.sendMail({
        from: resolved.mail.from,
        to,
        subject: digest.subject,
        text: digest.text,
        html: digest.html,
      });
      sent.push({ to, messageId: messageIdOf(info) });
    } catch (error) {
      failed.push({ to, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return { status: 'sent', recipients, since: digest.since, logCount: digest.total, sent, failed, sealCheck: digest.sealCheck };
}

function messageIdOf(info: unknown): string | null {
  const id = (info as { messageId?: unknown } | null)?.messageId;
  return typeof id === 'string' ? id : null;
}
