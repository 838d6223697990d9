import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSequelize } from '../../src/db/connection.js';
import { EmbeddedPostgres, EmbeddedPostgresError, type EmbeddedPostgresOptions } from '../../dev/embedded-postgres/embedded-postgres.js';
import { embeddedPackageBinDir, findPostgresBinaries, programPath, spawnOptions } from '../../dev/embedded-postgres/postgres-binaries.js';
import { socketDirFor } from '../../dev/embedded-postgres/socket-dir.js';

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
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((row) => row.startsWith('Uid:'));
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
      (await query<{ datname: string }>(server.url(), "SELECT datname FROM pg_database WHERE datname LIKE 'spec%' ORDER BY 1")).map(
        (r) => r.datname,
      );
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

  it('refuses a folder that holds something other than a cluster, and leaves it alone even when temporary', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'not a database');
    await expect(EmbeddedPostgres.start({ dataDir, temporary: true })).rejects.toThrow(/neither empty nor a PostgreSQL data folder/);
    expect(fs.readFileSync(path.join(dataDir, 'notes.txt'), 'utf8')).toBe('not a database');
  });

  it.each([Number.NaN, 0, -5, Number.POSITIVE_INFINITY, '1000'])(
    'rejects startTimeoutMs %s with a TypeError before touching the folder',
    async (startTimeoutMs) => {
      const dataDir = path.join(tempDir(), 'never-created');
      const options = { dataDir, startTimeoutMs } as unknown as EmbeddedPostgresOptions;
      await expect(EmbeddedPostgres.start(options)).rejects.toThrow(
        new TypeError(
          `option startTimeoutMs must be a positive finite number of milliseconds (got ${typeof startTimeoutMs === 'string' ? '"1000"' : String(startTimeoutMs)}); leave it out for 30000`,
        ),
      );
      expect(fs.existsSync(dataDir)).toBe(false);
    },
  );

  it.each(['0', '65536', '123456', '-1', '5432 '])('rejects settings.port %j outside 1..65535', async (port) => {
    const dataDir = path.join(tempDir(), 'never-created');
    await expect(EmbeddedPostgres.start({ dataDir, settings: { port } })).rejects.toThrow(
      /^settings\.port must be a port number from 1 to 65535/,
    );
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('serves on the highest port, 65535 (it names the socket file)', async () => {
    const server = await start(path.join(tempDir(), 'high-port'), { ...FAST, port: '65535' });
    expect(server.port).toBe(65535);
    expect(fs.existsSync(path.join(server.socketDir, '.s.PGSQL.65535'))).toBe(true);
    expect(await query<{ port: string }>(server.url(), 'SHOW port')).toEqual([{ port: '65535' }]);
  });

  it('writes a bracketed IPv6 host into the url of an attached server reachable only by TCP on ::1', async () => {
    const dataDir = path.join(tempDir(), 'ipv6');
    await (await start(dataDir)).stop();
    const port = await freeTcpPort('::1');
    const owner = fs.statSync(dataDir);
    const user = isRoot ? { name: 'cluster owner', uid: owner.uid, gid: owner.gid } : null;
    const binaries = findPostgresBinaries(undefined, user);
    const args = ['-D', dataDir, '-c', 'listen_addresses=::1', '-c', 'unix_socket_directories=', '-p', String(port), '-c', 'fsync=off'];
    const manual = spawn(programPath(binaries, 'postgres'), args, { ...spawnOptions(binaries, user), stdio: 'ignore' });
    const exited = new Promise((resolve) => manual.once('exit', resolve));
    try {
      await waitForStatus(dataDir, 'ready');
      const attached = await EmbeddedPostgres.start({ dataDir });
      expect(attached).toMatchObject({ attached: true, socketDir: '', port });
      expect(attached.url('v6')).toBe(`postgres://postgres@[::1]:${port}/v6`);
      await attached.ensureDatabase('v6');
      expect(
        await query<{ db: string; addr: string }>(attached.url('v6'), 'SELECT current_database() AS db, host(inet_server_addr()) AS addr'),
      ).toEqual([{ db: 'v6', addr: '::1' }]);
      await attached.stop();
    } finally {
      manual.kill('SIGINT');
      await exited;
    }
  });

  it('never leaves a half-made data folder when the process running initdb is killed, and starts there afterwards', async () => {
    const parent = tempDir();
    const dataDir = path.join(parent, 'interrupted');
    const script = path.join(parent, 'start.mts');
    const launcher = new URL('../../dev/embedded-postgres/embedded-postgres.ts', import.meta.url).href;
    fs.writeFileSync(
      script,
      `import { EmbeddedPostgres } from ${JSON.stringify(launcher)};\nawait EmbeddedPostgres.start({ dataDir: process.argv[2] });\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const staging = await waitFor(() => {
      if (child.exitCode !== null)
        throw new Error(`the starting process ended (${child.exitCode}) before initdb was interrupted:\n${stderr}`);
      return fs
        .readdirSync(parent)
        .find((name) => name.startsWith('.interrupted.initdb-') && fs.existsSync(path.join(parent, name, 'global')));
    });
    process.kill(-(child.pid ?? 0), 'SIGKILL'); // Node and initdb, as a crash or a power cut would.
    await waitFor(() => !isRunning(-(child.pid ?? 0)));
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(parent, staging))).toBe(true);

    const server = await start(dataDir);
    expect(await query<{ one: number }>(server.url(), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(fs.readdirSync(parent).filter((name) => name.startsWith('.interrupted.initdb-'))).toEqual([]);
  });
});

describe('the socket folder', () => {
  /** `dataDir` made (empty), and the socket folder it will get. */
  function dataDirAndSocketDir(): { dataDir: string; socketDir: string } {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir);
    return { dataDir, socketDir: socketDirFor(dataDir, 5432) };
  }

  it('replaces a symlink planted where it goes by a private folder', async () => {
    const { dataDir, socketDir } = dataDirAndSocketDir();
    const elsewhere = tempDir();
    fs.chmodSync(elsewhere, 0o777);
    fs.symlinkSync(elsewhere, socketDir);
    const server = await start(dataDir);
    expect(server.socketDir).toBe(socketDir);
    const stat = fs.lstatSync(socketDir);
    expect(stat.isDirectory()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('closes a folder of ours that others could write to', async () => {
    const { dataDir, socketDir } = dataDirAndSocketDir();
    fs.mkdirSync(socketDir, { mode: 0o777 });
    fs.chmodSync(socketDir, 0o777);
    const server = await start(dataDir);
    expect(fs.lstatSync(server.socketDir).mode & 0o777).toBe(0o700);
    expect(await query<{ one: number }>(server.url(), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it.runIf(isRoot)("refuses another user's folder there, and leaves it alone", async () => {
    const { dataDir, socketDir } = dataDirAndSocketDir();
    fs.mkdirSync(socketDir, { mode: 0o700 });
    fs.chownSync(socketDir, STRANGER, STRANGER);
    try {
      await expect(start(dataDir)).rejects.toThrow(new RegExp(`socket folder ${socketDir} .*belongs to another user`));
      expect(fs.lstatSync(socketDir).uid).toBe(STRANGER);
      expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      fs.rmSync(socketDir, { recursive: true, force: true });
    }
  });
});

describe.runIf(isRoot)('binaries the server user cannot reach (as root)', () => {
  let hiddenBin: string;
  let version: string;

  beforeAll(() => {
    const bin = embeddedPackageBinDir();
    if (!bin) throw new Error('these tests need the @embedded-postgres platform package');
    const hidden = tempDir(); // 0700, owned by root: the postgres user cannot enter it
    fs.cpSync(path.dirname(bin), hidden, { recursive: true, verbatimSymlinks: true });
    hiddenBin = path.join(hidden, 'bin');
    version = /(\d+(?:\.\d+)*)/.exec(spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '';
    expect(version).not.toBe('');
  });

  async function startHidden(dataDir: string): Promise<EmbeddedPostgres> {
    const server = await EmbeddedPostgres.start({ dataDir, temporary: true, settings: FAST, binDir: hiddenBin });
    servers.push(server);
    return server;
  }

  function serverExe(server: EmbeddedPostgres): string {
    return fs.readlinkSync(`/proc/${postmasterPid(server.dataDir)}/exe`);
  }

  it('copies them next to the data folder, private to root, and reuses that copy', async () => {
    const parent = tempDir();
    const cache = path.join(parent, `timeline-logger-pg-${version}`);
    const first = await startHidden(path.join(parent, 'one'));
    expect(serverExe(first)).toBe(path.join(cache, 'bin', 'postgres'));
    expect(fs.lstatSync(cache)).toMatchObject({ uid: 0 });
    expect(fs.lstatSync(cache).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.dirname(hiddenBin)).mode & 0o777).toBe(0o700);
    const inode = fs.statSync(path.join(cache, 'bin', 'postgres')).ino;

    const second = await startHidden(path.join(parent, 'two'));
    expect(serverExe(second)).toBe(path.join(cache, 'bin', 'postgres'));
    expect(fs.statSync(path.join(cache, 'bin', 'postgres')).ino).toBe(inode);
    expect(fs.readdirSync(parent).sort()).toEqual(['one', `timeline-logger-pg-${version}`, 'two']);
  });

  it('refuses a copy planted by another user, and never runs it', async () => {
    const parent = tempDir();
    const cache = path.join(parent, `timeline-logger-pg-${version}`);
    const marker = path.join(parent, 'planted-binary-ran');
    fs.mkdirSync(path.join(cache, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(cache, 'bin', 'postgres'), `#!/bin/sh\necho 'postgres (PostgreSQL) ${version}'\ntouch ${marker}\n`, {
      mode: 0o755,
    });
    for (const entry of [cache, path.join(cache, 'bin'), path.join(cache, 'bin', 'postgres')]) fs.chownSync(entry, STRANGER, STRANGER);

    const failure = await startHidden(path.join(parent, 'data')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmbeddedPostgresError);
    expect((failure as Error).message).toMatch(
      new RegExp(`${cache} holds files that do not belong to uid 0: another user may have planted binaries there`),
    );
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.lstatSync(cache).uid).toBe(STRANGER);
  });

  it('replaces a copy of ours that others could have changed', async () => {
    const parent = tempDir();
    const cache = path.join(parent, `timeline-logger-pg-${version}`);
    fs.cpSync(path.dirname(hiddenBin), cache, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(path.join(cache, 'bin'), 0o777); // anyone could have swapped bin/postgres
    const inode = fs.statSync(path.join(cache, 'bin', 'postgres')).ino;

    const server = await startHidden(path.join(parent, 'data'));
    expect(serverExe(server)).toBe(path.join(cache, 'bin', 'postgres'));
    expect(fs.statSync(path.join(cache, 'bin', 'postgres')).ino).not.toBe(inode);
    expect(fs.statSync(path.join(cache, 'bin')).mode & 0o777).toBe(0o755);
  });

  it('keeps the copy in the temporary folder when other users can write next to the data folder', async () => {
    const parent = tempDir();
    fs.chownSync(parent, STRANGER, STRANGER);
    fs.chmodSync(parent, 0o755);
    const server = await startHidden(path.join(parent, 'data'));
    expect(serverExe(server)).toBe(path.join(fs.realpathSync(os.tmpdir()), `timeline-logger-pg-${version}`, 'bin', 'postgres'));
    expect(fs.readdirSync(parent)).toEqual(['data']);
  });
});

/** A uid that is neither root, nor the server user, nor anyone else here. */
const STRANGER = 54_321;

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForStatus(dataDir: string, status: string): Promise<void> {
  await waitFor(() => {
    try {
      return fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() === status;
    } catch {
      return false;
    }
  });
}

function freeTcpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
