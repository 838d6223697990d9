import type { Sequelize, Transaction } from 'sequelize';
import { positiveInteger } from '../transfer/positive-integer.js';
import { quoteIdentifier } from '../transfer/sql-identifier.js';
import { CANONICAL_SESSION, epochMicros, rowDigest, sealedColumns, selectList } from './canonical-row.js';
import { cursorBatches } from './cursor-batches.js';
import { ENTRY_BYTES, entriesDigest, packEntry } from './seal-entries.js';
import { assertChainKey } from './assert-chain-key.js';
import type { SealKey } from './seal-key.js';
import { formatAnchor, linkMac, type SealLink } from './seal-link.js';
import { insertLink, lastLinks, lockSealChain, sealsTable } from './seal-store.js';
import { settledThrough, type SealBlocker } from './settled-through.js';
import { withSealsTable } from './seals-missing.js';

/** How `TimelineLog.seal()` seals. */
export interface SealOptions {
  /**
   * How long to wait, in milliseconds, for transactions that were open when sealing began (they
   * may still commit logs with ids already handed out). When they are still open after it, the
   * call seals nothing new and names them in `waitingFor`. Defaults to {@link SEAL_WAIT_MS}.
   */
  waitMs?: number;
  /** Logs per seal (each seal is one row of the seals table and one transaction). Defaults to {@link SEAL_BATCH_SIZE}. */
  batchSize?: number;
  /** Called after each seal commits, with the logs sealed so far (e.g. for a progress bar). Defaults to none. */
  onSeal?: (sealedSoFar: number) => void;
}

/** What `TimelineLog.seal()` did. */
export interface SealResult {
  /** Logs sealed by this call. */
  readonly sealed: number;
  /** Every log with an id up to this one is sealed (null: nothing is sealed yet). */
  readonly throughId: string | null;
  /**
   * The chain's newest link as `<id>:<mac hex>`, to keep outside the database (see
   * docs/tamper-evidence.md, "Anchoring"); null for an empty chain.
   */
  readonly anchor: string | null;
  /** The transactions that were still open when the wait ran out (then nothing new was sealed); empty otherwise. */
  readonly waitingFor: readonly SealBlocker[];
}

/** Default `waitMs`: ten seconds. */
export const SEAL_WAIT_MS = 10_000;

/** Default logs per seal: 10,000 logs are a 480 kB seal. */
export const SEAL_BATCH_SIZE = 10_000;

/** What sealing needs of the setup (a `TimelineRuntime` is one). */
export interface SealSetup {
  readonly sequelize: Sequelize;
  readonly options: { readonly tableName: string; readonly now: () => Date; readonly sealKey: SealKey };
}

/**
 * Seals every committed, unsealed log: waits until the ids handed out so far are settled (see
 * `settledThrough`), then seals the logs after the last seal up to that id, `batchSize` logs per
 * seal, each seal in a transaction of its own chained to the one before. Writers are never
 * blocked: sealers only take an advisory lock of their own.
 *
 * @throws ConfigurationError when the seals table is missing (run `migrateTimeline`), options are
 * invalid, or the chain was made with another key (nothing is sealed).
 * @example
 * ```ts
 * const { sealed, throughId, anchor } = await sealTimeline(runtime, {});
 * ```
 */
