// Lint rules: typescript-eslint's recommended set, plus the layers the design relies on:
// workflow code stays deterministic, promises in workflows and activities are never dropped, and
// the CLI reaches sandboxes only through core/ (it never imports activity code), and no layer imports
// one above it: core/ (pure, bottom) < workflows/ and activities/ (side by side, neither imports
// the other's code) < workers/ < cli/.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every Node built-in, bare and with the `node:` prefix. */
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.dkmv/', '**/fixtures/**', 'bench/merge/corpus/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.js', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // A dropped promise in a workflow is a command that may never be awaited; in an activity, an
    // error nobody sees. Both need type information.
    files: ['workflows/**/*.ts', 'activities/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, activities imported as types only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({
            name,
            message: 'Workflow code must not use Node built-ins (no I/O, clocks or randomness outside Temporal).',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '**/workers/**', '**/cli/**', '**/core/**/server*'],
              allowTypeImports: true,
              message: 'Import activities as types only (proxyActivities); workflow code does no I/O.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
    },
  },
  {
    // The CLI talks to Temporal and Docker; it never runs activity code in its own process.
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              message: 'cli/ must not import activities/: share through core/ (paths, docker) instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // core/ is the bottom layer: pure domain code every other layer shares.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/workflows/**', '**/activities/**', '**/workers/**', '**/cli/**'],
              message: 'core/ is the bottom layer: move what it needs from above into core/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Activities and workflows share through core/ (names as strings: core/*/...-names.ts).
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/workflows/**', '**/workers/**', '**/cli/**'],
              message: 'activities/ must not import workflows/, workers/ or cli/: share through core/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workers host workflows and activities; the CLI starts workers, never the other way round.
    files: ['workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/cli/**'],
              message: 'workers/ must not import cli/: share through core/.',
            },
          ],
        },
      ],
    },
  },
);
