import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../dev/open-database.js';
import { selectOne } from '../support/select-one.js';

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-open-db-spec-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('uses an explicit databaseUrl and starts nothing', async () => {
    const dataDir = path.join(tempDir(), 'never-created');
    const handle = await openDatabase({ databaseUrl: 'postgres://app@db.example/app', dataDir });
    expect(handle).toMatchObject({ url: 'postgres://app@db.example/app', embedded: null });
    await handle.close();
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('uses DATABASE_URL when no databaseUrl is given', async () => {
    vi.stubEnv('DATABASE_URL', 'postgres://env@db.example/env');
    const dataDir = path.join(tempDir(), 'never-created');
    const handle = await openDatabase({ dataDir });
    expect(handle.url).toBe('postgres://env@db.example/env');
    expect(handle.embedded).toBeNull();
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('otherwise starts an embedded server with the database created, reusable across opens', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const dataDir = path.join(tempDir(), 'postgres');
    const handle = await openDatabase({ dataDir, database: 'shop', settings: { fsync: 'off' } });
    try {
      expect(handle.embedded?.dataDir).toBe(dataDir);
      expect(handle.url).toBe(handle.embedded?.url('shop'));
      expect(await selectOne<{ db: string }>(handle.url, 'SELECT current_database() AS db')).toEqual({ db: 'shop' });

      const again = await openDatabase({ dataDir, database: 'shop' });
      expect(again.embedded?.attached).toBe(true);
      await again.close();
      expect(await selectOne<{ one: number }>(handle.url, 'SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await handle.close();
    }
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
  });
});
