import { QueryTypes, type Sequelize } from 'sequelize';
import type { CursorKey } from '../../src/http/cursor.js';
import type { PagePosition } from '../../src/http/page-position.js';
import { findTimelinePage } from '../../src/http/timeline-query.js';
import { TimelineLog } from '../../src/index.js';
import { Samples } from '../support/samples.js';

/** Logs per page, the library's default `paginateBy`. */
const PER_PAGE = 25;

/** Median milliseconds of one page query: the library's and the hand-written SQL's. */
export interface PageFigure {
  readonly libraryMs: number;
  readonly handMs: number;
}

/** The newest page and the page `depth` logs down, each through the library and by hand. */
export interface PageFigures {
  readonly first: PageFigure;
  readonly deep: PageFigure;
  /** How deep the deep page's cursor is (the table may hold fewer than asked). */
  readonly depth: number;
}

/**
 * Times the timeline page's query as the page runs it (`findTimelinePage`, the one query behind
 * `GET /timeline` and `?before=`) against the hand-written keyset SQL
 * (`SELECT * ... WHERE (timestamp, id) < (cursor) ORDER BY timestamp DESC, id DESC LIMIT 26`),
 * on the newest page and on the cursor of the `depth`-th newest log. `runs` runs each,
 * interleaved; the figures are medians. Each query runs once untimed first, so every figure is
 * a warm cache's.
 *
 * @example
 * ```ts
 * const pages = await measurePages(sequelize, 'timeline_logs', 500_000, 20);
 * console.log(pages.deep.libraryMs / pages.deep.handMs);
 * ```
 */
export async function measurePages(sequelize: Sequelize, table: string, depth: number, runs: number): Promise<PageFigures> {
  const cursor = await keyAt(sequelize, table, depth);
  const positions: Record<'first' | 'deep', PagePosition> = {
    first: { kind: 'newest' },
    deep: cursor === null ? { kind: 'newest' } : { kind: 'before', cursor },
  };
  const handSql = (key: CursorKey | null): Promise<unknown[]> =>
    sequelize.query(
      `SELECT * FROM "${table}"${key === null ? '' : ' WHERE ("timestamp", "id") < ($timestamp::timestamptz, $id::bigint)'}
       ORDER BY "timestamp" DESC, "id" DESC LIMIT ${PER_PAGE + 1}`,
      { type: QueryTypes.SELECT, ...(key === null ? {} : { bind: { timestamp: key.timestamp, id: key.id } }) },
    );
  const work = {
    'first|library': () => findTimelinePage(TimelineLog, { criteria: {}, position: positions.first, perPage: PER_PAGE }),
    'first|hand': () => handSql(null),
    'deep|library': () => findTimelinePage(TimelineLog, { criteria: {}, position: positions.deep, perPage: PER_PAGE }),
    'deep|hand': () => handSql(cursor),
  };
  const samples = new Samples();
  for (const run of Object.values(work)) await run();
  const entries = Object.entries(work);
  for (let round = 0; round < runs; round += 1) {
    for (let offset = 0; offset < entries.length; offset += 1) {
      const [key, run] = entries[(round + offset) % entries.length] as [string, () => Promise<unknown>];
      const started = performance.now();
      await run();
      samples.add(key, performance.now() - started);
    }
  }
  const figure = (position: string): PageFigure => ({
    libraryMs: samples.median(`${position}|library`) ?? NaN,
    handMs: samples.median(`${position}|hand`) ?? NaN,
  });
  return { first: figure('first'), deep: figure('deep'), depth: cursor === null ? 0 : depth };
}

/** The `(timestamp, id)` of the `depth`-th newest log, at full precision, or null when there are fewer. */
async function keyAt(sequelize: Sequelize, table: string, depth: number): Promise<CursorKey | null> {
  const rows = await sequelize.query<{ timestamp: string; id: string }>(
    `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "timestamp", "id"::text AS "id"
     FROM "${table}" ORDER BY "timestamp" DESC, "id" DESC OFFSET ${depth - 1} LIMIT 1`,
    { type: QueryTypes.SELECT },
  );
  const row = rows[0];
  return row === undefined ? null : { timestamp: row.timestamp, id: row.id };
}
