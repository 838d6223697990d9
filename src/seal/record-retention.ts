import { QueryTypes } from 'sequelize';
import { onPrimary } from '../db/on-primary.js';
import { quoteIdentifier } from '../transfer/sql-identifier.js';
import { assertChainKey } from './assert-chain-key.js';
import { linkMac, type SealLink } from './seal-link.js';
import type { SealSetup } from './seal-timeline.js';
import { insertLink, lastLinks, lockSealChain, sealsTable } from './seal-store.js';
import { withSealsTable } from './seals-missing.js';

/** A prune being recorded in the seal chain. */
export interface RecordedRetention {
  /**
   * Once the prune's deletes are done: records the cut-off again (covering seals made while it
   * ran, which may hold logs it deleted), then clears the entries of the seals before that link
   * all of whose logs it removed (their digest stays, so the chain still verifies). A chain that
   * was empty when the prune began but got seals while it ran is recorded here too.
   *
   * @returns how many seals were cleared.
   */
  finish(): Promise<number>;
}

/**
 * Records in the seal chain that logs with `timestamp <= cutoff` (every log when `cutoff` is
 * null) may be gone, before a prune deletes anything: a retention link chained like a seal, so
 * `verify()` counts the sealed logs the prune removes as removed, not missing. A log sealed by a
 * seal may be gone when a retention link after that seal has a cut-off at or after its
 * timestamp. `finish()` records it again once the deletes are done. Nothing is recorded while
 * nothing is sealed.
 *
 * @throws ConfigurationError when the chain was made with another key (or with a key while none
 * is configured, or the other way round): the prune would add links `verify()` cannot check, so
 * it must not delete anything.
 * @example
 * ```ts
 * const retention = await recordRetention(runtime, plan.cutoff);
 * // ... delete the logs
 * await retention?.finish();
 * ```
 */
export async function recordRetention(setup: SealSetup, cutoff: Date | null): Promise<RecordedRetention> {
  const first = await appendRetention(setup, cutoff);
  return {
    async finish() {
      const last = (await appendRetention(setup, cutoff)) ?? first;
      if (last === null) return 0;
      const seals = sealsTable(setup.options.tableName).sql;
      const [, cleared] = await setup.sequelize.query(
        `UPDATE ${seals} SET "entries" = NULL
          WHERE "kind" = 'seal' AND "entries" IS NOT NULL AND "id" < $1
            AND ($2::timestamptz IS NULL OR "latest_at" IS NULL
                 OR "latest_at" <= (EXTRACT(EPOCH FROM $2::timestamptz) * 1000000)::numeric(30, 0))`,
        { bind: [last.toString(), cutoff], type: QueryTypes.UPDATE, ...onPrimary(null) },
      );
      return cleared;
    },
  };
}

/**
 * Appends a retention link with `cutoff`; returns its id, or null for an empty chain (a table
 * never sealed costs one query and no lock).
 */
async function appendRetention(setup: SealSetup, cutoff: Date | null): Promise<bigint | null> {
  const { sequelize } = setup;
  const { sealKey, tableName } = setup.options;
  const seals = sealsTable(tableName).sql;
  return withSealsTable(tableName, async () => {
    const [any] = await sequelize.query(`SELECT 1 FROM ${seals} LIMIT 1`, { type: QueryTypes.SELECT, ...onPrimary(null) });
    if (any === undefined) return null;
    return sequelize.transaction(async (transaction) => {
      await lockSealChain(sequelize, transaction, quoteIdentifier(tableName));
      const { last } = await lastLinks(sequelize, transaction, seals);
      if (last === null) return null;
      assertChainKey(last, sealKey, 'prune records what it removes with it, so nothing was deleted');
      const link: Omit<SealLink, 'mac'> = {
        id: last.id + 1n,
        kind: 'retention',
        sealedAt: setup.options.now(),
        afterId: null,
        throughId: null,
        logs: 0,
        columns: null,
        latestAt: null,
        cutoff,
        entriesSha256: null,
        algorithm: sealKey.algorithm,
        keyId: sealKey.keyId,
      };
      await insertLink(sequelize, transaction, seals, { ...link, mac: linkMac(sealKey, last.mac, link) }, null);
      return link.id;
    });
  });
}
