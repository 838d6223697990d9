import { DataTypes, type ModelAttributeColumnOptions, type Optional } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { AnyModelStatic } from '../options.js';
import { TIMELINE_COLUMNS, type TimelineColumn } from './timeline-columns.js';
import type { JsonValue } from './to-json-value.js';

/** The columns of a timeline log, in their camelCase model form. */
export interface TimelineLogAttributes {
  /** BIGSERIAL primary key, as a string (PostgreSQL `bigint`). */
  id: string;
  /** The logged model's name (`Model.name`), or null for a log about nothing in particular. */
  contentType: string | null;
  /** `String(pk)` of the logged row. */
  objectId: string | null;
  /** The object's label when the log was written; shown once the row is gone. */
  objectRepr: string | null;
  /** When it happened. */
  timestamp: Date;
  /** The acting user's key, or null. */
  userId: string | number | null;
  /** The user's label when the log was written; shown once the user is gone. */
  userRepr: string | null;
  /** The message template, relative to a template folder. */
  template: string;
  /** The context: any JSON value (usually an object), or null when none or an empty object. */
  extraData: JsonValue | null;
  /** `created`, `updated`, `deleted`, or an app's own verb. */
  event: string | null;
  /** Groups the logs of one request or job (SPEC §12): 1-64 characters of `A-Za-z0-9._:-`, or null. */
  correlationId: string | null;
}

/** Attributes that may be left out when creating a log. */
export type TimelineLogCreationAttributes = Optional<
  TimelineLogAttributes,
  | 'id'
  | 'contentType'
  | 'objectId'
  | 'objectRepr'
  | 'timestamp'
  | 'userId'
  | 'userRepr'
  | 'template'
  | 'extraData'
  | 'event'
  | 'correlationId'
>;

/**
 * The Sequelize attributes of the model, built from {@link TIMELINE_COLUMNS}: `user_id` takes the
 * user key's type and references the user table, so the migration can build the foreign key.
 *
 * @throws ConfigurationError when the user model has no primary key.
 * @example
 * ```ts
 * TimelineLog.init(timelineAttributes(User), { sequelize, tableName: 'timeline_logs', underscored: true });
 * ```
 */
export function timelineAttributes(userModel: AnyModelStatic | null): Record<keyof TimelineLogAttributes, ModelAttributeColumnOptions> {
  const attributes: Record<string, ModelAttributeColumnOptions> = {};
  for (const column of TIMELINE_COLUMNS) attributes[column.attribute] = attribute(column, userModel);
  return attributes as Record<keyof TimelineLogAttributes, ModelAttributeColumnOptions>;
}

function attribute(column: TimelineColumn, userModel: AnyModelStatic | null): ModelAttributeColumnOptions {
  switch (column.kind) {
    case 'id':
      return { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true };
    case 'text':
      return { type: column.maxLength === undefined ? DataTypes.TEXT : DataTypes.STRING(column.maxLength), allowNull: !column.required };
    case 'timestamp':
      return { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };
    case 'userKey':
      return { ...userColumn(userModel), allowNull: true };
    case 'json':
      return { type: DataTypes.JSONB, allowNull: true };
  }
}

function userColumn(userModel: AnyModelStatic | null): ModelAttributeColumnOptions {
  if (userModel === null) return { type: DataTypes.BIGINT };
  const pk = userModel.getAttributes()[userModel.primaryKeyAttribute];
  if (pk === undefined) throw ConfigurationError.invalidOption('userModel', 'a model with a primary key', userModel.name);
  return {
    type: pk.type,
    references: { model: userModel.getTableName() as string, key: pk.field ?? userModel.primaryKeyAttribute },
    onDelete: 'SET NULL',
    onUpdate: 'CASCADE',
  };
}
