'use strict';

/**
 * Adds `correlation_id VARCHAR(64) NULL` (SPEC §2, §12) and the index the timeline's
 * `?correlationId=` filter reads, `(correlation_id, timestamp DESC, id DESC)`, in a way that is
 * safe on a table with millions of rows that the app keeps writing to:
 *
 * - the column has no default, so adding it only changes the catalog (no table rewrite). It
 *   still needs a brief exclusive lock: `lock_timeout` makes the statement give up after 10
 *   seconds instead of queueing every writer behind a long-running transaction (run the
 *   migration again later when it does);
 * - the index is built with `CREATE INDEX CONCURRENTLY` outside any transaction, so writes go on
 *   while it is built (PostgreSQL cannot build a partitioned table's index concurrently: such a
 *   table gets a plain `CREATE INDEX`);
 * - it can run again: `IF NOT EXISTS` on both, and an INVALID index left by a build that failed
 *   or was cancelled is dropped and built again (`IF NOT EXISTS` alone would keep the broken one).
 *
 * The table name is the setup's `tableName`, else TIMELINE_LOGGER_TABLE, else `timeline_logs`.
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface) {
    const target = timelineTarget(queryInterface);
    const sequelize = queryInterface.sequelize;
    await sequelize.transaction(async (transaction) => {
      await sequelize.query("SET LOCAL lock_timeout = '10s'", { transaction });
      await sequelize.query(`ALTER TABLE ${target.table} ADD COLUMN IF NOT EXISTS "correlation_id" VARCHAR(64) NULL`, { transaction });
    });
    const existing = await indexState(sequelize, target);
    if (existing && !existing.valid) await run(sequelize, `DROP INDEX CONCURRENTLY IF EXISTS ${target.index}`);
    const concurrently = (await isPartitioned(sequelize, target)) ? '' : ' CONCURRENTLY';
    await run(
      sequelize,
      `CREATE INDEX${concurrently} IF NOT EXISTS ${quote(target.indexName)} ON ${target.table} ("correlation_id", "timestamp" DESC, "id" DESC)`,
    );
  },

  async down(queryInterface) {
    const target = timelineTarget(queryInterface);
    const sequelize = queryInterface.sequelize;
    const concurrently = (await isPartitioned(sequelize, target)) ? '' : ' CONCURRENTLY';
    await run(sequelize, `DROP INDEX${concurrently} IF EXISTS ${target.index}`);
    await run(sequelize, `ALTER TABLE ${target.table} DROP COLUMN IF EXISTS "correlation_id"`);
  },
};

/**
 * Runs a statement outside any transaction: `transaction: null` also keeps Sequelize's CLS
 * transaction (when an app enabled it) away, since CONCURRENTLY refuses to run inside one.
 */
async function run(sequelize, sql) {
  await sequelize.query(sql, { transaction: null });
}

function quote(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

/** The table (quoted, with its schema) and the index's name, quoted and bare. */
function timelineTarget(queryInterface) {
  const model = queryInterface.sequelize.models && queryInterface.sequelize.models.TimelineLog;
  const given = model ? model.getTableName() : process.env.TIMELINE_LOGGER_TABLE || 'timeline_logs';
  const name = typeof given === 'string' ? given : given.tableName;
  const schema = typeof given === 'string' ? null : given.schema || null;
  const prefix = schema ? `${quote(schema)}.` : '';
  const indexName = `${name}_correlation_idx`;
  return { table: `${prefix}${quote(name)}`, index: `${prefix}${quote(indexName)}`, indexName };
}

/** `{ valid }` of the index when it exists (an interrupted CONCURRENTLY build leaves it INVALID), else null. */
async function indexState(sequelize, target) {
  const [rows] = await sequelize.query('SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)', {
    bind: [target.index],
    transaction: null,
  });
  return rows.length === 0 ? null : { valid: rows[0].valid === true };
}

async function isPartitioned(sequelize, target) {
  const [rows] = await sequelize.query("SELECT c.relkind = 'p' AS partitioned FROM pg_class c WHERE c.oid = to_regclass($1)", {
    bind: [target.table],
    transaction: null,
  });
  return rows.length > 0 && rows[0].partitioned === true;
}
