import { fn, col, type WhereOptions } from 'sequelize';
import { ConfigurationError, describeValue } from '../errors.js';
import { isoFromDate } from '../model/canonical-timestamp.js';
import type { TimelineLogAttributes } from '../model/timeline-attributes.js';
import { criteriaWhere } from '../model/timeline-filter.js';
import { loadRelatedRows } from '../model/related-rows.js';
import { TimelineLog } from '../model/timeline-log.js';
import { dateTimeFormatFor, formatDate } from '../render/date-format.js';
import { assertTimeZone } from '../render/time-zone.js';
import { parseLocale, type Locale } from '../render/locale.js';
import { translate } from '../render/translate.js';
import { renderLogMessages } from '../render/render-messages.js';
import { changeSetView, type ChangeSetView } from '../render/change-set-view.js';
import { DEFAULT_DIGEST_SUBJECT } from '../mail-options.js';
import { DIGEST_MAX_PROBLEMS, digestSealView, digestSubject, runDigestSealCheck, type DigestSealCheck } from './digest-seal-check.js';

/** Options of {@link buildTimelineDigest}: which logs, in which language. */
export interface TimelineDigestOptions {
  /** Logs of the last `days` days (`timestamp >= now - days`); `0` means every log. Defaults to `0`. */
  days?: number;
  /** Language of the e-mail and its messages. Defaults to the setup's `locale`. */
  locale?: string;
  /** IANA time zone of the dates shown. Defaults to the setup's `timeZone`. */
  timeZone?: string;
  /** At most this many entries (the newest) are listed; the e-mail says how many were left out. Defaults to `1000`. */
  maxEntries?: number;
  /**
   * Runs `TimelineLog.verify()` (on the primary) and shows the result at the top of both parts;
   * a timeline that is not intact, or a check that could not run, also marks the subject, and a
   * digest then goes out even when the window holds no logs. Defaults to the setup's `mail.verify`.
   */
  verify?: boolean;
}

/** One entry of the digest: a log with its message rendered for each part of the e-mail. */
export interface DigestEntry {
  readonly log: TimelineLog;
  /** The message HTML-escaped, for the HTML part. */
  readonly html: string;
  /** The message as plain text, for the text part. */
  readonly text: string;
  /** An `updated` log's changes (old → new), a `created` log's initial values; null when its `extraData` holds none. */
  readonly changes: ChangeSetView | null;
}

/** A rendered digest, ready to send. */
export interface TimelineDigest {
  /** The start of the window: `now - days`, or the oldest log's timestamp when `days` is 0. */
  readonly since: Date;
  /** The logs in the window (may exceed `entries.length` when `maxEntries` cut the list). */
  readonly total: number;
  /** The newest logs of the window, newest first. */
  readonly entries: readonly DigestEntry[];
  /** What the seal check found (see `verify`); null when it did not run. */
  readonly sealCheck: DigestSealCheck | null;
  /** The subject: the `mail.subject` option (the default one translated), marked when the seal check did not find the timeline intact. */
  readonly subject: string;
  /** The HTML part (`timeline_logger/email/digest.html.ejs`). */
  readonly html: string;
  /** The plain-text part (`timeline_logger/email/digest.txt.ejs`). */
  readonly text: string;
}

/** The template of the digest's HTML part; override it through `templateDirs`. */
export const DIGEST_HTML_TEMPLATE = 'timeline_logger/email/digest.html.ejs';
/** The template of the digest's plain-text part; override it through `templateDirs`. */
export const DIGEST_TEXT_TEMPLATE = 'timeline_logger/email/digest.txt.ejs';

const MS_PER_DAY = 86_400_000;

/**
 * Collects and renders the digest of the last `days` days: subject, HTML and text parts, each
 * entry with its changes (an update's old → new values, a create's initial values), and with
 * `verify` the seal check. Returns `null` when the window holds no logs (there is nothing to
 * send) and no seal check has something to report.
 *
 * @throws TypeError when `days` or `maxEntries` is not a valid count, or `verify` not a boolean.
 * @throws ConfigurationError when `setupTimeline` has not run or the locale/time zone is unknown.
 * @example
 * ```ts
 * const digest = await buildTimelineDigest({ days: 7, locale: 'nl' });
 * if (digest) console.log(digest.text);
 * ```
 */
