/**
 * `npm run bench:tracking [-- --quick]`: what automatic tracking costs. The same workloads run
 * on three copies of one table, all in one run on one database: untracked (the baseline),
 * tracked by `withTimeline`, and tracked by `sequelize-paper-trail` (which needs
 * `individualHooks` for bulk work; without them it silently logs nothing, checked below).
 * Each figure is the median of several repeats, interleaved so machine noise hits all three.
 *
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in `.data/bench-postgres` (fsync off,
 * like the test server), in a database `timeline_bench` that is wiped on every run.
 */
import { createRequire } from 'node:module';
import {
  DataTypes,
  Model,
  Op,
  QueryTypes,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';
import { runWithTimelineUser, TimelineLog, withTimeline } from '../src/index.js';
import { openBenchDatabase } from './support/bench-database.js';
import { markdownTable } from './support/markdown-table.js';
import { Samples } from './support/samples.js';
import { serverVersion } from './support/server-version.js';
import { createTimelineSchema } from './support/timeline-schema.js';

const QUICK = process.argv.includes('--quick');
const SIZE = QUICK ? { pairs: 200, rows: 1_000, repeats: 3 } : { pairs: 2_000, rows: 10_000, repeats: 5 };

class Article extends Model<InferAttributes<Article>, InferCreationAttributes<Article>> {
  declare id: CreationOptional<number>;
  declare title: string;
  declare body: CreationOptional<string>;
  declare views: CreationOptional<number>;

  override toString(): string {
    return this.title;
  }
}
class PlainArticle extends Article {}
class TimelineArticle extends Article {}
class PaperArticle extends Article {}

type Variant = 'untracked' | 'timeline' | 'paper-trail';
type ArticleModel = ModelStatic<Article>;
interface Size {
  readonly pairs: number;
  readonly rows: number;
}
interface Workload {
  readonly label: string;
  readonly run: (model: ArticleModel, variant: Variant, size: Size) => Promise<void>;
}

const database = await openBenchDatabase('timeline_bench', { pool: { max: 5 } });
try {
  await main(database.sequelize);
} finally {
  await database.close();
}

async function main(db: Sequelize): Promise<void> {
  const { user } = await createTimelineSchema(db, 'tracking');
  for (const [model, table] of [
    [PlainArticle, 'bench_plain_articles'],
    [TimelineArticle, 'bench_timeline_articles'],
    [PaperArticle, 'bench_paper_articles'],
  ] as const) {
    initArticle(model, table, db);
  }
  withTimeline(TimelineArticle);
  const paperTrail = setUpPaperTrail(db);

  const variants: Array<[Variant, ArticleModel]> = [
    ['untracked', PlainArticle],
    ['timeline', TimelineArticle],
    ...(paperTrail.ok ? ([['paper-trail', PaperArticle]] as Array<[Variant, ArticleModel]>) : []),
  ];
  const workloads = defineWorkloads(db);
  const timings = new Samples();
  console.log(`bench:tracking ${QUICK ? '(quick) ' : ''}- ${SIZE.repeats} repeats, median reported; PostgreSQL ${await serverVersion(db)}`);
  await runRepeat(db, workloads, variants, { pairs: 20, rows: 100 }, null, user); // warm-up, not timed
  for (let repeat = 1; repeat <= SIZE.repeats; repeat += 1) {
    await runRepeat(db, workloads, variants, SIZE, timings, user);
    process.stderr.write(`  repeat ${repeat}/${SIZE.repeats} done\n`);
  }
  await checkLogs(db, user);
  printTable(workloads, timings, paperTrail);
  await printFloors(db, timings);
}

function initArticle(model: ModelStatic<Article>, tableName: string, db: Sequelize): void {
  (model as typeof Article).init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      title: { type: DataTypes.STRING(200), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { sequelize: db, tableName, underscored: true },
  );
}

/** sequelize-paper-trail 3.x: `init(sequelize, options).defineModels()`, then `Model.hasPaperTrail()`. */
function setUpPaperTrail(db: Sequelize): { ok: true } | { ok: false; reason: string } {
  try {
    const paperTrail = createRequire(import.meta.url)('sequelize-paper-trail') as {
      init(sequelize: Sequelize, options: object): { defineModels(): unknown };
    };
    paperTrail.init(db, { enableMigration: false, enableRevisionChangeModel: false }).defineModels();
    (PaperArticle as unknown as { hasPaperTrail(): unknown }).hasPaperTrail();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function defineWorkloads(db: Sequelize): Workload[] {
  const bulkOptions = (variant: Variant) => ({ individualHooks: variant === 'paper-trail' });
  const workloads: Workload[] = [
    {
      label: 'create+update pairs, each in a transaction',
      run: async (model, _variant, size) => {
        for (let index = 0; index < size.pairs; index += 1) {
          await db.transaction(async (transaction) => {
            const article = await model.create({ title: `Article ${index}`, body: 'Lorem ipsum' }, { transaction });
            await article.update({ title: `Article ${index} (edited)`, views: 1 }, { transaction });
          });
        }
      },
    },
    {
      label: 'bulkCreate rows',
      run: async (model, variant, size) => {
        const rows = Array.from({ length: size.rows }, (_, index) => ({ title: `Bulk ${index}`, body: 'Lorem ipsum dolor sit amet' }));
        await model.bulkCreate(rows, bulkOptions(variant));
      },
    },
    {
      label: 'Model.update of all bulk rows',
      run: async (model, variant) => {
        await model.update({ body: 'Updated in bulk', views: 2 }, { where: { title: { [Op.like]: 'Bulk %' } }, ...bulkOptions(variant) });
      },
    },
  ];
  return workloads;
}

async function runRepeat(
  db: Sequelize,
  workloads: readonly Workload[],
  variants: ReadonlyArray<[Variant, ArticleModel]>,
  size: Size,
  timings: Samples | null,
  user: Model,
): Promise<void> {
  await db.query(
    'TRUNCATE bench_plain_articles, bench_timeline_articles, bench_paper_articles, "Revisions", timeline_logs RESTART IDENTITY',
  );
  for (const workload of workloads) {
    for (const [variant, model] of variants) {
      const started = performance.now();
      if (variant === 'timeline') await runWithTimelineUser(user, () => workload.run(model, variant, size));
      else await workload.run(model, variant, size);
      const elapsed = performance.now() - started;
      if (timings === null) continue;
      timings.add(`${workload.label}|${variant}`, elapsed);
    }
  }
}

/** The tracked variant must have logged every change (so the timing is not of a no-op). */
async function checkLogs(db: Sequelize, user: Model): Promise<void> {
  const expected = SIZE.pairs * 2 + SIZE.rows * 2;
  const logs = await TimelineLog.count({ where: { contentType: 'TimelineArticle', userId: user.get('id') as number } });
  if (logs !== expected) throw new Error(`withTimeline wrote ${logs} logs in the last repeat, expected ${expected}`);
  console.log(`last repeat wrote ${logs} timeline logs and ${await revisionCount(db)} paper-trail revisions`);
  await db.query('TRUNCATE bench_paper_articles, "Revisions" RESTART IDENTITY');
  await PaperArticle.bulkCreate([{ title: 'Silent 1' }, { title: 'Silent 2' }]);
  await PaperArticle.update({ body: 'x' }, { where: { title: { [Op.like]: 'Silent %' } } });
  console.log(
    `sequelize-paper-trail without individualHooks: bulkCreate of 2 rows + Model.update of 2 rows wrote ${await revisionCount(db)} revisions`,
  );
}

async function revisionCount(db: Sequelize): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Revisions"', { type: QueryTypes.SELECT });
  return rows[0]?.n ?? 0;
}

function printTable(workloads: readonly Workload[], timings: Samples, paperTrail: { ok: boolean; reason?: string }): void {
  const label = (workload: Workload): string =>
    workload.label.startsWith('create')
      ? `${SIZE.pairs} ${workload.label}`
      : workload.label.replace(/(all bulk )?rows/, `${SIZE.rows} rows`);
  const header = [
    'workload',
    'untracked',
    'withTimeline',
    'paper-trail',
    'timeline / untracked',
    'paper-trail / untracked',
    'paper-trail / timeline',
  ];
  const rows = workloads.map((workload) => {
    const get = (variant: Variant): number | null => timings.median(`${workload.label}|${variant}`);
    const [plain, timeline, paper] = [get('untracked'), get('timeline'), get('paper-trail')];
    const ms = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(0)} ms`);
    const ratio = (a: number | null, b: number | null): string => (a === null || b === null ? 'n/a' : `${(a / b).toFixed(2)}x`);
    return [label(workload), ms(plain), ms(timeline), ms(paper), ratio(timeline, plain), ratio(paper, plain), ratio(paper, timeline)];
  });
  console.log(`\n${markdownTable(header, rows, { right: [1, 2, 3, 4, 5, 6] })}`);
  console.log('\npaper-trail runs bulk work with individualHooks: true (it logs nothing without them).');
  if (!paperTrail.ok) console.log(`sequelize-paper-trail could not run: ${paperTrail.reason}`);
}

/**
 * PostgreSQL's own time to write the logs of a bulk workload: the last repeat's 10,000 logs of
 * each bulk event copied by one `INSERT ... SELECT` into the log table (same indexes and user
 * foreign key), rolled back, median of 5. The tracked call cannot beat untracked + this.
 */
async function printFloors(db: Sequelize, timings: Samples): Promise<void> {
  const columns = 'content_type, object_id, object_repr, "timestamp", user_id, user_repr, template, extra_data, event';
  const copy = `INSERT INTO timeline_logs (${columns}) SELECT ${columns} FROM timeline_logs WHERE content_type = 'TimelineArticle' AND event = $1 AND object_repr LIKE 'Bulk %'`;
  const rows: string[][] = [];
  for (const [event, label] of [
    ['created', 'bulkCreate rows'],
    ['updated', 'Model.update of all bulk rows'],
  ] as const) {
    const samples: number[] = [];
    for (let repeat = 0; repeat < 5; repeat += 1) {
      const transaction = await db.transaction();
      try {
        const started = performance.now();
        await db.query(copy, { bind: [event], transaction });
        samples.push(performance.now() - started);
      } finally {
        await transaction.rollback();
      }
    }
    const insert = samples.sort((a, b) => a - b)[2] as number;
    const plain = timings.median(`${label}|untracked`);
    const tracked = timings.median(`${label}|timeline`);
    if (plain === null || tracked === null) continue;
    const name = label.replace(/(all bulk )?rows/, `${SIZE.rows} rows`);
    const ratio = (value: number): string => `${value.toFixed(2)}x`;
    rows.push([name, `${plain.toFixed(0)} ms`, `${insert.toFixed(0)} ms`, ratio((plain + insert) / plain), ratio(tracked / plain)]);
  }
  console.log('\nThe floor: PostgreSQL inserting the same logs alone (one INSERT ... SELECT, rolled back, median of 5)\n');
  const header = ['workload', 'untracked', 'log INSERT alone', '(untracked + INSERT) / untracked', 'withTimeline / untracked'];
  console.log(markdownTable(header, rows, { right: [1, 2, 3, 4] }));
}
