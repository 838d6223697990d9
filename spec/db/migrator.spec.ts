import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { migrateTimeline, setupTimeline } from '../../src/index.js';
import { createMigrator } from '../../src/db/migrator.js';
import { createTimelineFixture, type TimelineFixture } from '../support/timeline-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { defineTestModels, TEST_MODELS_MIGRATIONS_DIR } from '../support/test-models.js';

let fixture: TimelineFixture;
/** The package's migrations, in the order they run. */
const MIGRATIONS = [
  '20240101000000-create-timeline-logs.cjs',
  '20261204000000-add-correlation-id.cjs',
  '20261205000000-create-timeline-seals.cjs',
];

beforeAll(async () => {
  fixture = await createTimelineFixture();
});
afterAll(async () => {
  await fixture.db.drop();
});

async function select<T extends object>(db: TestDatabase, sql: string): Promise<T[]> {
  return db.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
}

describe('migrateTimeline', () => {
  it('creates every column of the data model with its type and nullability', async () => {
    const columns = await select<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null }>(
      fixture.db,
      `SELECT column_name, data_type, is_nullable, character_maximum_length
         FROM information_schema.columns WHERE table_name = 'timeline_logs' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'bigint', is_nullable: 'NO', character_maximum_length: null },
      { column_name: 'content_type', data_type: 'character varying', is_nullable: 'YES', character_maximum_length: 255 },
      { column_name: 'object_id', data_type: 'text', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'object_repr', data_type: 'text', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'timestamp', data_type: 'timestamp with time zone', is_nullable: 'NO', character_maximum_length: null },
      { column_name: 'user_id', data_type: 'integer', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'user_repr', data_type: 'text', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'template', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 200 },
      { column_name: 'extra_data', data_type: 'jsonb', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'event', data_type: 'character varying', is_nullable: 'YES', character_maximum_length: 64 },
      { column_name: 'correlation_id', data_type: 'character varying', is_nullable: 'YES', character_maximum_length: 64 },
    ]);
  });

  it('creates the four (…, timestamp DESC, id DESC) indexes', async () => {
    const indexes = await select<{ indexdef: string }>(
      fixture.db,
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'timeline_logs' AND indexname <> 'timeline_logs_pkey' ORDER BY indexname`,
    );
    const columns = indexes.map(({ indexdef }) => indexdef.replace(/^.*USING btree \((.*)\)$/, '$1'));
    expect(columns).toEqual([
      'correlation_id, "timestamp" DESC, id DESC',
      'content_type, object_id, "timestamp" DESC, id DESC',
      '"timestamp" DESC, id DESC',
      'user_id, "timestamp" DESC, id DESC',
    ]);
  });

  it('references the user table with ON DELETE SET NULL', async () => {
    const [fk] = await select<{ definition: string }>(
      fixture.db,
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conrelid = 'timeline_logs'::regclass AND contype = 'f'`,
    );
    expect(fk?.definition).toMatch(/^FOREIGN KEY \(user_id\) REFERENCES users\(id\) ON UPDATE CASCADE ON DELETE SET NULL$/);
  });

  it('is a no-op the second time and is recorded like sequelize-cli records it', async () => {
    expect(await migrateTimeline(fixture.db.sequelize)).toEqual([]);
    const names = await select<{ name: string }>(fixture.db, 'SELECT name FROM "SequelizeMeta" ORDER BY name');
    expect(names.map((row) => row.name)).toContain('20240101000000-create-timeline-logs.cjs');
  });

  it('gives user_id the key type of the configured user model (here a UUID key)', async () => {
    const db = await createTestDatabase();
    try {
      const models = defineTestModels(db.sequelize);
      await createMigrator(db.sequelize, { folder: TEST_MODELS_MIGRATIONS_DIR }).up();
      setupTimeline(db.sequelize, { userModel: models.Invoice, tableName: 'activity' });
      expect(await migrateTimeline(db.sequelize)).toEqual(MIGRATIONS);
      const [column] = await select<{ data_type: string }>(
        db,
        `SELECT data_type FROM information_schema.columns WHERE table_name = 'activity' AND column_name = 'user_id'`,
      );
      expect(column?.data_type).toBe('uuid');
    } finally {
      await db.drop();
      setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User });
    }
  });

  it('can be reverted', async () => {
    const db = await createTestDatabase();
    try {
      setupTimeline(db.sequelize);
      await migrateTimeline(db.sequelize);
      await createMigrator(db.sequelize, { folder: 'migrations' }).down({ to: 0 });
      const tables = await select<{ count: string }>(
        db,
        `SELECT count(*) FROM information_schema.tables WHERE table_name = 'timeline_logs'`,
      );
      expect(tables[0]?.count).toBe('0');
    } finally {
      await db.drop();
      setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User });
    }
  });

  it('records seeders in SequelizeData, apart from the migrations in SequelizeMeta', async () => {
    const db = await createTestDatabase();
    const folder = mkdtempSync(path.join(os.tmpdir(), 'timeline-logger-seeders-'));
    try {
      writeFileSync(path.join(folder, '20240101000000-noop.cjs'), 'module.exports = { async up() {}, async down() {} };\n');
      setupTimeline(db.sequelize);
      await migrateTimeline(db.sequelize);
      const seeded = await createMigrator(db.sequelize, { folder, storageTable: 'SequelizeData' }).up();
      expect(seeded.map((seeder) => seeder.name)).toEqual(['20240101000000-noop.cjs']);
      const data = await select<{ name: string }>(db, 'SELECT name FROM "SequelizeData"');
      const meta = await select<{ name: string }>(db, 'SELECT name FROM "SequelizeMeta"');
      expect(data.map((row) => row.name)).toEqual(['20240101000000-noop.cjs']);
      expect(meta.map((row) => row.name)).toEqual(MIGRATIONS);
      expect(await createMigrator(db.sequelize, { folder, storageTable: 'SequelizeData' }).up()).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await db.drop();
      setupTimeline(fixture.db.sequelize, { userModel: fixture.models.User });
    }
  });
});
