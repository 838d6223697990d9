'use strict';

/**
 * Tables of bench/write-path.ts: the same `articles` shape three times, one per way of updating
 * 10,000 rows: untracked `Model.update`, tracked `Model.update`, and the hand-written statement.
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface, S: typeof import('sequelize').Sequelize) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface, Sequelize) {
    for (const table of TABLES) {
      await queryInterface.createTable(table, {
        id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
        title: { type: Sequelize.STRING(200), allowNull: false },
        body: { type: Sequelize.TEXT, allowNull: false, defaultValue: '' },
        views: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: { type: Sequelize.DATE, allowNull: false },
        updated_at: { type: Sequelize.DATE, allowNull: false },
      });
    }
  },

  async down(queryInterface) {
    for (const table of TABLES) await queryInterface.dropTable(table);
  },
};

const TABLES = ['bench_write_plain_articles', 'bench_write_tracked_articles', 'bench_write_sql_articles'];
