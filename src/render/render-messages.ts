import type { Sequelize } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { ResolvedTimelineOptions } from '../options.js';
import { assertTimeZone } from './date-format.js';
import { parseLocale } from './i18n.js';
import { logLabels, type LabelSource, type LogLabels } from './log-labels.js';
import { messageContext, type MessageSettings, type MessageSource } from './message-context.js';
import type { EscapeMode, MessageRenderer } from './message-renderer.js';

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
  readonly template: string;
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

/**
 * Renders logs whose related rows are loaded, in the input order, each with its labels (so a
 * page shows the same labels its messages use, computed once).
 *
 * @throws ConfigurationError for an unknown `locale`, RangeError for an unknown `timeZone`.
 * @throws TemplateNotFoundError when a template does not exist.
 * @example
 * ```ts
 * const [{ message, labels }] = renderLogMessages(runtime, [log], { escape: 'html' });
 * ```
 */
export function renderLogMessages(rendering: MessageRendering, logs: readonly RenderableLog[], options: MessageOptions = {}): RenderedMessage[] {
  const settings = messageSettings(options, rendering.options);
  const escape = options.escape ?? 'text';
  return logs.map((log) => {
    const labels = logLabels(log, rendering.options);
    const context = messageContext(log, labels, rendering.sequelize, settings, options.context);
    return { message: rendering.renderer.render(options.template ?? log.template, context, escape), labels };
  });
}

function messageSettings(options: MessageOptions, resolved: ResolvedTimelineOptions): MessageSettings {
  const locale = options.locale === undefined ? resolved.locale : parseLocale(options.locale);
  if (locale === null) throw ConfigurationError.invalidOption('locale', 'one of "en", "nl"', options.locale);
  return { locale, timeZone: options.timeZone === undefined ? resolved.timeZone : assertTimeZone(options.timeZone) };
}
