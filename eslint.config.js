// Lint is where the architecture is enforced: which folder may import what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

/** Imports that platform-free code must never reach for. */
const platformImports = ['electron', 'react-dom', 'react-dom/*', ...nodeBuiltins];

/** A central path written out (`'/api/v1/…'`, `` `${base}/api/v1/…` ``, `'/admin/…'`): only the API contract may. */
const centralPathLiteral = 'a central path is written once, in shared/sync/api-contract.ts: build it with pathFor(routeId, params)';
const centralPathPattern = String.raw`/^\/(api\/v1|admin)(\/|$)/i`;

const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'location', 'fetch', 'XMLHttpRequest', 'Blob', 'File', 'FileReader', 'Worker', 'self', 'process', 'Buffer', '__dirname', 'require'];

export default tseslint.config(
  { ignores: ['node_modules/', '.tsbuild/', 'out/', 'dist/', 'renderer/dist/', 'test-results/', 'playwright-report/', 'tests/.cache/', '.motcua-data/', 'tests/fault/counter-page/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'electron/cli/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // The central's routes are declared once (docs/ARCHITECTURE.md, "The HTTP API as a contract"); every client
    // builds their paths with pathFor, so a renamed route is a type error, not a silent 404.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['shared/sync/api-contract.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${centralPathPattern}]`, message: centralPathLiteral },
        { selector: `TemplateElement[value.raw=${centralPathPattern}]`, message: centralPathLiteral },
      ],
    },
  },
  {
    // shared/: platform-free. No Electron, no Node built-ins, no DOM.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: platformImports.filter((p) => !p.includes('*')), patterns: ['node:*', 'react-dom/*', 'electron/*'] }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // renderer/: browser code. Never Node, never Electron (it reaches main only through the preload bridge).
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeBuiltins], patterns: ['node:*', 'electron/*', '**/electron/**', '**/central/**'] }],
    },
  },
  {
    // The database and the sync engine run in the sync worker too: no React, no DOM (a worker has no window).
    files: ['renderer/src/sync/**/*.{ts,tsx}', 'renderer/src/db/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'react', 'react-dom', 'dexie-react-hooks', ...nodeBuiltins], patterns: ['node:*', 'electron/*', 'react-dom/*', 'react/*', '**/electron/**', '**/central/**'] }],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'sessionStorage', 'alert', 'confirm'],
    },
  },
  {
    // Only the Electron shell (main + preload) may import electron; Node-side code never reaches into the renderer.
    files: ['shared-node/**/*.ts', 'electron/services/**/*.ts', 'electron/cli/**/*.ts', 'electron/web-host/**/*.ts', 'central/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/renderer/src/**'] }],
    },
  },
  {
    // Tests may exercise any layer (the renderer's queue runs in Node with fake-indexeddb), but not the Electron shell.
    files: ['tests/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'] }],
    },
  },
  {
    // The fault suite's counter page is browser code (it runs the renderer's queue and engine in Chromium).
    files: ['tests/fault/counter-page/main.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    // central/ is a separate service: it shares only shared/ with the counter.
    files: ['central/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/renderer/**', '**/electron/**'] }],
    },
  },
  {
    // Which folder may import which: the table "Layers and what may import what" in docs/ARCHITECTURE.md, checked
    // on every local import (tests/unit/lint/boundaries.test.ts feeds each rule a file that breaks it).
    files: ['**/*.{ts,tsx,mts}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { noWarnOnMultipleProjects: true, project: ['tsconfig.json', 'renderer/tsconfig.json', 'electron/tsconfig.json', 'shared/tsconfig.json', 'shared-node/tsconfig.json', 'central/tsconfig.json', 'tests/fault/counter-page/tsconfig.json'] } },
      'boundaries/elements': [
        // Anchored at the repository root (partialMatch: false): tests/unit/shared/… is a test, not shared/.
        { type: 'tests', pattern: 'tests/**', partialMatch: false },
        { type: 'bench', pattern: 'bench/**', partialMatch: false },
        { type: 'renderer-data', pattern: ['renderer/src/sync/**', 'renderer/src/db/**'], partialMatch: false },
        { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
        { type: 'shared', pattern: 'shared/**', partialMatch: false },
        { type: 'shared-node', pattern: 'shared-node/**', partialMatch: false },
        { type: 'preload', pattern: 'electron/preload/**', partialMatch: false },
        { type: 'electron-main', pattern: 'electron/main/**', partialMatch: false },
        { type: 'services', pattern: 'electron/services/**', partialMatch: false },
        { type: 'web-host', pattern: 'electron/web-host/**', partialMatch: false },
        { type: 'cli', pattern: 'electron/cli/**', partialMatch: false },
        { type: 'central', pattern: 'central/**', partialMatch: false },
      ],
      // Two files that layers further out may use where the rest of their folder is out of bounds.
      'boundaries/files': [
        { category: 'ipc-channel-names', pattern: 'shared/ipc/channels.ts' },
        { category: 'main-client', pattern: 'renderer/src/platform/main-client.ts' },
        // What only a checkout's `motcua` has (the central, the demo): the counter app's own CLI never reaches it.
        {
          category: 'checkout-only',
          pattern: ['electron/cli/development-commands.ts', 'electron/cli/commands/central*.ts', 'electron/cli/commands/demo.ts', 'electron/cli/commands/demo-central.ts'],
        },
      ],
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'disallow',
        // Imports inside one folder are checked too: the CLI's counter commands must not reach its checkout-only ones.
        checkInternals: true,
        message: 'docs/ARCHITECTURE.md, "Layers and what may import what": {{from.type}} may not import {{to.type}}',
        policies: [
          { from: { element: { type: 'shared' } }, allow: { to: { element: { type: 'shared' } } } },
          // Node-only code the counter's services and the central share (durable writes, worker start-up).
          { from: { element: { type: 'shared-node' } }, allow: { to: { element: { types: { anyOf: ['shared-node', 'shared'] } } } } },
          // The sync worker and the database: no React, no DOM (see the rule block for renderer/src/{sync,db}); the
          // main client's types are the one way up to the page.
          { from: { element: { type: 'renderer-data' } }, allow: { to: { element: { types: { anyOf: ['renderer-data', 'shared'] } } } } },
          { from: { element: { type: 'renderer-data' } }, allow: { to: { element: { type: 'renderer' }, file: { categories: 'main-client' } } } },
          { from: { element: { type: 'renderer' } }, allow: { to: { element: { types: { anyOf: ['renderer', 'renderer-data', 'shared'] } } } } },
          // The sandboxed preload carries no zod and no app logic: the channel names, and the contract's types only.
          { from: { element: { type: 'preload' } }, allow: { to: { element: { type: 'shared' }, file: { categories: 'ipc-channel-names' } } } },
          { from: { element: { type: 'preload' } }, allow: { to: { element: { type: 'shared' } }, dependency: { kind: 'type' } } },
          { from: { element: { type: 'electron-main' } }, allow: { to: { element: { types: { anyOf: ['electron-main', 'services', 'cli', 'shared', 'shared-node'] } } } } },
          { from: { element: { type: 'services' } }, allow: { to: { element: { types: { anyOf: ['services', 'shared', 'shared-node'] } } } } },
          { from: { element: { type: 'web-host' } }, allow: { to: { element: { types: { anyOf: ['web-host', 'services', 'shared', 'shared-node'] } } } } },
          { from: { element: { type: 'cli' } }, allow: { to: { element: { types: { anyOf: ['cli', 'services', 'web-host', 'shared', 'shared-node'] } } } } },
          // The counter's commands never import a checkout-only one; those, and they alone, may import the central.
          { from: { element: { type: 'cli' } }, disallow: { to: { element: { type: 'cli' }, file: { categories: 'checkout-only' } } } },
          { from: { element: { type: 'cli' }, file: { categories: 'checkout-only' } }, allow: { to: { element: { type: 'cli' }, file: { categories: 'checkout-only' } } } },
          { from: { element: { type: 'cli' }, file: { categories: 'checkout-only' } }, allow: { to: { element: { type: 'central' } } } },
          { from: { element: { type: 'central' } }, allow: { to: { element: { types: { anyOf: ['central', 'shared', 'shared-node'] } } } } },
          { from: { element: { type: 'bench' } }, allow: { to: { element: { types: { anyOf: ['bench', 'tests', 'central', 'services', 'shared', 'shared-node'] } } } } },
          { from: { element: { type: 'tests' } }, allow: { to: { element: { types: { anyOf: ['tests', 'bench', 'renderer', 'renderer-data', 'services', 'web-host', 'cli', 'central', 'shared', 'shared-node'] } } } } },
        ],
      }],
    },
  },
);
