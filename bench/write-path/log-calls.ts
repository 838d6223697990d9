import { QueryTypes, type Model, type Sequelize } from 'sequelize';
import { TIMELINE_COLUMNS } from '../../src/model/timeline-columns.js';
import { TimelineLog } from '../../src/index.js';
import type { BenchVariant } from '../support/interleave.js';

/** What the `log()` workload writes: one row about `post` by `user`, N times. */
export interface LogCallsSetup {
  readonly sequelize: Sequelize;
  readonly post: Model;
  readonly user: Model;
  readonly calls: number;
}

/** node-postgres' client, as Sequelize's pool hands it out. */
interface PgClient {
  query(statement: string | { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

/** Sequelize's connection pool (postgres dialect), as `log()` itself uses it. */
interface ConnectionPool {
  getConnection(options: { type: string; useMaster: boolean }): Promise<PgClient>;
  releaseConnection(connection: PgClient): void;
}

/** The variants, and the pooled client the baselines hold until `release()`. */
export interface LogCallVariants {
  readonly variants: readonly BenchVariant[];
  release(): void;
}

/** The variant names, baseline first in each pair. */
export const LOG_VARIANTS = {
  raw: 'raw prepared INSERT',
  log: 'log()',
  rawInTransaction: 'raw prepared INSERT, one transaction',
  logInTransaction: 'log(), one transaction',
} as const;

const OPTIONS = { event: 'paid', extraData: { amount: '12.50', reason: 'bench' } };
/** Every column but the id, in table order: what `log()` sends. */
const COLUMNS = TIMELINE_COLUMNS.filter((column) => column.kind !== 'id');

/**
 * `TimelineLog.log(post, { user, event, extraData })` called N times in a row, against the
 * floor: the same row written N times by a named prepared `INSERT ... RETURNING id` on one
 * node-postgres client taken once from Sequelize's pool (parsed and planned once, no pool
 * checkout per call, nothing but the driver). Both also
 * run inside one transaction. Each run starts from an empty log table and must leave N logs.
 *
 * @example
 * ```ts
 * const { variants, release } = await logCallVariants({ sequelize, post, user, calls: 3_000 });
 * ```
 */
export async function logCallVariants(setup: LogCallsSetup): Promise<LogCallVariants> {
  const { sequelize, post, user, calls } = setup;
  const reference = (await TimelineLog.log(post, { user, ...OPTIONS })).get({ plain: true }) as unknown as Record<string, unknown>;
  const statement = { name: 'bench:raw-log', text: insertText() };
  const rowValues = (): unknown[] =>
    COLUMNS.map((column) => {
      if (column.kind === 'timestamp') return new Date();
      const value = reference[column.attribute] ?? null;
      return column.kind === 'json' && value !== null ? JSON.stringify(value) : value;
    });
  const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
  const client = await pool.getConnection({ type: 'INSERT', useMaster: true });
  const rawCalls = async (): Promise<void> => {
    for (let index = 0; index < calls; index += 1) await client.query({ ...statement, values: rowValues() });
  };
  const prepare = (): Promise<unknown> => sequelize.query('TRUNCATE timeline_logs RESTART IDENTITY');
  const verify = async (): Promise<void> => {
    const rows = await sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM timeline_logs', { type: QueryTypes.SELECT });
    if (rows[0]?.n !== calls) throw new Error(`expected ${calls} logs after a run, found ${rows[0]?.n}`);
  };
  const variants: BenchVariant[] = [
    { name: LOG_VARIANTS.raw, prepare, verify, run: rawCalls },
    {
      name: LOG_VARIANTS.log,
      prepare,
      verify,
      run: async () => {
        for (let index = 0; index < calls; index += 1) await TimelineLog.log(post, { user, ...OPTIONS });
      },
    },
    {
      name: LOG_VARIANTS.rawInTransaction,
      prepare,
      verify,
      run: async () => {
        await client.query('BEGIN');
        await rawCalls();
        await client.query('COMMIT');
      },
    },
    {
      name: LOG_VARIANTS.logInTransaction,
      prepare,
      verify,
      run: () =>
        sequelize.transaction(async (transaction) => {
          for (let index = 0; index < calls; index += 1) await TimelineLog.log(post, { user, ...OPTIONS, transaction });
        }),
    },
  ];
  return { variants, release: () => pool.releaseConnection(client) };
}

function insertText(): string {
  const fields = COLUMNS.map((column) => `"${column.field}"`).join(', ');
  const placeholders = COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
  return `INSERT INTO "timeline_logs" (${fields}) VALUES (${placeholders}) RETURNING "id"`;
}
