import { createHash, hash } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { CANONICAL_SESSION, sealedColumns, selectList, selectText } from '../../src/seal/canonical-row.js';
import { quoteIdentifier } from '../../src/transfer/sql-identifier.js';
import type { ComponentTimes } from './run-library.js';

/** Logs per batch: the library's default seal size. */
const BATCH = 10_000;

/**
 * One pass over every log of `table` as `seal()` reads them (a transaction per batch of 10,000,
 * the canonical session settings, the same `SELECT` of every column's text in id order through
 * the library's reader), timing each part of the work a seal does per log on its own, batch by
 * batch and one after the other: the read, `JSON.stringify`, and SHA-256 (one-shot `crypto.hash`
 * as the library hashes, and a `createHash` object per row, as it did before, for comparison).
 * The library's seal overlaps the read with the hashing, so it can take less than their sum.
 *
 * @example
 * ```ts
 * const times = await readComponents(sequelize, 'timeline_logs');
 * ```
 */
export async function readComponents(sequelize: Sequelize, table: string): Promise<ComponentTimes> {
  const quoted = quoteIdentifier(table);
  const times = { rows: 0, readMs: 0, stringifyMs: 0, hashMs: 0, oneShotHashMs: 0 };
  let after = '0';
  for (;;) {
    const rows = await sequelize.transaction(async (transaction) => {
      await sequelize.query(CANONICAL_SESSION, { transaction });
      const columns = await sealedColumns(sequelize, transaction, quoted);
      const started = performance.now();
      const read = await selectText(
        transaction,
        `SELECT ${selectList(columns)}, EXTRACT(EPOCH FROM "timestamp")::text FROM ${quoted} WHERE "id" > $1 ORDER BY "id" LIMIT ${BATCH}`,
        [after],
      );
      times.readMs += performance.now() - started;
      return read.map((row) => row.slice(0, columns.length));
    });
    if (rows.length === 0) return times;
    after = rows[rows.length - 1]?.[0] as string;
    times.rows += rows.length;
    let started = performance.now();
    const texts = rows.map((row) => JSON.stringify(row));
    times.stringifyMs += performance.now() - started;
    started = performance.now();
    for (const text of texts) createHash('sha256').update(text, 'utf8').digest();
    times.hashMs += performance.now() - started;
    started = performance.now();
    for (const text of texts) hash('sha256', text, 'buffer');
    times.oneShotHashMs += performance.now() - started;
  }
}
