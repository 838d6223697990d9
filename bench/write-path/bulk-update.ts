import { Op, QueryTypes, type Model, type Sequelize } from 'sequelize';
import { runWithTimelineUser } from '../../src/index.js';
import type { BenchVariant } from '../support/interleave.js';
import { PlainArticle, SQL_ARTICLES_TABLE, TrackedArticle } from './articles.js';

/** What the bulk update workload needs. */
export interface BulkUpdateSetup {
  readonly sequelize: Sequelize;
  readonly user: Model;
  readonly rows: number;
}

/** The variant names. */
export const UPDATE_VARIANTS = {
  statement: 'hand-written statement',
  tracked: 'tracked Model.update',
  untracked: 'untracked Model.update',
} as const;

/** The rows every variant updates (all of them). */
const WHERE = { title: { [Op.like]: 'Bulk %' } };

/**
 * The statement the tracked update is measured against: it does the same work in one round
 * trip. It locks and reads the old values, updates the rows, and inserts one log per changed row
 * with its change set (the tracked fields: `body`; timestamps are not tracked), as
 * `withTimeline` writes it. `$1` the new body, `$2` the user's key, `$3` the user's label.
 */
export const HAND_WRITTEN_UPDATE = `WITH old AS (
  SELECT id, body FROM ${SQL_ARTICLES_TABLE} WHERE title LIKE 'Bulk %' FOR UPDATE
), upd AS (
  UPDATE ${SQL_ARTICLES_TABLE} AS t SET body = $1, updated_at = now() FROM old WHERE t.id = old.id RETURNING t.id, t.title
)
INSERT INTO timeline_logs (content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data)
SELECT 'SqlArticle', upd.id::text, upd.title, now(), $2::integer, $3::text, 'timeline_logger/updated.ejs', 'updated',
  jsonb_build_object('changes', jsonb_build_object('body', jsonb_build_array(old.body, $1::text)))
FROM upd JOIN old USING (id)`;

/**
 * Fills the three article tables with the same `rows` rows (titled `Bulk <n>`), untimed and
 * without logs.
 *
 * @example
 * ```ts
 * await seedArticles(sequelize, 10_000);
 * ```
 */
export async function seedArticles(db: Sequelize, rows: number): Promise<void> {
  for (const table of [PlainArticle.getTableName(), TrackedArticle.getTableName(), SQL_ARTICLES_TABLE]) {
    await db.query(
      `TRUNCATE ${String(table)} RESTART IDENTITY; INSERT INTO ${String(table)} (title, body, views, created_at, updated_at) ` +
        `SELECT 'Bulk ' || n, 'Lorem ipsum dolor sit amet', 0, now(), now() FROM generate_series(1, ${rows}) AS n`,
    );
  }
}

/**
 * Three ways of setting `body` on every row, each in a transaction: the hand-written statement
 * (the floor), `Model.update` tracked by `withTimeline` (as the acting user), and the same
 * `Model.update` untracked. Every run writes a new body, so every row changes; the tables are
 * vacuumed and the log table emptied before each run, untimed, and each logging run must leave
 * exactly one log per row.
 *
 * @example
 * ```ts
 * await interleave(bulkUpdateVariants({ sequelize, user, rows: 10_000 }), 5, record);
 * ```
 */
export function bulkUpdateVariants(setup: BulkUpdateSetup): BenchVariant[] {
  const { sequelize, user, rows } = setup;
  let run = 0;
  const nextBody = (): string => `Updated in run ${(run += 1)}`;
  const prepare = (table: string) => async (): Promise<void> => {
    await sequelize.query('TRUNCATE timeline_logs RESTART IDENTITY');
    await sequelize.query(`VACUUM ANALYZE ${table}`);
  };
  const verify = async (): Promise<void> => {
    const found = await sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM timeline_logs', { type: QueryTypes.SELECT });
    if (found[0]?.n !== rows) throw new Error(`expected ${rows} logs after a bulk update, found ${found[0]?.n}`);
  };
  return [
    {
      name: UPDATE_VARIANTS.statement,
      prepare: prepare(SQL_ARTICLES_TABLE),
      verify,
      run: () =>
        sequelize.transaction((transaction) =>
          sequelize.query(HAND_WRITTEN_UPDATE, { bind: [nextBody(), user.get('id'), String(user)], transaction }),
        ),
    },
    {
      name: UPDATE_VARIANTS.tracked,
      prepare: prepare(String(TrackedArticle.getTableName())),
      verify,
      run: () => runWithTimelineUser(user, () => updateInTransaction(sequelize, TrackedArticle, nextBody())),
    },
    {
      name: UPDATE_VARIANTS.untracked,
      prepare: prepare(String(PlainArticle.getTableName())),
      run: () => updateInTransaction(sequelize, PlainArticle, nextBody()),
    },
  ];
}

/**
 * `Model.update({ body }, { where: title LIKE 'Bulk %' })` inside `sequelize.transaction`.
 *
 * @example
 * ```ts
 * await updateInTransaction(sequelize, TrackedArticle, 'new body');
 * ```
 */
export function updateInTransaction(db: Sequelize, model: typeof PlainArticle, body: string): Promise<unknown> {
  return db.transaction((transaction) => model.update({ body }, { where: WHERE, transaction }));
}
