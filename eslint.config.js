// Lint: correctness rules for TypeScript, Svelte and the in-context sandbox scripts, and the layer rules (which
// folder may import which, no cycles). Formatting is not linted.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import layers from './lint/layers.js';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'src/runtime/process/built/**', 'src/cli/built/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'lessons/**/*.ts', 'test/support/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A `let` assigned once after closures that read it were created is the clearest form for late binding.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The folder tells where code runs; imports point one way (docs/ARCHITECTURE.md, lint/layers.js).
    files: ['src/**/*.ts', 'src/**/*.js', 'src/**/*.svelte'],
    plugins: { layers },
    rules: { 'layers/imports': 'error', 'layers/no-cycle': 'error' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
