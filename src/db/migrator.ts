import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Sequelize, type QueryInterface } from 'sequelize';
import { Umzug } from 'umzug';
import { PrimarySequelizeStorage } from './primary-sequelize-storage.js';

/** The package's `migrations/` folder. */
export const PACKAGE_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** The package's `seeders/` folder (the demo data set). */
export const PACKAGE_SEEDERS_DIR = fileURLToPath(new URL('../../seeders/', import.meta.url));

/** A migration or seeder file in sequelize-cli's format. */
interface SequelizeCliModule {
  up(queryInterface: QueryInterface, sequelize: typeof Sequelize): Promise<void>;
  down?(queryInterface: QueryInterface, sequelize: typeof Sequelize): Promise<void>;
}

/** Options of {@link createMigrator}. */
export interface MigratorOptions {
  /** Folder of sequelize-cli style files (`.cjs`, `.js`, `.mjs`), run in name order. */
  folder: string;
  /** Table recording what ran: `SequelizeMeta` for migrations and `SequelizeData` for seeders, like sequelize-cli. Defaults to `SequelizeMeta`. */
  storageTable?: string;
}

const RUNNABLE = /\.(c|m)?js$/;

/**
 * The models umzug defines for the tables recording what ran; they are bookkeeping, not content
 * types an app logs about.
 *
 * @example
 * ```ts
 * Object.keys(sequelize.models).filter((name) => !MIGRATION_STORAGE_MODELS.has(name));
 * ```
 */
export const MIGRATION_STORAGE_MODELS: ReadonlySet<string> = new Set(['SequelizeMeta', 'SequelizeData']);

/**
 * An umzug migrator over a folder of sequelize-cli style files, recorded by file name in the
 * same table sequelize-cli uses, so both tools agree on what has run.
 *
 * @example
 * ```ts
 * await createMigrator(sequelize, { folder: 'examples/migrations' }).up();
 * ```
 */
export function createMigrator(sequelize: Sequelize, options: MigratorOptions): Umzug<QueryInterface> {
  const folder = path.resolve(options.folder);
  const storageTable = options.storageTable ?? 'SequelizeMeta';
  const files = readdirSync(folder)
    .filter((file) => RUNNABLE.test(file))
    .sort();
  return new Umzug<QueryInterface>({
    context: sequelize.getQueryInterface(),
    // The model is named after its table: umzug reuses an existing model of the same name, so
    // seeders shared the migrations' SequelizeMeta model (and table) once migrations had run.
    // What has run is read from the primary, also when reads go to replicas.
    storage: new PrimarySequelizeStorage({ sequelize, tableName: storageTable, modelName: storageTable }),
    logger: undefined,
    migrations: files.map((name) => {
      const load = async (): Promise<SequelizeCliModule> => {
        const loaded = (await import(pathToFileURL(path.join(folder, name)).href)) as { default?: SequelizeCliModule } & SequelizeCliModule;
        return loaded.default ?? loaded;
      };
      return {
        name,
        path: path.join(folder, name),
        up: async ({ context }) => (await load()).up(context, Sequelize),
        down: async ({ context }) => {
          const module = await load();
          if (!module.down) throw new Error(`${name} has no down() and cannot be reverted`);
          await module.down(context, Sequelize);
        },
      };
    }),
  });
}
