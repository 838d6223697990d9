/**
 * Test models for the withTimeline specs (tables from spec/support/migrations/tracking/).
 */
import { fileURLToPath } from 'node:url';
import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrator.js';
import type { TimelineTracked } from '../../src/index.js';

const MIGRATIONS = fileURLToPath(new URL('./migrations/tracking/', import.meta.url));

/** UUID primary key. */
export class Gadget extends Model<InferAttributes<Gadget>, InferCreationAttributes<Gadget>> {
  declare id: CreationOptional<string>;
  declare name: string;
  declare getTimelineLogs: TimelineTracked['getTimelineLogs'];
}

/** String primary key, no timestamps. */
export class Country extends Model<InferAttributes<Country>, InferCreationAttributes<Country>> {
  declare code: string;
  declare name: string;
}

/** A paranoid model: destroy() sets deletedAt. */
export class Memo extends Model<InferAttributes<Memo>, InferCreationAttributes<Memo>> {
  declare id: CreationOptional<number>;
  declare text: string;
}

/** Every value type the change set serialises, and secret-looking fields. */
export class Account extends Model<InferAttributes<Account>, InferCreationAttributes<Account>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare settings: CreationOptional<Record<string, unknown> | null>;
  declare bornOn: CreationOptional<string | null>;
  declare lastSeenAt: CreationOptional<Date | null>;
  declare balance: CreationOptional<string | null>;
  declare visits: CreationOptional<string | null>;
  declare tags: CreationOptional<string[] | null>;
  declare password: CreationOptional<string | null>;
  declare apiToken: CreationOptional<string | null>;
  declare clientSecret: CreationOptional<string | null>;

  override toString(): string {
    return this.name;
  }
}

/** The test models, bound to `sequelize`. */
export interface TrackedModels {
  Gadget: typeof Gadget;
  Country: typeof Country;
  Memo: typeof Memo;
  Account: typeof Account;
}

/** Creates the test tables (migrations) and binds the models. */
export async function defineTrackedModels(sequelize: Sequelize): Promise<TrackedModels> {
  await createMigrator(sequelize, { folder: MIGRATIONS, storageTable: 'TrackingSpecMeta' }).up();
  const common = { sequelize, underscored: true };
  Gadget.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      name: { type: DataTypes.STRING(100), allowNull: false },
    },
    { ...common, tableName: 'gadgets' },
  );
  Country.init(
    {
      code: { type: DataTypes.STRING(2), primaryKey: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
    },
    { ...common, tableName: 'countries', timestamps: false },
  );
  Memo.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      text: { type: DataTypes.TEXT, allowNull: false },
    },
    { ...common, tableName: 'memos', paranoid: true },
  );
  Account.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      settings: { type: DataTypes.JSONB, allowNull: true },
      bornOn: { type: DataTypes.DATEONLY, allowNull: true },
      lastSeenAt: { type: DataTypes.DATE, allowNull: true },
      balance: { type: DataTypes.DECIMAL(12, 2), allowNull: true },
      visits: { type: DataTypes.BIGINT, allowNull: true },
      tags: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: true },
      password: { type: DataTypes.STRING(200), allowNull: true },
      apiToken: { type: DataTypes.STRING(200), allowNull: true },
      clientSecret: { type: DataTypes.STRING(200), allowNull: true },
    },
    { ...common, tableName: 'accounts' },
  );
  return { Gadget, Country, Memo, Account };
}
