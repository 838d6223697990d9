import { SequelizeStorage } from 'umzug';

/**
 * umzug's `SequelizeStorage`, reading the names of the migrations that have run from the
 * primary. umzug's own reads them with a plain `findAll`, which Sequelize's `replication` sends
 * to a read replica: one that lags behind the primary (or has not replayed the storage table's
 * creation yet) made a migration fail with "relation does not exist", or run again.
 *
 * @example
 * ```ts
 * new Umzug({ storage: new PrimarySequelizeStorage({ sequelize, tableName: 'SequelizeMeta' }), ... });
 * ```
 */
export class PrimarySequelizeStorage extends SequelizeStorage {
  override async executed(): Promise<string[]> {
    await this.syncModel();
    const migrations = (await this.model.findAll({ order: [[this.columnName, 'ASC']], useMaster: true })) as Record<string, unknown>[];
    return migrations.map((migration) => {
      const name = migration[this.columnName];
      if (typeof name !== 'string') throw new TypeError(`Unexpected migration name type: expected string, got ${typeof name}`);
      return name;
    });
  }
}
