import { TimelineLog } from '../../src/index.js';
import type { Sequelize } from 'sequelize';

/** How many rows of each kind the page-load bench's database holds besides the logs. */
export const SEED_SIZES = { users: 50, posts: 2_000, items: 40 } as const;

/**
 * Fills the demo's tables and `rows` logs, each with one `INSERT ... SELECT` over
 * `generate_series`, in the mix an app like the demo writes (every twenty logs):
 * 7 posts created and 5 updated (with their `changes`), 1 post deleted (its row gone, so the
 * snapshot labels it), 2 items updated, 3 purchases (`demo/purchase.ejs` with its extra data),
 * 1 `viewed` log about nothing and 1 plain `log(post)` with a reason. About one log in 53 has no
 * user and one in 29 a deleted user (only the snapshot label left). Logs are 157 s apart, newest
 * first from 2026-01-01, with distinct microseconds.
 *
 * @example
 * ```ts
 * await seedPageLogs(sequelize, 200_000);
 * ```
 */
export async function seedPageLogs(sequelize: Sequelize, rows: number): Promise<void> {
  const { users, posts, items } = SEED_SIZES;
  const table = TimelineLog.getTableName() as string;
  await sequelize.query(
    `INSERT INTO users (username, email, password_hash, is_staff, is_superuser, is_active, created_at, updated_at)
     SELECT 'user' || n, 'user' || n || '@example.com', 'not-a-password-hash', n = 1, n = 1, true, now(), now() FROM generate_series(1, ${users}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO posts (title, body, author_id, created_at, updated_at)
     SELECT 'Post number ' || n, 'Body of post ' || n, NULL, now(), now() FROM generate_series(1, ${posts}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO items (name, price, stock, created_at, updated_at)
     SELECT 'Item number ' || n, 9.95 + n, 10 + n, now(), now() FROM generate_series(1, ${items}) AS n`,
  );
  await sequelize.query(
    `INSERT INTO "${table}" (content_type, object_id, object_repr, timestamp, user_id, user_repr, template, extra_data, event)
     SELECT CASE WHEN k.kind = 'viewed' THEN NULL WHEN k.kind IN ('item', 'purchase') THEN 'Item' ELSE 'Post' END,
            CASE WHEN k.kind = 'viewed' THEN NULL
                 WHEN k.kind = 'deleted' THEN (${posts} + n)::text
                 WHEN k.kind IN ('item', 'purchase') THEN ((n * 7) % ${items} + 1)::text
                 ELSE ((n * 13) % ${posts} + 1)::text END,
            CASE WHEN k.kind = 'viewed' THEN NULL
                 WHEN k.kind = 'deleted' THEN 'Removed post ' || n
                 WHEN k.kind IN ('item', 'purchase') THEN 'Item number ' || ((n * 7) % ${items} + 1)
                 ELSE 'Post number ' || ((n * 13) % ${posts} + 1) END,
            timestamptz '2026-01-01 00:00:00+00' - n * interval '157 seconds' - (n % 997) * interval '1 microsecond',
            CASE WHEN n % 53 = 0 OR n % 29 = 0 THEN NULL ELSE n % ${users} + 1 END,
            CASE WHEN n % 53 = 0 THEN NULL WHEN n % 29 = 0 THEN 'former-user' ELSE 'user' || (n % ${users} + 1) END,
            CASE k.kind WHEN 'created' THEN 'timeline_logger/created.ejs'
                        WHEN 'deleted' THEN 'timeline_logger/deleted.ejs'
                        WHEN 'purchase' THEN 'demo/purchase.ejs'
                        WHEN 'viewed' THEN 'timeline_logger/default.ejs'
                        WHEN 'plain' THEN 'timeline_logger/default.ejs'
                        ELSE 'timeline_logger/updated.ejs' END,
            CASE k.kind
              WHEN 'created' THEN jsonb_build_object('changes', jsonb_build_object(
                'title', jsonb_build_array(NULL, 'Post number ' || n), 'body', jsonb_build_array(NULL, 'Body'), 'authorId', jsonb_build_array(NULL, n % ${users} + 1)))
              WHEN 'updated' THEN jsonb_build_object('changes', CASE WHEN n % 2 = 0
                THEN jsonb_build_object('title', jsonb_build_array('Draft ' || n, 'Post number ' || n))
                ELSE jsonb_build_object('title', jsonb_build_array('Draft ' || n, 'Post number ' || n), 'body', jsonb_build_array('Draft', 'Body')) END)
              WHEN 'item' THEN jsonb_build_object('changes', jsonb_build_object('stock', jsonb_build_array(11, 10), 'price', jsonb_build_array('10.95', '9.95')))
              WHEN 'purchase' THEN jsonb_build_object('quantity', n % 3 + 1, 'total', ((n % 3 + 1) * 9.95)::numeric(10, 2)::text,
                'paymentMethod', (ARRAY['iDEAL', 'credit card', 'PayPal', 'bank transfer'])[n % 4 + 1])
              WHEN 'plain' THEN jsonb_build_object('reason', 'typo')
            END,
            CASE k.kind WHEN 'item' THEN 'updated' WHEN 'purchase' THEN 'purchased' WHEN 'plain' THEN NULL ELSE k.kind END
     FROM generate_series(1, ${rows}) AS n
     CROSS JOIN LATERAL (SELECT CASE WHEN n % 20 < 7 THEN 'created' WHEN n % 20 < 12 THEN 'updated' WHEN n % 20 = 12 THEN 'deleted'
                                     WHEN n % 20 < 15 THEN 'item' WHEN n % 20 < 18 THEN 'purchase' WHEN n % 20 = 18 THEN 'viewed'
                                     ELSE 'plain' END AS kind) AS k`,
  );
  await sequelize.query(`VACUUM ANALYZE users, posts, items, "${table}"`);
}
