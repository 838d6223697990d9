'use strict';

/**
 * The demo app's own tables: users, posts, items and invoices. The demo runs these before the
 * package's migration so the timeline's user foreign key can reference `users`.
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface, S: typeof import('sequelize').Sequelize) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
module.exports = {
  async up(queryInterface, Sequelize) {
    const timestamps = {
      created_at: { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.literal('CURRENT_TIMESTAMP') },
      updated_at: { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.literal('CURRENT_TIMESTAMP') },
    };
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.createTable(
        'users',
        {
          id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
          username: { type: Sequelize.STRING(150), allowNull: false, unique: true },
          email: { type: Sequelize.STRING(254), allowNull: false, defaultValue: '' },
          password_hash: { type: Sequelize.STRING(200), allowNull: false },
          is_staff: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false },
          is_superuser: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: false },
          is_active: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: true },
          ...timestamps,
        },
        { transaction },
      );
      await queryInterface.createTable(
        'posts',
        {
          id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
          title: { type: Sequelize.STRING(200), allowNull: false },
          body: { type: Sequelize.TEXT, allowNull: false, defaultValue: '' },
          author_id: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
          ...timestamps,
        },
        { transaction },
      );
      await queryInterface.createTable(
        'items',
        {
          id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
          name: { type: Sequelize.STRING(200), allowNull: false },
          price: { type: Sequelize.DECIMAL(10, 2), allowNull: false },
          stock: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 0 },
          ...timestamps,
        },
        { transaction },
      );
      await queryInterface.createTable(
        'invoices',
        {
          id: { type: Sequelize.UUID, primaryKey: true, defaultValue: Sequelize.literal('gen_random_uuid()') },
          item_id: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'items', key: 'id' } },
          user_id: { type: Sequelize.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
          quantity: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 1 },
          payment_method: { type: Sequelize.STRING(40), allowNull: false },
          total: { type: Sequelize.DECIMAL(10, 2), allowNull: false },
          ...timestamps,
        },
        { transaction },
      );
    });
  },

  async down(queryInterface) {
    for (const table of ['invoices', 'items', 'posts', 'users']) await queryInterface.dropTable(table);
  },
};
