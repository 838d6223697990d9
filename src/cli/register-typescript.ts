/**
 * Loading TypeScript modules (a `--config` file, a checkout's `dev/` hook) from the compiled CLI,
 * through tsx's loader when the app has it installed.
 */

/**
 * Whether `file` is a TypeScript module (`.ts`, `.mts`, `.cts`) that needs tsx to be imported.
 *
 * @example
 * ```ts
 * isTypeScriptFile('timeline.config.ts'); // true
 * ```
 */
export function isTypeScriptFile(file: string): boolean {
  return /\.[cm]?ts$/.test(file);
}

/**
 * Registers tsx's loader so `import()` can load TypeScript files, also when the process already
 * runs under it. Resolves to `false` when tsx is not installed.
 *
 * @example
 * ```ts
 * if (!(await registerTypeScript())) throw new ConfigurationError(`${file} needs tsx`);
 * ```
 */
export async function registerTypeScript(): Promise<boolean> {
  try {
    // A variable specifier keeps tsx an optional runtime dependency of the compiled CLI.
    const specifier = 'tsx/esm/api';
    const tsx = (await import(specifier)) as { register: () => unknown };
    tsx.register();
    return true;
  } catch {
    return false;
  }
}
