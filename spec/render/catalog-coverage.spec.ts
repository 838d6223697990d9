/**
 * Every message the package shows goes through `t('...')` (templates, message context) or
 * `translate(locale, '...')` (router, commands, e-mail). This scans the sources for those
 * literal msgids and checks that each has a Dutch translation with the same placeholders, so
 * a new string cannot ship untranslated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nl } from '../../src/render/locales/nl.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A quoted JS string literal ('...' or "..."), capturing its body. */
const STRING = String.raw`(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")`;
/** `t('msgid'` and `context.t('msgid'` (not `foo_t(` or `$t(`). */
const T_CALL = new RegExp(String.raw`(?<![\w$])t\(\s*${STRING}`, 'g');
/** `translate(anything-without-a-comma-or-paren, 'msgid'`. */
const TRANSLATE_CALL = new RegExp(String.raw`(?<![\w.$])translate\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*${STRING}`, 'g');
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Drops comment lines (TSDoc examples mention msgids that are not used). */
function withoutCommentLines(source: string): string {
  return source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .join('\n');
}

function unescape(body: string): string {
  return body.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

/** msgid → the files using it. */
function usedMsgids(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const files = [...filesUnder('views', '.ejs'), ...filesUnder('src', '.ts')];
  for (const file of files) {
    const source = withoutCommentLines(readFileSync(file, 'utf8'));
    for (const pattern of [T_CALL, TRANSLATE_CALL]) {
      for (const match of source.matchAll(pattern)) {
        const msgid = unescape(match[1] ?? match[2] ?? '');
        used.set(msgid, [...(used.get(msgid) ?? []), path.relative(ROOT, file)]);
      }
    }
  }
  return used;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string).sort();
}

describe('the Dutch catalog', () => {
  const used = usedMsgids();

  it('is checked against the msgids the scan finds in views/ and src/', () => {
    // Guards the scanner itself: these are used in a template, the message context and the router.
    expect([...used.keys()]).toEqual(expect.arrayContaining(['Timeline', 'Anonymous user', '{timestamp} - {user} created {object}']));
  });

  it('translates every msgid used in views/ and src/', () => {
    const missing = [...used]
      .filter(([msgid]) => !Object.hasOwn(nl.messages, msgid))
      .map(([msgid, files]) => `${msgid}  (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('keeps the placeholders of every msgid', () => {
    const mismatched = Object.entries(nl.messages)
      .filter(([msgid, translation]) => placeholders(msgid).join() !== placeholders(translation).join())
      .map(([msgid]) => msgid);
    expect(mismatched).toEqual([]);
  });
});
