// Lint is where the architecture is enforced: which folder may import what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

/** Imports that platform-free code must never reach for. */
const platformImports = ['electron', 'react-dom', 'react-dom/*', ...nodeBuiltins];

const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'location', 'fetch', 'XMLHttpRequest', 'Blob', 'File', 'FileReader', 'Worker', 'self', 'process', 'Buffer', '__dirname', 'require'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'renderer/dist/', 'test-results/', 'playwright-report/', 'tests/.cache/', '.motcua-data/', 'tests/fault/counter-page/dist/'] },
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
    // Only the Electron shell (main + preload) may import electron; Node-side code never reaches into the renderer.
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts', 'electron/web-host/**/*.ts', 'central/**/*.ts', 'bench/**/*.ts'],
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
);
