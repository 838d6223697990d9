import { QueryTypes } from 'sequelize';
import { describe, expect, inject, it, vi } from 'vitest';
import { createSequelize } from '../../src/db/connection.js';
import { createTestDatabase, databaseUrl } from '../support/test-database.js';
import { selectOne } from '../support/select-one.js';

describe('createSequelize', () => {
  it('connects to a unix socket URL without logging queries by default', async () => {
    const consoleLog = vi.spyOn(console, 'log');
    const sequelize = createSequelize(inject('adminDatabaseUrl'));
    try {
      expect(sequelize.getDialect()).toBe('postgres');
      await sequelize.query('SELECT 1');
      expect(consoleLog).not.toHaveBeenCalled();
    } finally {
      consoleLog.mockRestore();
      await sequelize.close();
    }
  });

  it('lets options override the defaults', async () => {
    const logged: string[] = [];
    const sequelize = createSequelize(inject('adminDatabaseUrl'), { logging: (sql) => logged.push(sql) });
    try {
      await sequelize.query('SELECT 2');
      expect(logged).toEqual([expect.stringContaining('SELECT 2')]);
    } finally {
      await sequelize.close();
    }
  });
});

describe('createTestDatabase', () => {
  it('gives each caller an isolated database on the run server and drops it', async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(first.url).not.toBe(second.url);
      await first.sequelize.query('CREATE TABLE only_here (id int)');
      await expect(second.sequelize.query('SELECT * FROM only_here')).rejects.toThrow(/does not exist/);
      const [row] = await first.sequelize.query<{ db: string }>('SELECT current_database() AS db', { type: QueryTypes.SELECT });
      expect(first.url).toBe(databaseUrl(inject('adminDatabaseUrl'), row?.db ?? ''));
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
    const name = new URL(first.url).pathname.slice(1);
    const admin = inject('adminDatabaseUrl');
    expect(await selectOne(admin, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).toBeUndefined();
  });

  it("keeps the admin URL's query (the ?host= socket folder) in derived URLs", () => {
    expect(databaseUrl('postgres://postgres@localhost/postgres?host=/tmp/tlpg-abc', 'spec_db')).toBe(
      'postgres://postgres@localhost/spec_db?host=/tmp/tlpg-abc',
    );
    expect(databaseUrl('postgres://u:p%40ss@db.example:5433/app?sslmode=require', 'spec_db')).toBe(
      'postgres://u:p%40ss@db.example:5433/spec_db?sslmode=require',
    );
  });
});