export async function buildTimelineDigest(options: TimelineDigestOptions = {}): Promise<TimelineDigest | null> {
  const runtime = TimelineLog.runtime;
  const { options: resolved, renderer, model } = runtime;
  const days = count('days', options.days ?? 0, 0);
  const maxEntries = count('maxEntries', options.maxEntries ?? 1000, 1);
  const locale = digestLocale(options.locale, resolved.locale);
  const timeZone = options.timeZone === undefined ? resolved.timeZone : assertTimeZone(options.timeZone);
  const verify = options.verify ?? resolved.mail.verify;
  if (typeof verify !== 'boolean') throw new TypeError(`verify must be true or false (got ${describeValue(verify)})`);
  const start = days === 0 ? null : new Date(resolved.now().getTime() - days * MS_PER_DAY);
  const where = criteriaWhere(start === null ? {} : { since: { at: isoFromDate(start), inclusive: true } });

  const { total, oldest } = await windowStats(model, where);
  if (total === 0 && !verify) return null;
  const sealCheck = verify ? await runDigestSealCheck(() => model.verify({ maxProblems: DIGEST_MAX_PROBLEMS })) : null;
  // An empty window still sends the warning: emptying the table must not silence the check.
  if (total === 0 && sealCheck?.status === 'intact') return null;
  const logs = await model.findAll({
    where,
    order: [
      ['timestamp', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: maxEntries,
  });
  await loadRelatedRows(logs, runtime.sequelize, resolved);
  const html = renderLogMessages(runtime, logs, { escape: 'html', locale, timeZone });
  const text = renderLogMessages(runtime, logs, { escape: 'text', locale, timeZone });
  const entries = logs.map((log, index) => ({
    log,
    html: (html[index]?.message ?? '').trim(),
    text: (text[index]?.message ?? '').trim(),
    changes: changeSetView(log.event, log.extraData, locale),
  }));

  const since = start ?? oldest ?? resolved.now();
  const t = (msgid: string, params?: Readonly<Record<string, string | number>>): string => translate(locale, msgid, params);
  const subject = digestSubject(
    resolved.mail.subject === DEFAULT_DIGEST_SUBJECT ? t(DEFAULT_DIGEST_SUBJECT) : resolved.mail.subject,
    sealCheck,
    t,
  );
  const data = {
    locale,
    t,
    formatDate: (date: Date, format = dateTimeFormatFor(locale)) => formatDate(date, format, { locale, timeZone }),
    subject,
    since,
    total,
    entries,
    omitted: total - entries.length,
    sealCheck: sealCheck === null ? null : digestSealView(sealCheck, t),
  };
  return {
    since,
    total,
    entries,
    sealCheck,
    subject,
    html: renderer.render(DIGEST_HTML_TEMPLATE, data, 'html'),
    text: renderer.render(DIGEST_TEXT_TEMPLATE, data, 'text'),
  };
}

/** The number of logs in the window and the oldest one's timestamp, in one query. */
async function windowStats(
  model: typeof TimelineLog,
  where: WhereOptions<TimelineLogAttributes>,
): Promise<{ total: number; oldest: Date | null }> {
  const row = (await model.findOne({
    attributes: [
      [fn('COUNT', col('id')), 'total'],
      [fn('MIN', col('timestamp')), 'oldest'],
    ],
    where,
    raw: true,
  })) as unknown as { total: string | number; oldest: Date | string | null } | null;
  if (row === null || row.oldest === null) return { total: 0, oldest: null };
  return { total: Number(row.total), oldest: new Date(row.oldest) };
}

function digestLocale(value: string | undefined, fallback: Locale): Locale {
  if (value === undefined) return fallback;
  const locale = parseLocale(value);
  if (locale === null) throw ConfigurationError.invalidOption('locale', 'one of "en", "nl"', value);
  return locale;
}

function count(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer of at least ${min} (got ${describeValue(value)})`);
  }
  return value;
}
