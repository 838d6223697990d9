'use strict';

/**
 * Creates the seals table (SPEC §11), `<table>_seals` next to the timeline table: the links of
 * the chain that `TimelineLog.seal()` extends and `TimelineLog.verify()` recomputes (see
 * docs/tamper-evidence.md). Each row is one link, numbered from 1 in `id`:
 *
 * - `kind = 'seal'`: the logs with `after_id < id <= through_id`, as `entries` (per log, in id
 *   order: its id and timestamp in microseconds as signed 64-bit big-endian integers, then the
 *   SHA-256 of its canonical row, 48 bytes; stored out of line, uncompressed) and
 *   `entries_sha256` (their SHA-256); `columns` the columns sealed, in order; `latest_at` the
 *   newest sealed timestamp in microseconds;
 * - `kind = 'retention'`: a prune, written before it deletes: logs sealed with `timestamp <=
 *   cutoff` (every log when `cutoff` is null) may be gone. Prune then clears `entries` of the
 *   seals all of whose logs it may remove (`entries_sha256` stays, so the chain still verifies);
 * - `mac`: HMAC-SHA256 keyed by `sealKey` (or SHA-256 without one, `algorithm`) over the
 *   previous link's `mac` and this link's columns; `key_id` names the key without revealing it.
 *
 * The table name is the setup's `tableName` (else TIMELINE_LOGGER_TABLE, else `timeline_logs`)
 * followed by `_seals`.
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query(
      `CREATE TABLE IF NOT EXISTS ${sealsTable(queryInterface)} (
        "id" BIGINT PRIMARY KEY CHECK ("id" > 0),
        "kind" VARCHAR(16) NOT NULL CHECK ("kind" IN ('seal', 'retention')),
        "sealed_at" TIMESTAMPTZ NOT NULL,
        "after_id" BIGINT NULL,
        "through_id" BIGINT NULL,
        "logs" INTEGER NOT NULL DEFAULT 0,
        "columns" TEXT[] NULL,
        "latest_at" BIGINT NULL,
        "cutoff" TIMESTAMPTZ NULL,
        "entries" BYTEA NULL,
        "entries_sha256" BYTEA NULL,
        "algorithm" VARCHAR(16) NOT NULL,
        "key_id" VARCHAR(32) NULL,
        "mac" BYTEA NOT NULL
      )`,
    );
    // Entries are two thirds SHA-256 digests: they never compress, and trying cost a 10,000-log
    // seal's INSERT two thirds of its time. EXTERNAL keeps them out of line without trying.
    await queryInterface.sequelize.query(`ALTER TABLE ${sealsTable(queryInterface)} ALTER COLUMN "entries" SET STORAGE EXTERNAL`);
  },

  async down(queryInterface) {
    await queryInterface.sequelize.query(`DROP TABLE IF EXISTS ${sealsTable(queryInterface)}`);
  },
};

function quote(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

/** The seals table (quoted, with the timeline table's schema). */
function sealsTable(queryInterface) {
  const model = queryInterface.sequelize.models && queryInterface.sequelize.models.TimelineLog;
  const given = model ? model.getTableName() : process.env.TIMELINE_LOGGER_TABLE || 'timeline_logs';
  const name = typeof given === 'string' ? given : given.tableName;
  const schema = typeof given === 'string' ? null : given.schema || null;
  return `${schema ? `${quote(schema)}.` : ''}${quote(`${name}_seals`)}`;
}
