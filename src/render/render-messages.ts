import ejs from 'ejs';
import type { Sequelize } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import { DEFAULT_TEMPLATE, type ResolvedTimelineOptions } from '../options.js';
import { assertTimeZone } from './time-zone.js';
import { parseLocale } from './locale.js';
import { logLabels, type LabelSource, type LogLabels } from './log-labels.js';
import { messageContext, type MessageSettings, type MessageSource } from './message-context.js';
import { sentenceFromPieces, SentenceTokens, type MessageSentence } from './message-sentence.js';
import { standInPieces } from './sentence-shapes.js';
import type { EscapeMode, MessageRenderer } from './message-renderer.js';

/** The events whose package template is their fallback (`timeline_logger/<event>.ejs`). */
const TRACKED_EVENTS: ReadonlySet<string> = new Set(['created', 'updated', 'deleted', 'restored']);

/** Options of `TimelineLog.getMessage` and `TimelineLog.renderMessages`. */
export interface MessageOptions {
  /** Render with this template instead of the log's own. */
  template?: string;
  /** `text` (default) leaves interpolated values as they are; `html` HTML-escapes them. */
  escape?: EscapeMode;
  /** Message language. Defaults to the setup's `locale`. */
  locale?: string;
  /** IANA time zone of the timestamp. Defaults to the setup's `timeZone`. */
  timeZone?: string;
  /** Extra template variables. */
  context?: Readonly<Record<string, unknown>>;
}

/** A log as messages render it: its own template, with its related rows already loaded. */
export interface RenderableLog extends MessageSource, LabelSource {
  readonly id?: string;
  readonly template: string;
  readonly event: string | null;
}

/** What rendering needs of the setup. */
export interface MessageRendering {
  readonly sequelize: Sequelize;
  readonly options: ResolvedTimelineOptions;
  readonly renderer: MessageRenderer;
}

/** One rendered log: its message and the labels the message used. */
export interface RenderedMessage {
  readonly message: string;
  readonly labels: LogLabels;
}

/** One log rendered for a page: its HTML-escaped message, its labels and the sentence a page shows. */
export interface RenderedEntryMessage extends RenderedMessage {
  /** The message without its leading timestamp, user and object marked; null when it cannot be cut so. */
  readonly sentence: MessageSentence | null;
}

/**
 * Renders logs whose related rows are loaded, in the input order, each with its labels (so a
 * page shows the same labels its messages use, computed once).
 *
 * One log never fails the list: when its own template is missing or throws, it is rendered with
 * the default template of its event (`timeline_logger/<event>.ejs` for the tracked events, else
 * the setup's `defaultTemplate`, else the package's `default.ejs`), and the failure goes to the
 * setup's `onRenderError`. A template the caller names in `options.template` is not replaced.
 *
 * @throws ConfigurationError for an unknown `locale`, RangeError for an unknown `timeZone`.
 * @throws TemplateNotFoundError when `options.template` does not exist.
 * @example
 * ```ts
 * const [{ message, labels }] = renderLogMessages(runtime, [log], { escape: 'html' });
 * ```
 */
export function renderLogMessages(
  rendering: MessageRendering,
  logs: readonly RenderableLog[],
  options: MessageOptions = {},
): RenderedMessage[] {
  const settings = messageSettings(options, rendering.options);
  const escape = options.escape ?? 'text';
  return logs.map((log) => {
    const labels = logLabels(log, rendering.options);
    const context = messageContext(log, labels, rendering.sequelize, settings, options.context);
    const message =
      options.template === undefined
        ? renderWithFallback(rendering, log, context, escape).message
        : rendering.renderer.render(options.template, context, escape);
    return { message, labels };
  });
}

/**
 * Renders logs as {@link renderLogMessages} does with `escape: 'html'`, and cuts each message
 * into the sentence a page shows beside the log's time, user link and object link: the
 * template that rendered a message renders it once more with stand-ins for the timestamp,
 * user and object (see `messageSentence`), or reuses that render where it is the same for
 * every log (see `standInPieces`). The messages themselves are unchanged.
 *
 * @throws ConfigurationError for an unknown `locale`, RangeError for an unknown `timeZone`.
 * @example
 * ```ts
 * const [{ message, sentence }] = renderLogSentences(runtime, [log], { locale: 'nl' });
 * sentence?.parts.map((part) => part.kind); // ['user', 'text', 'object', 'text']: 'ann', ' heeft ', 'Hello', ' aangemaakt'
 * ```
 */
