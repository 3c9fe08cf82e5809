// Lint keeps the dependency direction of the map:
//   services -> stages -> runtime -> adapters -> ports -> contracts; nothing -> a service;
//   a port never imports its adapters (see depConstraints for both axes).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Two axes. type: the layer (contracts <- platform <- port <- domain; adapters implement
// ports and only the runtime wiring and tests import them; stages use the runtime; a
// service wires stages and runtime). scope: which service a lib serves; a stage never
// reaches into another stage's scope. The composition root (runtime) and the adapters it plugs
// in see every scope, as do the api (which also runs the embedded monitor, every stage in one
// process) and the tests.
const DEP_CONSTRAINTS = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:adapter', 'type:runtime'] },
  { sourceTag: 'type:stage', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:runtime'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:feature'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:runtime', 'type:stage', 'type:feature'] },
  { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:adapter', 'type:runtime', 'type:stage', 'type:feature'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:collector', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:collector'] },
  { sourceTag: 'scope:classifier', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:classifier'] },
  { sourceTag: 'scope:indexer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:indexer'] },
  { sourceTag: 'scope:alerter', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:alerter'] },
  { sourceTag: 'scope:composition', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:collector', 'scope:classifier', 'scope:indexer', 'scope:alerter'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:collector', 'scope:classifier', 'scope:indexer', 'scope:alerter', 'scope:api'] },
];


export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '.nx/**', 'libs/demo/content/**', 'services/api/public/vendor/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: DEP_CONSTRAINTS,
        },
      ],
    },
  },
  {
    // A spec is a test: beside the code, it may run it over a real adapter (the embedded SQLite
    // ones), which production code of a stage or domain lib never imports.
    files: ['libs/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@monitor/messaging-sqlite', '@monitor/search-sqlite', '@monitor/state-sqlite'],
          depConstraints: DEP_CONSTRAINTS,
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The dashboard's browser modules (served as they are, no bundler).
    files: ['services/api/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: { document: 'readonly', window: 'readonly', localStorage: 'readonly', fetch: 'readonly', EventSource: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/services/**'], message: 'A lib never imports a service.' }] }],
    },
  },
  {
    files: ['**/*.port.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*.bus', './*.store', './kafka*', './elastic*', './sqlite*', './memory*'], message: 'A port never imports its adapters.' }] },
      ],
    },
  },
];
