'use strict';

/**
 * Tables of bench/tracking.ts: the same `articles` shape three times (untracked, tracked by
 * withTimeline, tracked by sequelize-paper-trail, which also needs a `revision` column), and
 * sequelize-paper-trail's own `Revisions` table (its model `Revision`, camelCase columns).
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface, S: typeof import('sequelize').Sequelize) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface, Sequelize) {
    const article = (withRevision) => ({
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      title: { type: Sequelize.STRING(200), allowNull: false },
      body: { type: Sequelize.TEXT, allowNull: false, defaultValue: '' },
      views: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
      ...(withRevision ? { revision: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 } } : {}),
      created_at: { type: Sequelize.DATE, allowNull: false },
      updated_at: { type: Sequelize.DATE, allowNull: false },
    });
    await queryInterface.createTable('bench_plain_articles', article(false));
    await queryInterface.createTable('bench_timeline_articles', article(false));
    await queryInterface.createTable('bench_paper_articles', article(true));
    await queryInterface.createTable('Revisions', {
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      model: { type: Sequelize.TEXT, allowNull: false },
      document: { type: Sequelize.JSONB, allowNull: false },
      operation: { type: Sequelize.STRING(7) },
      documentId: { type: Sequelize.INTEGER, allowNull: false },
      revision: { type: Sequelize.INTEGER, allowNull: false },
      createdAt: { type: Sequelize.DATE, allowNull: false },
      updatedAt: { type: Sequelize.DATE, allowNull: false },
    });
  },

  async down(queryInterface) {
    for (const table of ['Revisions', 'bench_paper_articles', 'bench_timeline_articles', 'bench_plain_articles']) {
      await queryInterface.dropTable(table);
    }
  },
};
