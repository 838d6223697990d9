/**
 * The one definition of the timeline table's columns (SPEC §2): names in every form the code
 * uses (model attribute, table column, import/export column), kinds and length limits. The
 * model's attributes, the row builder, the tracking INSERT, export, import and the check that
 * the migration made this table all read it, so a new column is added here once.
 */
import { CORRELATION_ID_EXPECTED, CORRELATION_ID_PATTERN, MAX_CORRELATION_ID_LENGTH } from './correlation-id.js';

/** What a column holds; decides its Sequelize type, its widget in import/export and how it is sent to SQL. */
export type TimelineColumnKind = 'id' | 'text' | 'timestamp' | 'userKey' | 'json';

/** One column of the timeline table. */
export interface TimelineColumn {
  /** The model attribute (camelCase), e.g. `contentType`. */
  readonly attribute: string;
  /** The table column (snake_case), e.g. `content_type`. */
  readonly field: string;
  /** The column's name in exported and imported files, e.g. `user` for `user_id`. */
  readonly exportName: string;
  readonly kind: TimelineColumnKind;
  /** The column's `VARCHAR(n)` limit, when it has one. */
  readonly maxLength?: number;
  /** Whether the column is `NOT NULL`. */
  readonly required: boolean;
  /** The form every value must have (beyond its length), when it has one: checked on import. */
  readonly pattern?: TimelineColumnPattern;
}

/** A rule a text column's values follow, e.g. a correlation id's characters. */
export interface TimelineColumnPattern {
  readonly regex: RegExp;
  /** The rule in words: "must be <expected>". */
  readonly expected: string;
}

/** `template` is `VARCHAR(200)`. */
export const MAX_TEMPLATE_LENGTH = 200;
/** `event` is `VARCHAR(64)`. */
export const MAX_EVENT_LENGTH = 64;
/** `content_type` is `VARCHAR(255)`. */
export const MAX_CONTENT_TYPE_LENGTH = 255;

/**
 * The columns, in the order of exported files (SPEC §7): `id, content_type, object_id,
 * object_repr, timestamp, user, user_repr, template, event, extra_data`, then
 * `correlation_id` (SPEC §12; added by the second migration, so it is also the table's last).
 *
 * @example
 * ```ts
 * TIMELINE_COLUMNS.map((column) => column.field); // ['id', 'content_type', ..., 'extra_data', 'correlation_id']
 * ```
 */
export const TIMELINE_COLUMNS: readonly TimelineColumn[] = Object.freeze(
  [
    column('id', 'id', 'id', 'id', { required: true }),
    column('contentType', 'content_type', 'content_type', 'text', { maxLength: MAX_CONTENT_TYPE_LENGTH }),
    column('objectId', 'object_id', 'object_id', 'text'),
    column('objectRepr', 'object_repr', 'object_repr', 'text'),
    column('timestamp', 'timestamp', 'timestamp', 'timestamp', { required: true }),
    column('userId', 'user_id', 'user', 'userKey'),
    column('userRepr', 'user_repr', 'user_repr', 'text'),
    column('template', 'template', 'template', 'text', { maxLength: MAX_TEMPLATE_LENGTH, required: true }),
    column('event', 'event', 'event', 'text', { maxLength: MAX_EVENT_LENGTH }),
    column('extraData', 'extra_data', 'extra_data', 'json'),
    column('correlationId', 'correlation_id', 'correlation_id', 'text', {
      maxLength: MAX_CORRELATION_ID_LENGTH,
      pattern: { regex: CORRELATION_ID_PATTERN, expected: CORRELATION_ID_EXPECTED },
    }),
  ].map((definition) => Object.freeze(definition)),
);

/**
 * The column of a model attribute.
 *
 * @throws TypeError for a name that is not a column.
 * @example
 * ```ts
 * timelineColumn('userId').field; // 'user_id'
 * ```
 */
export function timelineColumn(attribute: string): TimelineColumn {
  const found = TIMELINE_COLUMNS.find((candidate) => candidate.attribute === attribute);
  if (found === undefined) throw new TypeError(`${attribute} is not a column of the timeline table`);
  return found;
}

function column(
  attribute: string,
  field: string,
  exportName: string,
  kind: TimelineColumnKind,
  extra: { maxLength?: number; required?: boolean; pattern?: TimelineColumnPattern } = {},
): TimelineColumn {
  return {
    attribute,
    field,
    exportName,
    kind,
    required: extra.required ?? false,
    ...(extra.maxLength === undefined ? {} : { maxLength: extra.maxLength }),
    ...(extra.pattern === undefined ? {} : { pattern: Object.freeze(extra.pattern) }),
  };
}
