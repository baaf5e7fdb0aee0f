// @ts-check
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier';

// The layer table of docs/architecture.md, enforced: each folder lists what it must never import.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// `electron` itself is a path entry; the pattern adds its subpaths without reporting the same import twice.
const electronSubpaths = ['electron/*'];
const ours = {
  renderer: ['**/renderer', '**/renderer/**'],
  core: ['**/electron/core', '**/electron/core/**', '**/core/**'],
  electronTree: ['**/electron/**'],
  main: ['**/main/**'],
  server: ['**/server/**'],
  client: ['**/electron/client/**', '**/client/**'],
  cli: ['**/electron/cli/**', '**/cli/**'],
};

/**
 * @param {string} layer
 * @param {{ node?: boolean, electron?: boolean, patterns?: string[] }} forbid
 */
function layerRule(layer, forbid) {
  const message = `${layer} may not import this (see the layer table in docs/architecture.md).`;
  const paths = [
    ...(forbid.node ? nodeBuiltins.map((name) => ({ name, message })) : []),
    ...(forbid.electron ? [{ name: 'electron', message }] : []),
  ];
  const patterns = [
    ...(forbid.electron ? [{ group: electronSubpaths, message }] : []),
    ...(forbid.patterns?.length ? [{ group: forbid.patterns, message }] : []),
  ];
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  {
    ignores: ['out/**', 'node_modules/**', 'native/build/**', 'test-results/**', 'playwright-report/**'],
  },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['shared/**'],
    rules: layerRule('shared/', {
      node: true,
      electron: true,
      patterns: [...ours.renderer, ...ours.electronTree],
    }),
  },
  {
    files: ['electron/core/**'],
    rules: layerRule('electron/core', {
      electron: true,
      patterns: [
        ...ours.renderer,
        ...ours.main,
        ...ours.server,
        '**/preload/**',
        ...ours.client,
        ...ours.cli,
      ],
    }),
  },
  {
    files: ['electron/server/**'],
    rules: layerRule('electron/server', {
      electron: true,
      patterns: [...ours.renderer, ...ours.main, '**/preload/**', ...ours.cli],
    }),
  },
  {
    files: ['electron/client/**'],
    rules: layerRule('electron/client', {
      electron: true,
      patterns: [...ours.renderer, ...ours.core, ...ours.main, ...ours.server, '**/preload/**', ...ours.cli],
    }),
  },
  {
    files: ['electron/cli/**'],
    rules: layerRule('electron/cli', {
      electron: true,
      patterns: [...ours.renderer, ...ours.main, '**/preload/**'],
    }),
  },
  {
    files: ['electron/main/**'],
    rules: layerRule('electron/main', {
      // Of the server, only what the desktop app's embedded backend serves too: the Unix socket and
      // the metrics port.
      patterns: [
        ...ours.renderer,
        '**/preload/**',
        ...ours.server,
        '!**/server/unix-socket',
        '!**/server/metrics-route',
        ...ours.cli,
      ],
    }),
  },
  {
    files: ['electron/preload/**'],
    rules: layerRule('electron/preload', {
      node: true,
      patterns: [...ours.renderer, ...ours.core, ...ours.main, ...ours.server],
    }),
  },
  {
    files: ['renderer/**'],
    rules: layerRule('renderer/', { node: true, electron: true, patterns: ours.electronTree }),
  },
  prettier,
);
