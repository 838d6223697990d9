import type { Model, Sequelize } from 'sequelize';
import { actorColumns } from '../../src/model/actor.js';
import { extraDataColumn, logHeader, logRow, objectColumns } from '../../src/model/log-row.js';
import { TimelineLog } from '../../src/index.js';

/** What one step of `log()` costs in Node, in microseconds per call. */
export interface LogStep {
  readonly step: string;
  readonly microseconds: number;
}

/** Sequelize's query class (postgres dialect), which `insertLog` builds per call for logging and errors. */
type DialectQueryClass = new (
  connection: object,
  sequelize: Sequelize,
  options: Record<string, unknown>,
) => { _logQuery(sql: string, debug: () => void, parameters: unknown[]): () => void };

/** Sequelize's connection pool, as `insertLog` uses it without a transaction. */
interface ConnectionPool {
  getConnection(options: { type: string; useMaster: boolean }): Promise<object>;
  releaseConnection(connection: object): void;
}

const OPTIONS = { event: 'paid', extraData: { amount: '12.50', reason: 'bench' } };

/**
 * Times each step `TimelineLog.log()` takes in Node, alone in a loop of `calls` iterations (the
 * fastest of five loops: the one least disturbed by other processes): the row's validation and building (`actorColumns`, `logHeader`,
 * `objectColumns`, `extraDataColumn`, `logRow`), then what `insertLog` adds around the driver
 * call (capturing the caller's stack, Sequelize's query object for logging and errors, and
 * `Model.build` of the result, and the pool checkout a call without a transaction makes).
 * Steps in a tight loop run warmer than inside a real call, so
 * their sum is a lower bound; it says which step to look at first, not the total.
 *
 * @example
 * ```ts
 * for (const { step, microseconds } of await timeLogSteps(sequelize, post, user, 20_000)) console.log(step, microseconds);
 * ```
 */
export async function timeLogSteps(sequelize: Sequelize, post: Model, user: Model, calls: number): Promise<LogStep[]> {
  const runtime = TimelineLog.runtime;
  const { options } = runtime;
  const actor = actorColumns(user, options);
  const header = logHeader(runtime, actor, OPTIONS);
  const object = objectColumns(post, options.objectLabel);
  const extraData = extraDataColumn(OPTIONS.extraData);
  const row = { ...logRow(header, object, extraData), id: '1' } as Record<string, unknown>;
  const Query = (sequelize as unknown as { dialect: { Query: DialectQueryClass } }).dialect.Query;
  const connection = { uuid: 'bench' };
  const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
  const steps: ReadonlyArray<readonly [string, () => unknown]> = [
    ['actorColumns (the user)', () => actorColumns(user, options)],
    ['logHeader (template, event, timestamp)', () => logHeader(runtime, actor, OPTIONS)],
    ['objectColumns (the object and its label)', () => objectColumns(post, options.objectLabel)],
    ['extraDataColumn (JSON check)', () => extraDataColumn(OPTIONS.extraData)],
    ['logRow', () => logRow(header, object, extraData)],
    ['new Error().stack (source maps on, as under tsx)', () => new Error().stack],
    ['new Error().stack (source maps off, as plain node)', () => new Error().stack],
    [
      'Sequelize Query object + _logQuery',
      () => new Query(connection, sequelize, { logging: false, transaction: null })._logQuery('INSERT', noop, [])(),
    ],
    ['TimelineLog.build(row, { raw: true })', () => TimelineLog.build(row, { isNewRecord: false, raw: true })],
    [
      'pool checkout + release (without a transaction only)',
      async () => pool.releaseConnection(await pool.getConnection({ type: 'INSERT', useMaster: true })),
    ],
  ];
  const timed: LogStep[] = [];
  for (const [step, work] of steps) {
    const withoutMaps = step.includes('source maps off');
    const sourceMaps = process.sourceMapsEnabled;
    if (withoutMaps) process.setSourceMapsEnabled(false);
    try {
      const loops: number[] = [];
      for (let loop = 0; loop < 5; loop += 1) {
        const started = performance.now();
        for (let index = 0; index < calls; index += 1) {
          const result = work();
          if (result instanceof Promise) await result;
        }
        loops.push(((performance.now() - started) * 1000) / calls);
      }
      timed.push({ step, microseconds: Math.min(...loops) });
    } finally {
      if (withoutMaps) process.setSourceMapsEnabled(sourceMaps);
    }
  }
  return timed;
}

function noop(): void {}
