/**
 * Source files of the scratch TypeScript app that consumer-install.spec.ts compiles the README
 * against. They are strings, not files of this repository, so the repository's own type check
 * never sees their globals nor resolves `timeline-logger` to the local dist/.
 */

/**
 * `src/models.ts`: the connection and models the README's example imports (`./models.js`), as a
 * consumer has them before adding timeline-logger, plus `getTimelineLogs` declared on a tracked
 * model as docs/tracking.md shows.
 */
export const CONSUMER_MODELS = `import { DataTypes, Model, Sequelize, type CreationOptional, type InferAttributes, type InferCreationAttributes } from 'sequelize';
import type { TimelineTracked } from 'timeline-logger';

export const sequelize = new Sequelize(process.env.DATABASE_URL ?? 'postgres://localhost/app');

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare username: string;
  declare isStaff: boolean;
}

User.init(
  {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    username: { type: DataTypes.STRING, allowNull: false },
    isStaff: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  },
  { sequelize, tableName: 'users' },
);

export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<number>;
  declare title: string;
  declare getTimelineLogs: TimelineTracked['getTimelineLogs'];
}

Post.init(
  {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    title: { type: DataTypes.STRING, allowNull: false },
  },
  { sequelize, tableName: 'posts' },
);

export class Invoice extends Model<InferAttributes<Invoice>, InferCreationAttributes<Invoice>> {
  declare id: CreationOptional<number>;
  declare amount: string;
}

Invoice.init(
  {
    id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
    amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false },
  },
  { sequelize, tableName: 'invoices' },
);
`;

/**
 * `src/readme-globals.ts`: what the README's shorter snippets take for granted (the app, a
 * request, a saved post, a user, the package's functions), declared as globals so that each
 * snippet compiles as its own module: whatever a snippet imports or declares itself shadows them.
 */
export const README_SNIPPET_GLOBALS = `import type { Express, Request, RequestHandler } from 'express';
import type { Transaction } from 'sequelize';
import type * as timelineLogger from 'timeline-logger';
import type * as models from './models.js';

declare global {
  const sequelize: typeof models.sequelize;
  const User: typeof models.User;
  const Post: typeof models.Post;
  const app: Express;
  const req: Request;
  const passport: { session(): RequestHandler };
  const post: models.Post;
  const invoice: models.Invoice;
  const currentUser: models.User;
  const admin: models.User;
  const importBot: models.User;
  const transaction: Transaction;
  const values: { title: string };
  const rows: { title: string }[];
  const log: timelineLogger.TimelineLog;
  const TimelineLog: typeof timelineLogger.TimelineLog;
  const setupTimeline: typeof timelineLogger.setupTimeline;
  const migrateTimeline: typeof timelineLogger.migrateTimeline;
  const timelineRouter: typeof timelineLogger.timelineRouter;
}

export {};
`;
