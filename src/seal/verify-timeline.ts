import { Transaction } from 'sequelize';
import { quoteIdentifier } from '../transfer/sql-identifier.js';
import { CANONICAL_SESSION, sealedColumns, selectList } from './canonical-row.js';
import { ChainCheck, parseAnchor } from './chain-check.js';
import { cursorBatches } from './cursor-batches.js';
import { RetentionCutoffs } from './retention-cutoffs.js';
import { SealedRangeMerge, type MergeSeal } from './sealed-range-merge.js';
import type { SealSetup } from './seal-timeline.js';
import { readLinks, sealsTable, type StoredLink } from './seal-store.js';
import { withSealsTable } from './seals-missing.js';
import type { VerifyProblem, VerifyResult } from './verify-result.js';

/** How `TimelineLog.verify()` checks. */
export interface VerifyOptions {
  /**
   * The anchor `seal()` returned (or printed) earlier, `<id>:<mac hex>`, kept outside the
   * database: verify then also fails when that link is gone or differs, which catches seals
   * removed from the end of the chain. Null or undefined: none (the default).
   */
  anchor?: string | null;
  /** Problem logs kept in `problems` (all are counted in `problemCount` and passed to `onProblem`). Defaults to {@link MAX_PROBLEMS}. */
  maxProblems?: number;
  /** Called with each problem log as it is found, in id order (e.g. to print them all). Defaults to none. */
  onProblem?: (problem: VerifyProblem) => void;
}

/** Default `maxProblems`. */
export const MAX_PROBLEMS = 1000;

/** Logs read per `FETCH`: the next batch is read while this one is hashed. */
const FETCH_ROWS = 2000;
/** Links read per round trip (each seal holds up to 480 kB of entries by default). */
const FETCH_LINKS = 8;

/**
 * Recomputes the seal chain and compares every log in a sealed range with its seal, in one
 * consistent snapshot, reading the logs through a cursor and the seals a few at a time: memory
 * stays the same at any table size. Changes nothing.
 *
 * @throws ConfigurationError when the seals table is missing (run `migrateTimeline`).
 * @throws TypeError when `anchor` or `maxProblems` is malformed.
 * @example
 * ```ts
 * const result = await verifyTimeline(runtime, { anchor: '42:9f86d0...' });
 * if (!result.intact) console.error(result.problems);
 * ```
 */
export async function verifyTimeline(setup: SealSetup, options: VerifyOptions = {}): Promise<VerifyResult> {
  const anchor = options.anchor === undefined || options.anchor === null ? null : parseAnchor(options.anchor);
  const maxProblems = options.maxProblems ?? MAX_PROBLEMS;
  if (!Number.isInteger(maxProblems) || maxProblems < 0)
    throw new TypeError(`maxProblems must be a whole number, 0 or more (got ${String(maxProblems)})`);
  const { sequelize } = setup;
  const table = quoteIdentifier(setup.options.tableName);
  const seals = sealsTable(setup.options.tableName).sql;
  return withSealsTable(setup.options.tableName, async () => {
    const transaction = await sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ });
    try {
      await sequelize.query('SET TRANSACTION READ ONLY', { transaction });
      await sequelize.query(CANONICAL_SESSION, { transaction });
      const columns = await sealedColumns(sequelize, transaction, table);
      const cutoffs = await RetentionCutoffs.load(sequelize, transaction, seals);
      const chain = new ChainCheck(setup.options.sealKey, anchor);
      const problems: VerifyProblem[] = [];
      let problemCount = 0;
      const sink = {
        problem(id: bigint, problem: VerifyProblem['problem']): void {
          const found = { id: id.toString(), problem };
          problemCount += 1;
          if (problems.length < maxProblems) problems.push(found);
          options.onProblem?.(found);
        },
        clearedWithoutPrune: (link: StoredLink | MergeSeal['link']) => chain.modified(link),
      };
      const merge = new SealedRangeMerge(columns, cutoffs, sink, linkReader(setup, transaction, seals, chain));
      await merge.start();
      const query = `SELECT ${selectList(columns)} FROM ${table} ORDER BY "id"`;
      for await (const rows of cursorBatches(transaction, 'timeline_verify', query, [], FETCH_ROWS)) {
        for (const row of rows) {
          // Only a row past the current seal waits (for the next seal's link to be read).
          const reading = merge.row(row);
          if (reading !== undefined) await reading;
        }
      }
      await merge.finish();
      chain.finish();
      await transaction.commit();
      return {
        intact: problemCount === 0 && chain.problems.length === 0,
        checked: merge.checked,
        unsealed: merge.unsealed,
        removed: merge.removed,
        seals: chain.links,
        problems,
        problemCount,
        sealProblems: chain.problems,
        anchor: chain.newest,
      };
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
  });
}

/** Hands the merge the chain's seals in order, a few links per query, checking every link (retention links too) on the way. */
function linkReader(setup: SealSetup, transaction: Transaction, seals: string, chain: ChainCheck): () => Promise<MergeSeal | null> {
  let batch: StoredLink[] = [];
  let after = 0n;
  let exhausted = false;
  return async () => {
    for (;;) {
      if (batch.length === 0) {
        if (exhausted) return null;
        batch = await readLinks(setup.sequelize, transaction, seals, after, FETCH_LINKS, true);
        if (batch.length < FETCH_LINKS) exhausted = true;
        if (batch.length === 0) return null;
        after = (batch[batch.length - 1] as StoredLink).id;
      }
      const link = batch.shift() as StoredLink;
      chain.check(link);
      if (link.kind === 'seal' && link.throughId !== null) return { link, entries: link.entries };
    }
  };
}