export async function sealTimeline(setup: SealSetup, options: SealOptions = {}): Promise<SealResult> {
  const waitMs = nonNegativeInteger('waitMs', options.waitMs ?? SEAL_WAIT_MS);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? SEAL_BATCH_SIZE);
  const { sequelize } = setup;
  const table = quoteIdentifier(setup.options.tableName);
  const seals = sealsTable(setup.options.tableName).sql;
  return withSealsTable(setup.options.tableName, async () => {
    const settled = await settledThrough(sequelize, table, waitMs);
    let sealed = 0;
    for (;;) {
      const step = await sequelize.transaction(async (transaction) => {
        await lockSealChain(sequelize, transaction, table);
        const chain = await lastLinks(sequelize, transaction, seals);
        if (chain.last !== null) assertChainKey(chain.last, setup.options.sealKey, 'nothing was sealed');
        const after = chain.lastSeal?.throughId ?? null;
        const done = { sealed: 0, more: false, last: chain.last, through: after };
        if (settled.blockers.length > 0 || settled.throughId === null || (after !== null && settled.throughId <= after)) return done;
        const link = await sealNext(setup, transaction, {
          table,
          seals,
          previous: chain.last,
          after,
          through: settled.throughId,
          batchSize,
        });
        return { sealed: link.logs, more: link.throughId !== settled.throughId, last: link, through: link.throughId };
      });
      sealed += step.sealed;
      if (step.sealed > 0) options.onSeal?.(sealed);
      if (!step.more) {
        return {
          sealed,
          throughId: step.through?.toString() ?? null,
          anchor: step.last === null ? null : formatAnchor(step.last),
          waitingFor: settled.blockers,
        };
      }
    }
  });
}

interface SealStep {
  readonly table: string;
  readonly seals: string;
  readonly previous: SealLink | null;
  /** The last sealed id (null: nothing sealed yet). */
  readonly after: bigint | null;
  /** The settled id the chain may be sealed through. */
  readonly through: bigint;
  readonly batchSize: number;
}

/** Logs read per `FETCH` while sealing: the next part is read while this one is hashed. */
const FETCH_ROWS = 2000;

/**
 * Seals up to `batchSize` logs after `step.after` (through `step.through` when fewer are left):
 * reads them with their canonical text, packs their entries and appends the seal.
 */
async function sealNext(setup: SealSetup, transaction: Transaction, step: SealStep): Promise<SealLink> {
  const { sequelize } = setup;
  const { sealKey } = setup.options;
  await sequelize.query(CANONICAL_SESSION, { transaction });
  const columns = await sealedColumns(sequelize, transaction, step.table);
  const lower = step.after === null ? '' : '"id" > $1 AND ';
  const query = `SELECT ${selectList(columns)}, EXTRACT(EPOCH FROM "timestamp")::text FROM ${step.table}
    WHERE ${lower}"id" <= ${step.after === null ? '$1' : '$2'} ORDER BY "id" LIMIT ${step.batchSize}`;
  const values = step.after === null ? [step.through.toString()] : [step.after.toString(), step.through.toString()];
  const parts: Buffer[] = [];
  let logs = 0;
  let lastId = step.through;
  let latestAt: bigint | null = null;
  for await (const rows of cursorBatches(transaction, 'timeline_seal', query, values, FETCH_ROWS)) {
    const part = Buffer.allocUnsafe(rows.length * ENTRY_BYTES);
    for (const [index, row] of rows.entries()) {
      const micros = epochMicros(row.pop() as string);
      lastId = BigInt(row[0] as string);
      packEntry(part, index, { id: lastId, micros, digest: rowDigest(row) });
      if (latestAt === null || micros > latestAt) latestAt = micros;
    }
    parts.push(part);
    logs += rows.length;
  }
  const packed = Buffer.concat(parts);
  const link: Omit<SealLink, 'mac'> = {
    id: (step.previous?.id ?? 0n) + 1n,
    kind: 'seal',
    sealedAt: setup.options.now(),
    afterId: step.after,
    throughId: logs === step.batchSize ? lastId : step.through,
    logs,
    columns,
    latestAt,
    cutoff: null,
    entriesSha256: entriesDigest(packed),
    algorithm: sealKey.algorithm,
    keyId: sealKey.keyId,
  };
  const sealedLink = { ...link, mac: linkMac(sealKey, step.previous?.mac ?? null, link) };
  await insertLink(sequelize, transaction, step.seals, sealedLink, packed);
  return sealedLink;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`${name} must be a whole number of milliseconds, 0 or more (got ${String(value)})`);
  return value;
}
