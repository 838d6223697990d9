import { createRequire } from 'node:module';

/** What Sequelize's `useCLS` needs of a cls-hooked namespace. */
export interface ClsNamespace {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
  run(fn: (context: unknown) => void): unknown;
  bind<F>(fn: F): F;
}

/**
 * A new cls-hooked namespace (the package has no types), for `Sequelize.useCLS` in specs.
 *
 * @example
 * ```ts
 * Sequelize.useCLS(clsNamespace('timeline-logger-spec'));
 * ```
 */
export function clsNamespace(name: string): ClsNamespace {
  const cls = createRequire(import.meta.url)('cls-hooked') as { createNamespace(name: string): ClsNamespace };
  return cls.createNamespace(name);
}
