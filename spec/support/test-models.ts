/**
 * The specs' own app models, as an app using the library would have them: users who act and
 * receive digests, posts and items the logs are about, and invoices with a UUID key. Their tables
 * come from spec/support/migrations/test-schema/. The demo app (examples/) has models of the same
 * shape, but the specs do not depend on it, so the demo can change freely.
 */
import { fileURLToPath } from 'node:url';
import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The migrations creating the tables of {@link defineTestModels} (users, posts, items, invoices). */
export const TEST_MODELS_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/test-schema/', import.meta.url));

/** A user: the actor of logs, and a digest recipient (staff, superuser, active). Its `toString()` is its label. */
export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare username: string;
  declare email: CreationOptional<string>;
  declare passwordHash: string;
  declare isStaff: CreationOptional<boolean>;
  declare isSuperuser: CreationOptional<boolean>;
  declare isActive: CreationOptional<boolean>;

  override toString(): string {
    return this.username;
  }
}

/** A post, labelled by its title (which must not be empty). */
export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<number>;
  declare title: string;
  declare body: CreationOptional<string>;
  declare authorId: number | null;

  override toString(): string {
    return this.title;
  }
}

/** An item, with no `toString()` of its own (so it gets the library's default label). */
export class Item extends Model<InferAttributes<Item>, InferCreationAttributes<Item>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare price: string;
  declare stock: CreationOptional<number>;
}

/** A purchase of an item, with a UUID primary key. */
export class Invoice extends Model<InferAttributes<Invoice>, InferCreationAttributes<Invoice>> {
  declare id: CreationOptional<string>;
  declare itemId: number;
  declare userId: number | null;
  declare quantity: CreationOptional<number>;
  declare paymentMethod: string;
  declare total: string;

  override toString(): string {
    return `Invoice ${this.id.slice(0, 8)}`;
  }
}

/** The test models, bound to one Sequelize instance. */
export interface TestModels {
  User: typeof User;
  Post: typeof Post;
  Item: typeof Item;
  Invoice: typeof Invoice;
}

/**
 * Binds the test models to `sequelize` (the tables must exist: run
 * {@link TEST_MODELS_MIGRATIONS_DIR}'s migrations).
 *
 * @example
 * ```ts
 * const { User, Post } = defineTestModels(sequelize);
 * await createMigrator(sequelize, { folder: TEST_MODELS_MIGRATIONS_DIR }).up();
 * ```
 */
export function defineTestModels(sequelize: Sequelize): TestModels {
  const common = { sequelize, underscored: true, timestamps: true };
  User.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      username: { type: DataTypes.STRING(150), allowNull: false, unique: true },
      email: { type: DataTypes.STRING(254), allowNull: false, defaultValue: '' },
      passwordHash: { type: DataTypes.STRING(200), allowNull: false },
      isStaff: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      isSuperuser: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    },
    { ...common, tableName: 'users' },
  );
  Post.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      title: { type: DataTypes.STRING(200), allowNull: false, validate: { notEmpty: true } },
      body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      authorId: { type: DataTypes.INTEGER, allowNull: true },
    },
    { ...common, tableName: 'posts' },
  );
  Item.init(
    {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      name: { type: DataTypes.STRING(200), allowNull: false },
      price: { type: DataTypes.DECIMAL(10, 2), allowNull: false },
      stock: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { ...common, tableName: 'items' },
  );
  Invoice.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      itemId: { type: DataTypes.INTEGER, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      paymentMethod: { type: DataTypes.STRING(40), allowNull: false },
      total: { type: DataTypes.DECIMAL(10, 2), allowNull: false },
    },
    { ...common, tableName: 'invoices' },
  );
  return { User, Post, Item, Invoice };
}
