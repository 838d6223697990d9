'use strict';

/**
 * The demo data set: four users (password "demo"), blog posts, shop items, invoices and a few
 * hundred timeline logs spread over the last 60 days. Deterministic (seeded random numbers),
 * so every fresh demo looks the same. Needs the demo schema (examples/migrations) and the
 * timeline table (migrations/).
 *
 * @type {{ up: (qi: import('sequelize').QueryInterface) => Promise<void>, down: (qi: import('sequelize').QueryInterface) => Promise<void> }}
 */
const { randomBytes, scryptSync } = require('node:crypto');

const DAY = 86_400_000;
const USERS = [
  { username: 'alice', email: 'alice@example.com', is_staff: true, is_superuser: true },
  { username: 'bob', email: 'bob@example.com', is_staff: true, is_superuser: false },
  { username: 'carol', email: 'carol@example.com', is_staff: false, is_superuser: false },
  { username: 'dave', email: 'dave@example.com', is_staff: false, is_superuser: false },
];
const POST_TITLES = [
  'New blog entry',
  'Spring collection is here',
  'How we roast our coffee',
  'Opening hours over the holidays',
  'Meet the team',
  'Ten tips for better espresso',
  'Our new shop in Utrecht',
  'Behind the scenes: packaging',
  'Customer stories: Café Noord',
  'Why we switched to oat milk',
  'A visit to the farm',
  'Price update',
];
const ITEMS = [
  ['Espresso beans 1 kg', '24.90'],
  ['Filter coffee 500 g', '11.50'],
  ['Ceramic mug', '9.95'],
  ['Pour-over kit', '39.00'],
  ['Milk frother', '54.50'],
  ['Gift card', '25.00'],
  ['Travel tumbler', '19.95'],
  ['Decaf beans 500 g', '12.75'],
];
const PAYMENT_METHODS = ['iDEAL', 'credit card', 'PayPal', 'bank transfer'];

module.exports = {
  async up(queryInterface) {
    const sequelize = queryInterface.sequelize;
    const random = mulberry32(20160701);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const now = Date.now();
    const table = timelineTable(queryInterface);

    await sequelize.transaction(async (transaction) => {
      const users = await queryInterface.bulkInsert(
        'users',
        USERS.map((user) => ({ ...user, password_hash: hashPassword('demo'), is_active: true })),
        { transaction, returning: ['id', 'username'] },
      );
      const posts = await queryInterface.bulkInsert(
        'posts',
        POST_TITLES.map((title, index) => ({
          title,
          body: `${title}. Lorem ipsum dolor sit amet, consectetur adipiscing elit.`,
          author_id: users[index % users.length].id,
          created_at: new Date(now - (60 - index * 4) * DAY),
          updated_at: new Date(now - (60 - index * 4) * DAY),
        })),
        { transaction, returning: ['id', 'title'] },
      );
      const items = await queryInterface.bulkInsert(
        'items',
        ITEMS.map(([name, price]) => ({ name, price, stock: 20 + Math.floor(random() * 80) })),
        { transaction, returning: ['id', 'name', 'price'] },
      );

      const logs = [];
      const log = (fields) => logs.push({ extra_data: null, event: null, ...fields });
      const userColumns = (user) => (user ? { user_id: user.id, user_repr: user.username } : { user_id: null, user_repr: null });
      const at = (daysAgo) => new Date(now - daysAgo * DAY - Math.floor(random() * DAY));

      posts.forEach((post, index) => {
        const author = users[index % users.length];
        const created = 60 - index * 4;
        log({
          content_type: 'Post',
          object_id: String(post.id),
          object_repr: post.title,
          timestamp: at(created),
          ...userColumns(author),
          template: 'timeline_logger/created.ejs',
          event: 'created',
          extra_data: { changes: { title: [null, post.title] } },
        });
        for (let edit = 0; edit < 3 + Math.floor(random() * 6); edit += 1) {
          const fields = random() < 0.5 ? ['body'] : ['title', 'body'];
          log({
            content_type: 'Post',
            object_id: String(post.id),
            object_repr: post.title,
            timestamp: at(Math.max(0, created - 1 - edit * 2)),
            ...userColumns(pick(users)),
            template: 'timeline_logger/updated.ejs',
            event: 'updated',
            extra_data: { changes: Object.fromEntries(fields.map((field) => [field, [`old ${field}`, `new ${field}`]])) },
          });
        }
        for (let view = 0; view < 4; view += 1) {
          log({
            content_type: 'Post',
            object_id: String(post.id),
            object_repr: post.title,
            timestamp: at(Math.floor(random() * created)),
            ...userColumns(random() < 0.5 ? null : pick(users)),
            template: 'timeline_logger/default.ejs',
            event: 'viewed',
          });
        }
      });

      const removed = { content_type: 'Post', object_id: '9999', object_repr: 'Draft: summer menu' };
      log({ ...removed, timestamp: at(30), ...userColumns(users[1]), template: 'timeline_logger/created.ejs', event: 'created' });
      log({ ...removed, timestamp: at(29), ...userColumns(users[0]), template: 'timeline_logger/deleted.ejs', event: 'deleted' });

      const invoices = [];
      for (let index = 0; index < 150; index += 1) {
        const item = pick(items);
        const buyer = pick(users);
        const quantity = 1 + Math.floor(random() * 3);
        const total = (Number(item.price) * quantity).toFixed(2);
        const paymentMethod = pick(PAYMENT_METHODS);
        const timestamp = at(Math.floor(random() * 58));
        invoices.push({
          item_id: item.id,
          user_id: buyer.id,
          quantity,
          payment_method: paymentMethod,
          total,
          created_at: timestamp,
          updated_at: timestamp,
        });
        log({
          content_type: 'Item',
          object_id: String(item.id),
          object_repr: item.name,
          timestamp,
          ...userColumns(buyer),
          template: 'demo/purchase.ejs',
          event: 'purchased',
          extra_data: { quantity, paymentMethod, total },
        });
      }
      await queryInterface.bulkInsert('invoices', invoices, { transaction });

      items.forEach((item) => {
        log({
          content_type: 'Item',
          object_id: String(item.id),
          object_repr: item.name,
          timestamp: at(59),
          ...userColumns(users[0]),
          template: 'timeline_logger/updated.ejs',
          event: 'updated',
          extra_data: { changes: { price: ['0.00', item.price], stock: [0, 50] } },
        });
      });

      logs.sort((a, b) => a.timestamp - b.timestamp);
      await queryInterface.bulkInsert(
        table,
        logs.map((row) => ({
          ...row,
          extra_data: row.extra_data === null ? null : JSON.stringify(row.extra_data),
        })),
        { transaction },
      );
    });
  },

  async down(queryInterface) {
    await queryInterface.bulkDelete(timelineTable(queryInterface), {});
    for (const table of ['invoices', 'items', 'posts', 'users']) await queryInterface.bulkDelete(table, {});
  },
};

function timelineTable(queryInterface) {
  const model = queryInterface.sequelize.models.TimelineLog;
  return model ? model.getTableName() : process.env.TIMELINE_LOGGER_TABLE || 'timeline_logs';
}

function hashPassword(password) {
  const salt = randomBytes(16).toString('hex');
  return `scrypt$${salt}$${scryptSync(password, salt, 32).toString('hex')}`;
}

/** A small seeded PRNG, so the demo data is the same on every machine. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
