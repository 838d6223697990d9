'use strict';

/**
 * Test-only tables for the withTimeline specs: a UUID key (gadgets), a string key (countries),
 * a paranoid model (memos), and every value type the change set serialises, with
 * secret-looking fields (accounts).
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface, S: typeof import('sequelize').Sequelize) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface, Sequelize) {
    const timestamps = {
      created_at: { type: Sequelize.DATE, allowNull: false },
      updated_at: { type: Sequelize.DATE, allowNull: false },
    };
    await queryInterface.createTable('gadgets', {
      id: { type: Sequelize.UUID, primaryKey: true, defaultValue: Sequelize.literal('gen_random_uuid()') },
      name: { type: Sequelize.STRING(100), allowNull: false },
      ...timestamps,
    });
    await queryInterface.createTable('countries', {
      code: { type: Sequelize.STRING(2), primaryKey: true },
      name: { type: Sequelize.STRING(100), allowNull: false },
    });
    await queryInterface.createTable('memos', {
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      text: { type: Sequelize.TEXT, allowNull: false },
      ...timestamps,
      deleted_at: { type: Sequelize.DATE, allowNull: true },
    });
    await queryInterface.createTable('accounts', {
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      name: { type: Sequelize.STRING(100), allowNull: false },
      settings: { type: Sequelize.JSONB, allowNull: true },
      born_on: { type: Sequelize.DATEONLY, allowNull: true },
      last_seen_at: { type: Sequelize.DATE, allowNull: true },
      balance: { type: Sequelize.DECIMAL(12, 2), allowNull: true },
      visits: { type: Sequelize.BIGINT, allowNull: true },
      tags: { type: Sequelize.ARRAY(Sequelize.TEXT), allowNull: true },
      password: { type: Sequelize.STRING(200), allowNull: true },
      api_token: { type: Sequelize.STRING(200), allowNull: true },
      client_secret: { type: Sequelize.STRING(200), allowNull: true },
      ...timestamps,
    });
  },

  async down(queryInterface) {
    for (const table of ['accounts', 'memos', 'countries', 'gadgets']) await queryInterface.dropTable(table);
  },
};
