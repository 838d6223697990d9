// Lint: typescript-eslint's type-aware recommended rules over every TypeScript file, and
// ESLint's recommended rules over the plain JavaScript (migrations, seeders, bin).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `String(value)` of an unknown value is how messages quote what they were given; objects
      // are described by describeValue() where it matters.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['spec/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.stringMatching, expect.any) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // specs pass async callbacks on purpose, to exercise the async code paths.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
