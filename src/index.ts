/**
 * timeline-logger: a human-readable activity timeline for Sequelize + Express apps.
 *
 * @packageDocumentation
 */
import './http/express-request-user.js';
export { setupTimeline } from './setup.js';
export { createMigrator, type MigratorOptions } from './db/migrator.js';
export { migrateTimeline } from './model/migrate-timeline.js';
export { TimelineLog } from './model/timeline-log.js';
export type { LogOptions, RequestLogOptions, RequestWithUser } from './model/log-options.js';
export type { TimelineLogAttributes, TimelineLogCreationAttributes } from './model/timeline-attributes.js';
export type { PruneOptions } from './model/prune.js';
export type { ArchiveFile } from './archive/archive-file.js';
export { isJsonObject, type JsonObject, type JsonValue } from './model/to-json-value.js';
export type { MessageContext } from './render/message-context.js';
export type { MessageOptions } from './render/render-messages.js';
export { type TimelineOptions, type ResolvedTimelineOptions, type RenderErrorContext, DEFAULT_TEMPLATE } from './options.js';
export type { EventLabels } from './render/event-label.js';
export { timelineRouter, type TimelineRouterOptions, type PerRequest } from './http/timeline-router.js';
export type { TimelineJson, TimelineJsonItem } from './http/timeline-json.js';
export { timelineContext } from './http/timeline-context.js';
export { withTimeline } from './tracking/with-timeline.js';
export {
  DEFAULT_MASKED_FIELDS,
  type WithTimelineOptions,
  type TimelineEvent,
  type TimelineCallOptions,
  type TimelineTracked,
} from './tracking/tracking-options.js';
export { runWithTimelineUser, runWithTimelineContext, currentCorrelationId, type TimelineContextValues } from './tracking/actor-context.js';
export { isCorrelationId } from './model/correlation-id.js';
export { MASKED_VALUE } from './tracking/change-set.js';
export { MessageRenderer, type EscapeMode } from './render/message-renderer.js';
export { formatDate, type DateFormatOptions } from './render/date-format.js';
export type { Locale } from './render/locale.js';
export {
  sendTimelineDigest,
  type SendTimelineDigestOptions,
  type DigestTransport,
  type DigestResult,
  type SentDigest,
  type FailedDigest,
} from './mail/send-timeline-digest.js';
export {
  buildTimelineDigest,
  type TimelineDigestOptions,
  type TimelineDigest,
  type DigestEntry,
  DIGEST_HTML_TEMPLATE,
  DIGEST_TEXT_TEMPLATE,
} from './mail/timeline-digest.js';
export { findDigestRecipients, DIGEST_RECIPIENTS, type DigestRecipients } from './mail/digest-recipients.js';
export { type DigestSealCheck, type DigestSealView, DIGEST_MAX_PROBLEMS } from './mail/digest-seal-check.js';
export { type PartitioningOptions, type PartitionInterval, type ResolvedPartitioning } from './partitioning-options.js';
export { type MaintainPartitionsResult } from './model/maintain-partitions.js';
export { type ConversionResult, type ConversionStep, type ConvertToPartitionedOptions } from './model/convert-to-partitioned.js';
export { type ConversionPlan, type ConversionLock } from './model/conversion-plan.js';
export { listPartitions, type PartitionInfo, type ListPartitionsOptions } from './model/list-partitions.js';
export { type MailOptions, type ResolvedMailOptions, DEFAULT_DIGEST_SUBJECT, DEFAULT_DIGEST_FROM } from './mail-options.js';
export { TimelineLogResource, type TimelineLogResourceOptions } from './transfer/timeline-log-resource.js';
export { TIMELINE_LOG_COLUMNS, type TimelineLogColumn } from './transfer/timeline-log-columns.js';
export type { ExportOptions, ExportSummary } from './transfer/timeline-log-exporter.js';
export type { ImportOptions } from './transfer/timeline-log-importer.js';
export type { ImportSource } from './transfer/import-source.js';
export {
  DjangoTimelineLogResource,
  parseContentTypeMap,
  type DjangoTimelineLogResourceOptions,
} from './transfer/django-timeline-log-resource.js';
export { Resource, type ResourceField, type ResourceOptions, type FieldMessage } from './transfer/resource.js';
export { FieldValueError, type Widget, type ColumnKind, type RenderTarget } from './transfer/widgets.js';
export type { ExportFilter } from './transfer/export-filter.js';
export type { ImportResult, ImportRowResult, ImportTotals, RowStatus } from './transfer/import-result.js';
export type { FormatName } from './transfer/formats/format-adapter.js';
export { type SealOptions, type SealResult, SEAL_WAIT_MS, SEAL_BATCH_SIZE } from './seal/seal-timeline.js';
export { type VerifyOptions, MAX_PROBLEMS } from './seal/verify-timeline.js';
export type { VerifyResult, VerifyProblem, SealProblem, LogProblemKind, SealProblemKind } from './seal/verify-result.js';
export type { SealBlocker } from './seal/settled-through.js';
export { MIN_SEAL_KEY_BYTES } from './seal/seal-key.js';
export { TimelineLoggerError, TemplateNotFoundError, ConfigurationError, ImportError, ArchiveError } from './errors.js';
