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

// SQL outside electron/core/db: a string or template that starts like a statement (uppercase
// keywords, or the lowercase forms that cannot be prose), and prepare/exec/pragma on a database.
const SQL_START =
  '/^\\s*(?:(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH|PRAGMA|VACUUM|ANALYZE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\\s|(?:select\\s.*\\sfrom|insert\\s+into|update\\s+\\w+\\s+set|delete\\s+from)\\s)/';
const DB_CALLS = '/^(?:prepare|exec|pragma)$/';
const DB_NAMES = '/^(?:db|database|sqlite|raw)$/';
const SQL_MESSAGE =
  'SQL belongs in electron/core/db: add an operation named for what the caller needs to a repository under electron/core/db/repos (statements cached with db/stmt prep/prepPluck) and call it.';
// Tests and test helpers build fixtures and check rows with SQL of their own.
const sqlTestFiles = ['electron/core/**/*.test.ts', 'electron/core/**/*.fixture.ts', 'electron/core/**/testing/**'];
// Debt to shrink: files that still hold SQL outside electron/core/db. Move their statements into
// repositories and delete the line; never add a file here to silence the rule.
const sqlDebt = [];
const noSql = [
  { selector: `Literal[value=${SQL_START}]`, message: SQL_MESSAGE },
  { selector: `TemplateElement[value.raw=${SQL_START}]`, message: SQL_MESSAGE },
  { selector: `CallExpression[callee.property.name=${DB_CALLS}][callee.object.name=${DB_NAMES}]`, message: SQL_MESSAGE },
  { selector: `CallExpression[callee.property.name=${DB_CALLS}][callee.object.property.name=${DB_NAMES}]`, message: SQL_MESSAGE },
];
// The CLI reaches the core only through its contract (issue 13): core.call and core.events, never
// its database or context (electron/cli/types.ts CliCore; run.ts builds it).
const CLI_MESSAGE = 'The CLI uses only core.call and core.events (CliCore): add or use a contract method instead of the database or the context.';
const cliNoCoreInside = [
  ...noSql,
  { selector: "MemberExpression[property.name=/^(?:db|ctx)$/][object.name='core']", message: CLI_MESSAGE },
  { selector: "MemberExpression[property.name=/^(?:db|ctx)$/][object.property.name='core']", message: CLI_MESSAGE },
];
// The window's commands run through the command registry, never window events (issue 13).
const noWindowEvents = [
  { selector: "NewExpression[callee.name='CustomEvent']", message: 'No window events: register a command (commands/registry.tsx useCommand) or use the query cache.' },
  { selector: "CallExpression[callee.property.name='dispatchEvent']", message: 'No window events: register a command (commands/registry.tsx useCommand) or use the query cache.' },
];

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
  // One write model (issue 13 item 2): SQL lives in electron/core/db (repositories under db/repos,
  // migrations); the rest of the core calls the operations those repositories expose.
  {
    files: ['electron/core/**'],
    ignores: ['electron/core/db/**', ...sqlDebt, ...sqlTestFiles],
    rules: {
      'no-restricted-syntax': ['error', ...noSql],
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['**/electron/main/**', '**/renderer/**'] }, { group: ['**/db/stmt'], message: SQL_MESSAGE }] }],
    },
  },
  // Nor anywhere else outside the core: the server, the main process, shared code.
  {
    files: ['electron/server/**', 'electron/main/**', 'shared/**'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: { 'no-restricted-syntax': ['error', ...noSql] },
  },
  {
    files: ['electron/cli/**'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-syntax': ['error', ...cliNoCoreInside],
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, noSqlite],
          patterns: [{ group: ['**/electron/main/**', '**/renderer/**'] }, { group: ['**/core/db/**', '**/core/context'], message: CLI_MESSAGE }],
        },
      ],
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
      'no-restricted-syntax': ['error', ...noWindowEvents],
    },
  },
  // Test-only exception: component tests render the window's real components against a real core
  // (createCore on a temporary folder, renderer/src/testing/realCore.tsx) instead of mocks of it, so
  // they and that helper folder may import electron/core. The window itself never does (rule above).
  {
    files: ['renderer/**/*.test.tsx', 'renderer/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, noSqlite, ...noNode], patterns: ['node:*', '**/electron/main/**'] }],
    },
  },
  // Type-aware rules (issue 13 house rules): promises not awaited or passed where a callback is
  // expected, throwing non-errors, objects stringified as [object Object], switches that miss a case,
  // assertions that change nothing. They read the TypeScript projects (tsconfig*.json).
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.d.ts', '**/*.d.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.mjs', 'e2e/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
