import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import { quoteIdentifier } from '../transfer/sql-identifier.js';
import type { SealAlgorithm } from './seal-key.js';
import type { SealLink, SealLinkKind } from './seal-link.js';

/** PostgreSQL's longest identifier, in bytes. */
const MAX_IDENTIFIER_BYTES = 63;
const SEALS_SUFFIX = '_seals';

/**
 * The seals table of the timeline table `tableName`: its name and quoted SQL.
 *
 * @example
 * ```ts
 * sealsTable('timeline_logs'); // { name: 'timeline_logs_seals', sql: '"timeline_logs_seals"' }
 * ```
 */
export function sealsTable(tableName: string): { readonly name: string; readonly sql: string } {
  const name = `${tableName}${SEALS_SUFFIX}`;
  return { name, sql: quoteIdentifier(name) };
}

/**
 * Refuses a `tableName` too long for its seals table's name (PostgreSQL would cut it short).
 *
 * @throws ConfigurationError naming the limit.
 * @example
 * ```ts
 * assertSealsNameFits('timeline_logs'); // fine
 * ```
 */
export function assertSealsNameFits(tableName: string): void {
  const limit = MAX_IDENTIFIER_BYTES - SEALS_SUFFIX.length;
  if (Buffer.byteLength(tableName, 'utf8') > limit) {
    throw new ConfigurationError(
      `option tableName "${tableName}" is too long: its seals table "${tableName}${SEALS_SUFFIX}" needs it to have at most ${limit} bytes`,
    );
  }
}

/**
 * Takes the seal chain's transaction-level advisory lock: `seal()` and prune's retention link
 * extend the chain one at a time. Writers of logs never take it.
 *
 * @example
 * ```ts
 * await lockSealChain(sequelize, transaction, '"timeline_logs"');
 * ```
 */
export async function lockSealChain(sequelize: Sequelize, transaction: Transaction, table: string): Promise<void> {
  await sequelize.query(`SELECT pg_advisory_xact_lock(hashtextextended('timeline-logger.seal ' || $1::regclass::oid::text, 0))`, {
    bind: [table],
    type: QueryTypes.SELECT,
    transaction,
  });
}

/** The columns of a link, as selected by {@link readLinks} and {@link lastLinks}. */
const LINK_COLUMNS =
  '"id", "kind", "sealed_at", "after_id", "through_id", "logs", "columns", "latest_at", "cutoff", "entries_sha256", "algorithm", "key_id", "mac"';

interface LinkRow {
  id: string;
  kind: string;
  sealed_at: Date;
  after_id: string | null;
  through_id: string | null;
  logs: number;
  columns: string[] | null;
  latest_at: string | null;
  cutoff: Date | null;
  entries_sha256: Buffer | null;
  algorithm: string;
  key_id: string | null;
  mac: Buffer;
  entries?: Buffer | null;
}

/** A link read with its entries (null once a prune cleared them). */
export interface StoredLink extends SealLink {
  readonly entries: Buffer | null;
}

/**
 * The newest link of the chain and the newest seal (they differ after a prune's retention
 * link), or nulls for an empty chain.
 *
 * @example
 * ```ts
 * const { last, lastSeal } = await lastLinks(sequelize, transaction, seals.sql);
 * ```
 */
export async function lastLinks(
  sequelize: Sequelize,
  transaction: Transaction,
  seals: string,
): Promise<{ last: SealLink | null; lastSeal: SealLink | null }> {
  const [last] = await sequelize.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM ${seals} ORDER BY "id" DESC LIMIT 1`, {
    type: QueryTypes.SELECT,
    transaction,
  });
  if (last === undefined) return { last: null, lastSeal: null };
  if (last.kind === 'seal') return { last: toLink(last), lastSeal: toLink(last) };
  const [lastSeal] = await sequelize.query<LinkRow>(
    `SELECT ${LINK_COLUMNS} FROM ${seals} WHERE "kind" = 'seal' ORDER BY "id" DESC LIMIT 1`,
    {
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return { last: toLink(last), lastSeal: lastSeal === undefined ? null : toLink(lastSeal) };
}

/**
 * Up to `limit` links after link `afterId`, in chain order, with their entries when `entries`.
 *
 * @example
 * ```ts
 * const batch = await readLinks(sequelize, transaction, seals.sql, 0n, 16, true);
 * ```
 */
export async function readLinks(
  sequelize: Sequelize,
  transaction: Transaction,
  seals: string,
  afterId: bigint,
  limit: number,
  entries: boolean,
): Promise<StoredLink[]> {
  const rows = await sequelize.query<LinkRow>(
    `SELECT ${LINK_COLUMNS}${entries ? ', "entries"' : ''} FROM ${seals} WHERE "id" > $1 ORDER BY "id" LIMIT ${limit}`,
    { bind: [afterId.toString()], type: QueryTypes.SELECT, transaction },
  );
  return rows.map((row) => ({ ...toLink(row), entries: row.entries ?? null }));
}

/**
 * Appends `link` (with `entries` for a seal) to the chain.
 *
 * @example
 * ```ts
 * await insertLink(sequelize, transaction, seals.sql, { ...link, mac }, packed);
 * ```
 */
export async function insertLink(
  sequelize: Sequelize,
  transaction: Transaction,
  seals: string,
  link: SealLink,
  entries: Buffer | null,
): Promise<void> {
  await sequelize.query(
    `INSERT INTO ${seals} (${LINK_COLUMNS}, "entries") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    {
      bind: [
        link.id.toString(),
        link.kind,
        link.sealedAt,
        link.afterId?.toString() ?? null,
        link.throughId?.toString() ?? null,
        link.logs,
        link.columns,
        link.latestAt?.toString() ?? null,
        link.cutoff,
        link.entriesSha256,
        link.algorithm,
        link.keyId,
        link.mac,
        entries,
      ],
      transaction,
    },
  );
}

function toLink(row: LinkRow): SealLink {
  return {
    id: BigInt(row.id),
    kind: row.kind as SealLinkKind,
    sealedAt: row.sealed_at,
    afterId: row.after_id === null ? null : BigInt(row.after_id),
    throughId: row.through_id === null ? null : BigInt(row.through_id),
    logs: row.logs,
    columns: row.columns,
    latestAt: row.latest_at === null ? null : BigInt(row.latest_at),
    cutoff: row.cutoff,
    entriesSha256: row.entries_sha256,
    algorithm: row.algorithm as SealAlgorithm,
    keyId: row.key_id,
    mac: row.mac,
  };
}
