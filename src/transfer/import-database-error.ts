/**
 * What an import reports of a statement the database refused: the message (and detail) of a
 * Sequelize error's node-postgres cause, or of node-postgres' own error (from a copy).
 *
 * @example
 * ```ts
 * databaseMessage(error); // 'duplicate key value violates unique constraint "timeline_logs_pkey" (Key (id)=(4) already exists.)'
 * ```
 */
export function databaseMessage(error: unknown): string {
  const cause = (error as { parent?: { message?: string; detail?: string } }).parent ?? (error as { message?: string; detail?: string });
  const message = cause.message ?? String(error);
  return cause.detail ? `${message} (${cause.detail})` : message;
}

/**
 * The SQLSTATE of a Sequelize error's node-postgres cause, or of node-postgres' own error (a
 * query sent on the pg client, e.g. a copy or a cursor), e.g. `2200H`.
 *
 * @example
 * ```ts
 * databaseCode(error) === '23505'; // a unique violation
 * ```
 */
export function databaseCode(error: unknown): string | undefined {
  const seen = error as { parent?: { code?: unknown }; code?: unknown } | null;
  const code = seen?.parent?.code ?? seen?.code;
  return typeof code === 'string' ? code : undefined;
}
