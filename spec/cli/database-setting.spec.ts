/**
 * The CLI's database setting outside a checkout of the repository: `DATABASE_URL` or `--config`
 * is required, and nothing of the dev tooling (the demo's embedded database, the demo schema)
 * is reached. The CLI runs from a copy of `src/` beside which there is no `dev/` folder, as in
 * an installed package, with a scratch folder as its working directory.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

let scratch: string;
let installed: string;
let cwd: string;

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the copied CLI in `cwd` with `env` as its whole database setting (DATABASE_URL removed). */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(installed, 'src', 'cli', 'main.ts'), ...args], {
      cwd,
      env: { ...inherited, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'timeline-cli-installed-'));
  installed = path.join(scratch, 'timeline-logger');
  cwd = path.join(scratch, 'app');
  // The package's files (with src/ in place of the compiled dist/), and its dependencies.
  for (const entry of ['src', 'views', 'migrations', 'seeders', 'package.json']) {
    cpSync(path.join(ROOT, entry), path.join(installed, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(installed, 'node_modules'), 'dir');
  mkdirSync(cwd);
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('timeline-logger outside a checkout of the repository', () => {
  it('exits 2 naming DATABASE_URL and --config when neither is given, and creates no .data folder', async () => {
    expect(existsSync(path.join(installed, 'dev'))).toBe(false);
    for (const args of [['export', '--format', 'csv'], ['migrate']]) {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('DATABASE_URL');
      expect(result.stderr).toContain('--config');
    }
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(path.join(installed, '.data'))).toBe(false);
  });

  it('treats a blank DATABASE_URL as unset', async () => {
    const result = await cli(['migrate'], { DATABASE_URL: '  ' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(readdirSync(cwd)).toEqual([]);
  });

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    it('works on that database (migrate)', async () => {
      const result = await cli(['migrate'], { DATABASE_URL: db.url });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/Applied 3 migration/);
    });

    it('seed --demo-schema says the demo schema is only in a checkout (exit 1)', async () => {
      const result = await cli(['seed', '--demo-schema'], { DATABASE_URL: db.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /demo schema is only in a checkout of the timeline-logger repository.*create the tables users, posts, items, invoices yourself/,
      );
    });
  });
});
