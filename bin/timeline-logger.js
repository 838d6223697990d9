#!/usr/bin/env node
// The `timeline-logger` command: runs the compiled CLI (dist/, built by `npm install` via `prepare`).
import { access } from 'node:fs/promises';

const entry = new URL('../dist/cli/main.js', import.meta.url);
try {
  await access(entry);
} catch {
  process.stderr.write(
    'timeline-logger: the CLI is not built yet (dist/cli/main.js is missing): run `npm run build` in the package folder.\n',
  );
  process.exit(1);
}
const { runCli, processIo } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2), processIo());
