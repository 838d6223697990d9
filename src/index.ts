/**
 * timeline-logger: a human-readable activity timeline for Sequelize + Express apps.
 *
 * @packageDocumentation
 */
export { setupTimeline } from './setup.js';
export { migrateTimeline, createMigrator, type MigratorOptions } from './db/migrator.js';
export {
  TimelineLog,
  type TimelineLogAttributes,
  type TimelineLogCreationAttributes,
  type LogOptions,
  type RequestLogOptions,
  type RequestWithUser,
  type MessageOptions,
} from './model/timeline-log.js';
export type { PruneOptions } from './model/prune.js';
export type { JsonObject, JsonValue } from './model/to-json-value.js';
export type { MessageContext } from './model/message-context.js';
export { type TimelineOptions, type ResolvedTimelineOptions, DEFAULT_TEMPLATE } from './options.js';
export { timelineRouter, type TimelineRouterOptions, type PerRequest } from './http/timeline-router.js';
export { MessageRenderer, type EscapeMode } from './render/message-renderer.js';
export { formatDate, type DateFormatOptions } from './render/date-format.js';
export type { Locale } from './render/i18n.js';
export { TimelineLoggerError, TemplateNotFoundError, ConfigurationError, ImportError } from './errors.js';
