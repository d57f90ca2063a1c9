// Lint: typescript-eslint's recommended rules, React hooks, and no import cycles (type-only included).
// Import resolution uses import-x's own node resolver (unrs-resolver) taught the TypeScript extensions;
// eslint-import-resolver-typescript is not a dependency.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'dist-*',
      'public/demo-hub',
      'e2e/.fixtures',
      '.reports',
      'test-results',
      'playwright-report',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    // eslint-import-resolver-typescript is not installed: import-x's own resolver, told about TypeScript's
    // extensions (specifiers with and without `.ts` both resolve), so no-cycle sees every import.
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 500, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: false, skipComments: false }],
      'no-nested-ternary': 'error',
    },
  },
  {
    // A test file's describe/it callbacks group many cases; its length is bounded by max-lines instead.
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.spec.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
