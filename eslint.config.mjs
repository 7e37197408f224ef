// Layering is enforced here (and by the tsconfig libs):
//   electron/core, electron/server, electron/cli and shared/ never import electron;
//   renderer/ and shared/ never import Node built-ins or better-sqlite3.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'The core and shared code must run in plain Node: never import electron here.' };
const noNode = nodeBuiltins.map((name) => ({ name, message: 'Renderer and shared code run in a browser: no Node built-ins.' }));
const noSqlite = { name: 'better-sqlite3', message: 'Only the core touches the database.' };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', '.electron-native/**', 'test-results/**', '.test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['electron/core/**', 'electron/server/**', 'electron/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: ['**/electron/main/**', '**/renderer/**'] }],
    },
  },
  // Linking keeps its SQL in electron/core/db/repos/linking (issue 13): no statements prepared here.
  {
    files: ['electron/core/linking/**/*.ts'],
    ignores: ['**/*.test.ts', 'electron/core/linking/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['**/electron/main/**', '**/renderer/**'], message: 'The core never imports the main process or the renderer.' },
            { group: ['**/db/stmt'], message: 'SQL belongs in electron/core/db/repos (linking: db/repos/linking).' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='prepare']", message: 'SQL belongs in electron/core/db/repos (linking: db/repos/linking).' }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, noSqlite, ...noNode], patterns: ['node:*', '**/electron/**', '**/renderer/**', 'react', '@mantine/*'] }],
    },
  },
  // React's rules of hooks and the compiler-derived checks (refs read in render, effects that set
  // state, impure renders) in the renderer.
  { files: ['renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, noSqlite, ...noNode], patterns: ['node:*', '**/electron/core/**', '**/electron/main/**'] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.mjs', 'e2e/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', performance: 'readonly' } },
  },
);
