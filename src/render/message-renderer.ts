import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { TemplateNotFoundError } from '../errors.js';
import { templateNames } from './template-names.js';

/**
 * How interpolated values are written: `text` leaves them as they are (for e-mail, logs,
 * terminals); `html` HTML-escapes them (for web pages).
 */
export type EscapeMode = 'text' | 'html';

/** The package's own `views/` folder (the same relative place from `src/render` and `dist/render`). */
export const PACKAGE_VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

type CompiledTemplate = (data: Record<string, unknown>) => string;

/** A template compiled for data with these keys, in this order. */
interface CompiledVariant {
  readonly keys: readonly string[];
  readonly render: CompiledTemplate;
}

const leaveAsText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
/** What EJS accepts as a local variable's name. */
const IDENTIFIER = /^[a-zA-Z_$][0-9a-zA-Z_$]*$/;
/** Data shapes compiled for per template; further shapes render through the shared `with` compile. */
const MAX_VARIANTS = 8;

/**
 * Finds EJS templates across folders and renders them, compiling each file once per escape mode.
 *
 * Folders are searched in order: the app's `templateDirs`, then the package's own `views/`, so
 * an app overrides a template by putting a file at the same relative path in its folder.
 *
 * @example
 * ```ts
 * const renderer = new MessageRenderer(['/app/views']);
 * renderer.render('timeline_logger/default.ejs', { timestamp, user, object, t }, 'text');
 * ```
 */
export class MessageRenderer {
  /** The folders searched, app folders first, the package's own `views/` last. */
  readonly searchDirs: readonly string[];
  readonly #paths = new Map<string, string>();
  readonly #compiled = new Map<string, CompiledTemplate>();
  /** Compiled templates by the name they are rendered under and the keys of their data, per escape mode. */
  readonly #byName: Readonly<Record<EscapeMode, Map<string, CompiledVariant[]>>> = { text: new Map(), html: new Map() };
  readonly #sources = new Map<string, string>();
  readonly #names = new Map<string, ReadonlySet<string> | null>();
  #revision = 0;

  constructor(templateDirs: readonly string[] = []) {
    this.searchDirs = Object.freeze([...templateDirs.map((dir) => path.resolve(dir)), PACKAGE_VIEWS_DIR]);
  }

  /**
   * The absolute path of `template` in the first folder that has it.
   *
   * @throws TemplateNotFoundError when no folder has it (or the name leaves its folder).
   */
  resolve(template: string): string {
    const known = this.#paths.get(template);
    if (known !== undefined) return known;
    for (const dir of this.searchDirs) {
      const candidate = path.resolve(dir, template);
      if (!candidate.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) continue;
      if (isFile(candidate)) {
        this.#paths.set(template, candidate);
        return candidate;
      }
    }
    throw new TemplateNotFoundError(template, this.searchDirs);
  }

  /**
   * Renders `template` with `data`.
   *
   * @throws TemplateNotFoundError when the template does not exist.
   */
  render(template: string, data: Record<string, unknown>, escape: EscapeMode = 'text'): string {
    const byName = this.#byName[escape];
    let variants = byName.get(template);
    if (variants === undefined) {
      variants = [];
      byName.set(template, variants);
    }
    for (const variant of variants) if (hasKeys(data, variant.keys)) return variant.render(data);
    const file = this.resolve(template);
    if (variants.length >= MAX_VARIANTS) return this.#compile(file, escape)(data);
    const variant = { keys: Object.keys(data), render: this.#compileFor(file, escape, Object.keys(data)) };
    variants.push(variant);
    return variant.render(data);
  }

  /**
   * The names `template`'s code can read (see `templateNames`), found once per file; null when
   * its code cannot be scanned with certainty.
   *
   * @throws TemplateNotFoundError when the template does not exist.
   * @example
   * ```ts
   * renderer.names('timeline_logger/created.ejs'); // Set { 't', 'timestamp', 'user', 'object' }
   * ```
   */
  names(template: string): ReadonlySet<string> | null {
    const file = this.resolve(template);
    let names = this.#names.get(file);
    if (names === undefined) {
      names = templateNames(this.#source(file));
      this.#names.set(file, names);
    }
    return names;
  }

  /** Counts {@link clearCache} calls: what is remembered about a template's output is valid for one revision. */
  get revision(): number {
    return this.#revision;
  }

  /** Forgets resolved paths and compiled templates (after editing template files at run time). */
  clearCache(): void {
    this.#paths.clear();
    this.#compiled.clear();
    this.#byName.text.clear();
    this.#byName.html.clear();
    this.#sources.clear();
    this.#names.clear();
    this.#revision += 1;
  }

  /**
   * `file` compiled for data with exactly `keys`: each key that is a JavaScript name becomes a
   * variable of the template, read once, instead of a lookup through `with` at every use.
   * A template that declares one of those names itself cannot be compiled so: it gets the
   * usual `with` compile.
   */
  #compileFor(file: string, escape: EscapeMode, keys: readonly string[]): CompiledTemplate {
    try {
      return ejs.compile(this.#source(file), {
        ...this.#options(file, escape),
        _with: false,
        destructuredLocals: keys.filter((key) => IDENTIFIER.test(key)),
      }) as CompiledTemplate;
    } catch {
      return this.#compile(file, escape);
    }
  }

  #options(file: string, escape: EscapeMode): ejs.Options {
    return { filename: file, views: [...this.searchDirs], ...(escape === 'text' ? { escape: leaveAsText } : {}) };
  }

  #compile(file: string, escape: EscapeMode): CompiledTemplate {
    const key = `${escape}:${file}`;
    const cached = this.#compiled.get(key);
    if (cached !== undefined) return cached;
    const compiled = ejs.compile(this.#source(file), this.#options(file, escape)) as CompiledTemplate;
    this.#compiled.set(key, compiled);
    return compiled;
  }

  /** The file's text, read once (both escape modes and {@link names} see the same version). */
  #source(file: string): string {
    let source = this.#sources.get(file);
    if (source === undefined) {
      source = readFileSync(file, 'utf8');
      this.#sources.set(file, source);
    }
    return source;
  }
}

/** Whether `data`'s own enumerable keys are `keys`, in that order (without allocating). */
function hasKeys(data: Record<string, unknown>, keys: readonly string[]): boolean {
  let index = 0;
  for (const key in data) {
    if (keys[index] !== key) return false;
    index += 1;
  }
  return index === keys.length;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
