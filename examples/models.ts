import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A demo user. Its `toString()` is the label timeline messages show. */
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

/** A blog post. */
export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<number>;
  declare title: string;
  declare body: CreationOptional<string>;
  declare authorId: number | null;

  override toString(): string {
    return this.title;
  }
}

/** Something the shop sells. */
export class Item extends Model<InferAttributes<Item>, InferCreationAttributes<Item>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare price: string;
  declare stock: CreationOptional<number>;
}

/** A purchase of an item (UUID primary key). */
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

/** The demo's models, bound to `sequelize` (the tables come from examples/migrations). */
export interface DemoModels {
  User: typeof User;
  Post: typeof Post;
  Item: typeof Item;
  Invoice: typeof Invoice;
}

/** Binds the demo models to `sequelize`. */
export function defineDemoModels(sequelize: Sequelize): DemoModels {
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
