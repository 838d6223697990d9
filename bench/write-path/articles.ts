import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** The bench's article: the shape of bench/migrations/write-path, labelled by its title. */
export class Article extends Model<InferAttributes<Article>, InferCreationAttributes<Article>> {
  declare id: CreationOptional<number>;
  declare title: string;
  declare body: CreationOptional<string>;
  declare views: CreationOptional<number>;

  override toString(): string {
    return this.title;
  }
}

/** Updated by an untracked `Model.update`. */
export class PlainArticle extends Article {}
/** Updated by a `Model.update` tracked by `withTimeline`. */
export class TrackedArticle extends Article {}

/** The table the hand-written statement updates (no model: it is plain SQL). */
export const SQL_ARTICLES_TABLE = 'bench_write_sql_articles';

/**
 * Binds the two article models to their tables.
 *
 * @example
 * ```ts
 * defineArticles(sequelize);
 * withTimeline(TrackedArticle);
 * ```
 */
export function defineArticles(db: Sequelize): void {
  for (const [model, tableName] of [
    [PlainArticle, 'bench_write_plain_articles'],
    [TrackedArticle, 'bench_write_tracked_articles'],
  ] as const) {
    (model as ModelStatic<Article>).init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { sequelize: db, tableName, underscored: true },
    );
  }
}
