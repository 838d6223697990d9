import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSequelize } from '../../src/db/connection.js';
import { EmbeddedPostgres, EmbeddedPostgresError } from '../../src/db/embedded-postgres.js';

const FAST = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
const isRoot = process.getuid?.() === 0;

/** Runs one query on `url` and returns its rows. */
async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const sequelize = createSequelize(url, { pool: { max: 1 } });
  try {
    return await sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  } finally {
    await sequelize.close();
  }
}

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function processUid(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((row) => row.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
}

const tempDirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

/** A fresh root-only (0700) temp folder, like mkdtemp makes: the launcher must cope with it. */
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-pg-spec-'));
  tempDirs.push(dir);
  return dir;
}

async function start(dataDir: string, settings: Record<string, string> = FAST): Promise<EmbeddedPostgres> {
  const server = await EmbeddedPostgres.start({ dataDir, settings });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a started server', () => {
  let server: EmbeddedPostgres;

  beforeAll(async () => {
    server = await EmbeddedPostgres.start({ dataDir: path.join(tempDir(), 'data'), temporary: true, settings: FAST });
  });

  afterAll(() => server.stop());

  it('answers queries on its url', async () => {
    const rows = await query<{ answer: number; version: string }>(server.url(), 'SELECT 6 * 7 AS answer, version() AS version');
    expect(rows[0]?.answer).toBe(42);
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(server.attached).toBe(false);
  });

  it('listens only on a short unix socket folder, not on TCP', async () => {
    expect(server.url()).toBe(`postgres://postgres@localhost/postgres?host=${server.socketDir}`);
    expect(fs.existsSync(path.join(server.socketDir, '.s.PGSQL.5432'))).toBe(true);
    expect(Buffer.byteLength(server.socketDir)).toBeLessThan(60);
    const [row] = await query<{ listen_addresses: string }>(server.url(), 'SHOW listen_addresses');
    expect(row?.listen_addresses).toBe('');
  });

  it('runs the server as an unprivileged user (a non-root uid when Node is root)', async () => {
    const uid = processUid(postmasterPid(server.dataDir));
    expect(uid).toBe(isRoot ? fs.statSync(server.dataDir).uid : process.getuid?.());
    if (isRoot) expect(uid).not.toBe(0);
    const [row] = await query<{ data_directory: string }>(server.url(), "SELECT current_setting('data_directory') AS data_directory");
    expect(row?.data_directory).toBe(server.dataDir);
  });

  it('applies the settings it was given', async () => {
    const [row] = await query<{ fsync: string }>(server.url(), 'SHOW fsync');
    expect(row?.fsync).toBe('off');
  });

  it('attaches to the live server when started again on its folder, and leaves it running when that handle stops', async () => {
    const attached = await EmbeddedPostgres.start({ dataDir: server.dataDir, temporary: true });
    expect(attached.attached).toBe(true);
    expect(attached.url()).toBe(server.url());
    await attached.stop();
    const [row] = await query<{ one: number }>(server.url(), 'SELECT 1 AS one');
    expect(row?.one).toBe(1);
    expect(fs.existsSync(server.dataDir)).toBe(true);
  });

  it('creates, ensures and drops databases', async () => {
    await server.createDatabase('spec "quoted" db');
    await expect(server.createDatabase('spec "quoted" db')).rejects.toThrow(/already exists.*ensureDatabase/);
    await server.ensureDatabase('spec "quoted" db');
    await server.ensureDatabase('spec_ensured');
    const names = async (): Promise<string[]> =>
      (await query<{ datname: string }>(server.url(), "SELECT datname FROM pg_database WHERE datname LIKE 'spec%' ORDER BY 1")).map((r) => r.datname);
    expect(await names()).toEqual(['spec "quoted" db', 'spec_ensured']);
    await server.dropDatabase('spec "quoted" db');
    await server.dropDatabase('spec_ensured');
    await server.dropDatabase('spec_ensured');
    expect(await names()).toEqual([]);
  });
});

