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

const leaveAsText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

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
    return this.#compile(this.resolve(template), escape)(data);
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
    this.#sources.clear();
    this.#names.clear();
    this.#revision += 1;
  }

  #compile(file: string, escape: EscapeMode): CompiledTemplate {
    const key = `${escape}:${file}`;
    const cached = this.#compiled.get(key);
    if (cached !== undefined) return cached;
    const compiled = ejs.compile(this.#source(file), {
      filename: file,
      views: [...this.searchDirs],
      ...(escape === 'text' ? { escape: leaveAsText } : {}),
    }) as CompiledTemplate;
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

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