export function renderLogSentences(
  rendering: MessageRendering,
  logs: readonly RenderableLog[],
  options: Omit<MessageOptions, 'escape' | 'template'> = {},
): RenderedEntryMessage[] {
  const settings = messageSettings(options, rendering.options);
  const tokens = new SentenceTokens();
  return logs.map((log) => {
    const labels = logLabels(log, rendering.options);
    const context = messageContext(log, labels, rendering.sequelize, settings, options.context);
    const { message, template } = renderWithFallback(rendering, log, context, 'html');
    const values = { timestamp: String(context.timestamp), user: String(context.user), object: String(context.object) };
    // The template rendered this log's message; failing on the stand-ins (null) only means the entry shows that message whole.
    const pieces =
      template === null
        ? tokens.split(plainLine({ timestamp: tokens.timestamp, user: tokens.user, object: tokens.object }, 'html'))
        : standInPieces(rendering.renderer, template, context, tokens, options.context);
    const sentence: MessageSentence | null = pieces === null ? null : sentenceFromPieces(message, pieces, values);
    return { message, labels, sentence };
  });
}

/** The log's own template, else the fallbacks in order, reporting the first failure once; with the template that rendered (null for the plain line). */
function renderWithFallback(
  rendering: MessageRendering,
  log: RenderableLog,
  context: Record<string, unknown>,
  escape: EscapeMode,
): { message: string; template: string | null } {
  // Nearly every log renders with its own template: the fallback chain is only made when that fails.
  try {
    return { message: rendering.renderer.render(log.template, context, escape), template: log.template };
  } catch (error) {
    return renderFallback(rendering, log, context, escape, error);
  }
}

/** The fallbacks after the log's own template failed with `ownFailure`, in order, reporting that failure once. */
function renderFallback(
  rendering: MessageRendering,
  log: RenderableLog,
  context: Record<string, unknown>,
  escape: EscapeMode,
  ownFailure: unknown,
): { message: string; template: string | null } {
  let failure = ownFailure;
  for (const template of templateChain(log, rendering.options.defaultTemplate).slice(1)) {
    try {
      const message = rendering.renderer.render(template, context, escape);
      if (failure !== undefined) report(rendering, log, failure, template);
      return { message, template };
    } catch (error) {
      failure ??= error;
    }
  }
  // Only when an app overrides every fallback with a broken template: default.ejs's line, never a failure.
  report(rendering, log, failure, null);
  return { message: plainLine(context, escape), template: null };
}

/** default.ejs's line (English), written without a template. */
function plainLine(context: Record<string, unknown>, escape: EscapeMode): string {
  const text = (value: unknown): string => (escape === 'html' ? ejs.escapeXML(String(value)) : String(value));
  return `${text(context.timestamp)} - ${text(context.user)} event on ${text(context.object)}\n`;
}

function templateChain(log: RenderableLog, defaultTemplate: string): string[] {
  const chain = [log.template];
  if (log.event !== null && TRACKED_EVENTS.has(log.event)) chain.push(`timeline_logger/${log.event}.ejs`);
  chain.push(defaultTemplate, DEFAULT_TEMPLATE);
  return [...new Set(chain)];
}

function report(rendering: MessageRendering, log: RenderableLog, error: unknown, fallback: string | null): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  rendering.options.onRenderError(failure, { logId: log.id === undefined ? null : String(log.id), template: log.template, fallback });
}

function messageSettings(options: MessageOptions, resolved: ResolvedTimelineOptions): MessageSettings {
  const locale = options.locale === undefined ? resolved.locale : parseLocale(options.locale);
  if (locale === null) throw ConfigurationError.invalidOption('locale', 'one of "en", "nl"', options.locale);
  return { locale, timeZone: options.timeZone === undefined ? resolved.timeZone : assertTimeZone(options.timeZone) };
}