describe('EmbeddedPostgres.start', () => {
  it('keeps data across restarts of a persistent folder, and deletes nothing when stopped', async () => {
    const dataDir = path.join(tempDir(), 'persistent');
    const first = await start(dataDir);
    await first.ensureDatabase('app');
    await query(first.url('app'), "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = await start(dataDir);
    expect(second.attached).toBe(false);
    expect(await query<{ body: string }>(second.url('app'), 'SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
  });

  it('deletes a temporary folder and its socket folder when stopped; stop() is idempotent', async () => {
    const server = await EmbeddedPostgres.start({ dataDir: path.join(tempDir(), 'temp'), temporary: true, settings: FAST });
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(fs.existsSync(server.dataDir)).toBe(false);
    expect(fs.existsSync(server.socketDir)).toBe(false);
    await expect(server.ensureDatabase('x')).rejects.toThrow(EmbeddedPostgresError);
  });

  it('starts despite a stale postmaster.pid left by a crashed server', async () => {
    const dataDir = path.join(tempDir(), 'crashed');
    const crashed = await start(dataDir);
    const pid = postmasterPid(dataDir);
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);
    await crashed.stop();

    const restarted = await start(dataDir);
    expect(restarted.attached).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(pid);
    expect(await query<{ one: number }>(restarted.url(), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('starts when the pid in a stale postmaster.pid now belongs to an unrelated process', async () => {
    const dataDir = path.join(tempDir(), 'reused');
    const crashed = await start(dataDir);
    const pid = postmasterPid(dataDir);
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid);
    await crashed.stop();
    // Running as the server's own user, so PostgreSQL itself would take it for a live postmaster.
    const owner = fs.statSync(dataDir);
    const unrelated = spawn('sleep', ['30'], { stdio: 'ignore', uid: owner.uid, gid: owner.gid });
    try {
      const pidFile = path.join(dataDir, 'postmaster.pid');
      fs.writeFileSync(pidFile, fs.readFileSync(pidFile, 'utf8').replace(/^\d+/, String(unrelated.pid)));

      const restarted = await start(dataDir);
      expect(restarted.attached).toBe(false);
      expect(await query<{ one: number }>(restarted.url(), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      unrelated.kill();
    }
  });

  it("rejects a bad setting with an EmbeddedPostgresError quoting PostgreSQL's log", async () => {
    const dataDir = path.join(tempDir(), 'bad');
    const failure = await EmbeddedPostgres.start({ dataDir, settings: { shared_buffers: 'banana' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmbeddedPostgresError);
    const error = failure as EmbeddedPostgresError;
    expect(error.logTail).toMatch(/invalid value for parameter "shared_buffers": "banana"/);
    expect(error.message).toContain(error.logTail);
    expect(error.message).not.toContain('undefined');
  });

  it('refuses a folder that holds something other than a cluster', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'not a database');
    await expect(EmbeddedPostgres.start({ dataDir })).rejects.toThrow(/neither empty nor a PostgreSQL data folder/);
  });

  it.runIf(isRoot)('copies binaries the server user cannot reach to a readable cache', async () => {
    const { bin } = bundledBinaries();
    const hidden = tempDir(); // 0700, owned by root: the postgres user cannot enter it
    fs.cpSync(path.dirname(bin), hidden, { recursive: true, verbatimSymlinks: true });
    const server = await EmbeddedPostgres.start({ dataDir: path.join(tempDir(), 'data'), temporary: true, settings: FAST, binDir: path.join(hidden, 'bin') });
    servers.push(server);
    const exe = fs.readlinkSync(`/proc/${postmasterPid(server.dataDir)}/exe`);
    expect(exe.startsWith(path.join(os.tmpdir(), 'timeline-logger-pg-'))).toBe(true);
    expect(fs.statSync(hidden).mode & 0o777).toBe(0o700);
  });
});

/** The embedded-postgres package's bin folder, found the way the launcher finds it. */
function bundledBinaries(): { bin: string } {
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return { bin: path.join(path.dirname(entry), '..', 'native', 'bin') };
}
