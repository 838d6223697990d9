'use strict';

/**
 * Creates the timeline_logs table (SPEC §2) with its three indexes.
 *
 * The user foreign key follows the configured user model: run through `migrateTimeline()` after
 * `setupTimeline(sequelize, { userModel })`, `user_id` takes the user key's type and references
 * its table. Run through sequelize-cli (no setup), it references the table named by
 * TIMELINE_LOGGER_USER_TABLE (key TIMELINE_LOGGER_USER_KEY, default `id`), else a `users` table
 * with an `id` column when there is one, else it is a plain BIGINT.
 * The table name is the setup's `tableName`, else TIMELINE_LOGGER_TABLE, else `timeline_logs`.
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface, S: typeof import('sequelize').Sequelize) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      const table = timelineTable(queryInterface);
      const userColumn = await userIdColumn(queryInterface, Sequelize, transaction);
      await queryInterface.createTable(
        table,
        {
          id: { type: Sequelize.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
          content_type: { type: Sequelize.STRING(255), allowNull: true },
          object_id: { type: Sequelize.TEXT, allowNull: true },
          object_repr: { type: Sequelize.TEXT, allowNull: true },
          timestamp: { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.literal('CURRENT_TIMESTAMP') },
          user_id: userColumn,
          user_repr: { type: Sequelize.TEXT, allowNull: true },
          template: {
            type: Sequelize.STRING(200),
            allowNull: false,
            defaultValue: 'timeline_logger/default.ejs',
          },
          extra_data: { type: Sequelize.JSONB, allowNull: true },
          event: { type: Sequelize.STRING(64), allowNull: true },
        },
        { transaction },
      );
      const indexes = [
        ['object', ['content_type', 'object_id', desc('timestamp'), desc('id')]],
        ['user', ['user_id', desc('timestamp'), desc('id')]],
        ['timestamp', [desc('timestamp'), desc('id')]],
      ];
      for (const [suffix, fields] of indexes) {
        await queryInterface.addIndex(table, fields, { name: `${table}_${suffix}_idx`, transaction });
      }
    });
  },

  async down(queryInterface) {
    await queryInterface.dropTable(timelineTable(queryInterface));
  },
};

function desc(name) {
  return { name, order: 'DESC' };
}

function timelineModel(queryInterface) {
  const models = queryInterface.sequelize.models;
  return models && models.TimelineLog ? models.TimelineLog : null;
}

function timelineTable(queryInterface) {
  const model = timelineModel(queryInterface);
  if (model) return model.getTableName();
  return process.env.TIMELINE_LOGGER_TABLE || 'timeline_logs';
}

async function userIdColumn(queryInterface, Sequelize, transaction) {
  const model = timelineModel(queryInterface);
  const attribute = model ? model.getAttributes().userId : null;
  if (attribute) {
    if (!attribute.references) return { type: attribute.type, allowNull: true };
    return {
      type: attribute.type,
      allowNull: true,
      references: attribute.references,
      onDelete: 'SET NULL',
      onUpdate: 'CASCADE',
    };
  }
  const target = await conventionalUserTable(queryInterface, transaction);
  if (!target) return { type: Sequelize.BIGINT, allowNull: true };
  return {
    type: target.type,
    allowNull: true,
    references: { model: target.table, key: target.key },
    onDelete: 'SET NULL',
    onUpdate: 'CASCADE',
  };
}

async function conventionalUserTable(queryInterface, transaction) {
  const table = process.env.TIMELINE_LOGGER_USER_TABLE || 'users';
  const key = process.env.TIMELINE_LOGGER_USER_KEY || 'id';
  const explicit = Boolean(process.env.TIMELINE_LOGGER_USER_TABLE);
  let columns;
  try {
    columns = await queryInterface.describeTable(table, { transaction });
  } catch (error) {
    if (explicit) throw error;
    return null;
  }
  if (!columns[key]) {
    if (explicit) throw new Error(`TIMELINE_LOGGER_USER_TABLE ${table} has no column ${key}`);
    return null;
  }
  return { table, key, type: columns[key].type };
}
