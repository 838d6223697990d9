import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';
import { fitsKey, keyKindOfSqlType } from '../model/key-kind.js';
import { timelineColumn } from '../model/timeline-columns.js';
import type { PendingRow } from './pending-row.js';
import { singleColumnOfKind } from './timeline-log-columns.js';
import type { UserReference } from './timeline-table.js';

const CONTENT_TYPE = timelineColumn('contentType').exportName;
const ID = singleColumnOfKind('id').exportName;
const USER = singleColumnOfKind('userKey').exportName;
/** User ids known to exist are remembered across batches, up to this many (then forgotten). */
const KNOWN_USERS_CAP = 100_000;

/**
 * Marks rows whose content type is not among `allowed` (null allows any).
 *
 * @example
 * ```ts
 * checkContentTypes(batch, new Set(['Post', 'Invoice']));
 * ```
 */
export function checkContentTypes(batch: readonly PendingRow[], allowed: ReadonlySet<string> | null): void {
  if (allowed === null) return;
  for (const pending of batch) {
    const contentType = pending.values[CONTENT_TYPE];
    if (typeof contentType === 'string' && !allowed.has(contentType)) {
      pending.errors.push({
        field: CONTENT_TYPE,
        message: `unknown model ${JSON.stringify(contentType)} (known: ${[...allowed].join(', ')})`,
      });
    }
  }
}

/**
 * Marks rows whose id the id column's type cannot hold (past BIGINT), so they are invalid rows
 * instead of a query PostgreSQL refuses as a whole (issue 11: an id past BIGINT aborted the import).
 *
 * @param idType - the id column's SQL type as `format_type` names it, e.g. `bigint`.
 * @example
 * ```ts
 * checkIdRange(batch, 'bigint'); // row 1: '"9223372036854775808" is not a valid id (bigint)'
 * ```
 */
export function checkIdRange(batch: readonly PendingRow[], idType: string): void {
  const kind = keyKindOfSqlType(idType);
  for (const pending of batch) {
    const id = pending.values[ID];
    if (typeof id === 'string' && !fitsKey(kind, id)) {
      pending.errors.push({ field: ID, message: `${JSON.stringify(id)} is not a valid id (${idType})` });
    }
  }
}

/**
 * Marks rows repeating an id an earlier row of the batch has.
 *
 * @example
 * ```ts
 * checkDuplicateIds(batch); // row 3: "id 7 already appears in row 1"
 * ```
 */
export function checkDuplicateIds(batch: readonly PendingRow[]): void {
  const seen = new Map<string, number>();
  for (const pending of batch) {
    const id = pending.values[ID];
    if (typeof id !== 'string') continue;
    const first = seen.get(id);
    if (first !== undefined) pending.errors.push({ field: ID, message: `id ${id} already appears in row ${first}` });
    else seen.set(id, pending.row);
  }
}

/**
 * Checks that the user ids of a batch exist in the user table: ids the key's type cannot hold
 * are refused without asking the database, the rest looked up in one query per batch. Ids
 * found stay known for later batches. With `lockRows` the users found are locked `FOR KEY
 * SHARE` until the transaction ends (what a foreign key's check does), for imports that check
 * the key only after loading.
 *
 * @example
 * ```ts
 * const users = new UserCheck(sequelize, table.userReference, transaction);
 * await users.check(batch); // "no user with id 99"
 * ```
 */
export class UserCheck {
  readonly #known = new Set<string>();

  constructor(
    private readonly sequelize: Sequelize,
    private readonly reference: UserReference | null,
    private readonly transaction: Transaction | null,
    private readonly lockRows = false,
  ) {}

  /** Adds an error to every row whose user id is malformed or not found; null (no reference) checks nothing. */
  async check(batch: readonly PendingRow[]): Promise<void> {
    const reference = this.reference;
    if (reference === null) return;
    const kind = keyKindOfSqlType(reference.type);
    const wanted = new Set<string>();
    for (const pending of batch) {
      const user = pending.values[USER];
      if (typeof user !== 'string' || this.#known.has(user)) continue;
      if (!fitsKey(kind, user))
        pending.errors.push({ field: USER, message: `${JSON.stringify(user)} is not a valid user id (${reference.type})` });
      else wanted.add(user);
    }
    if (wanted.size > 0) {
      const found = await this.sequelize.query<{ id: string }>(
        `SELECT ${reference.column}::text AS id FROM ${reference.table} WHERE ${reference.column} = ANY($1::${reference.type}[])${this.lockRows ? ' FOR KEY SHARE' : ''}`,
        { bind: [[...wanted]], type: QueryTypes.SELECT, ...onPrimary(this.transaction) },
      );
      if (this.#known.size > KNOWN_USERS_CAP) this.#known.clear();
      for (const { id } of found) this.#known.add(id);
    }
    for (const pending of batch) {
      const user = pending.values[USER];
      if (typeof user === 'string' && wanted.has(user) && !this.#known.has(user)) {
        pending.errors.push({ field: USER, message: `no user with id ${user}` });
      }
    }
  }
}
