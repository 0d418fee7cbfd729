// Lint, with the layer boundaries of architecture.md as rules (VS Code style):
// core's pure areas never import core/node, electron/, renderer/ or Node built-ins;
// renderer/ imports core only as types (and the dependency-free contract names).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'url',
  'worker_threads',
  'stream',
  'events',
  'util',
  'process',
  'buffer',
  'timers',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-results/',
      'playwright-report/',
      'artifacts/',
      'schema/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['core/{common,model,rules,wire,sim,lab,api}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...NODE_BUILTINS],
          patterns: [
            {
              group: ['node:*'],
              message: "core's pure areas do not touch Node: put it in core/node.",
            },
            {
              group: ['**/node/*', '**/node'],
              message: 'core/node is the Node-only edge; pure core never imports it.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'core never imports the shell or the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['core/node/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'core never imports the shell or the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '!**/core/api', '**/core/api/*', '!**/core/api/names'],
              allowTypeImports: true,
              message:
                'The renderer reaches the core only through its api client; import core types with `import type`.',
            },
            {
              group: ['**/electron/**'],
              message: 'The renderer never imports the Electron shell.',
            },
          ],
        },
      ],
    },
  },
  {
    // The command's entry is CommonJS (bin/package.json): it starts faster than a module.
    // …and so is electron-builder's afterPack hook, which it loads with require().
    files: ['bin/**/*.js', 'build/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // svelte's wrapper of no-inner-declarations cannot read a CommonJS scope (it throws).
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      'svelte/no-inner-declarations': 'off',
    },
  },
  {
    files: ['electron/preload.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '!**/core/api', '**/core/api/*', '!**/core/api/names'],
              allowTypeImports: true,
              message: 'The sandboxed preload only needs the contract names.',
            },
          ],
        },
      ],
    },
  },
);
