// Lint keeps the dependency direction of the map:
//   services -> stages -> runtime -> adapters -> ports -> contracts; nothing -> a service;
//   a port never imports its adapters (see depConstraints for both axes).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The infrastructure's client libraries stay behind their adapters (ports and adapters): only an
// adapter tagged client:X imports X's library, and only that one; the runtime (composition root)
// also builds the Elasticsearch client and the SQLite database it hands to the adapters; tests use
// them all. A type-only import of the Elasticsearch DSL in libs/query is allowed further down.
const KAFKA = ['kafkajs', 'kafkajs/*'];
const ELASTICSEARCH = ['@elastic/elasticsearch', '@elastic/elasticsearch/*'];
const SQLITE = ['better-sqlite3', 'better-sqlite3/*'];
const CLIENTS = [...KAFKA, ...ELASTICSEARCH, ...SQLITE];

// Two axes. type: the layer (contracts <- platform <- port <- domain; adapters implement
// ports and only the runtime wiring and tests import them; stages use the runtime; a
// service wires stages and runtime). scope: which service a lib serves; a stage never
// reaches into another stage's scope. The composition root (runtime) and the adapters it plugs
// in see every scope, as do the api (which also runs the embedded monitor, every stage in one
// process) and the tests.
const DEP_CONSTRAINTS = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:adapter', 'type:runtime'], bannedExternalImports: KAFKA },
  { sourceTag: 'type:stage', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:runtime'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:feature'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:runtime', 'type:stage', 'type:feature'], bannedExternalImports: CLIENTS },
  { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:port', 'type:domain', 'type:adapter', 'type:runtime', 'type:stage', 'type:feature'] },
  { sourceTag: 'client:kafka', bannedExternalImports: [...ELASTICSEARCH, ...SQLITE] },
  { sourceTag: 'client:elasticsearch', bannedExternalImports: [...KAFKA, ...SQLITE] },
  { sourceTag: 'client:sqlite', bannedExternalImports: [...KAFKA, ...ELASTICSEARCH] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:collector', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:collector'] },
  { sourceTag: 'scope:classifier', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:classifier'] },
  { sourceTag: 'scope:indexer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:indexer'] },
  { sourceTag: 'scope:alerter', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:alerter'] },
  { sourceTag: 'scope:composition', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:collector', 'scope:classifier', 'scope:indexer', 'scope:alerter'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:composition', 'scope:collector', 'scope:classifier', 'scope:indexer', 'scope:alerter', 'scope:api'] },
];

const boundaries = (allow = []) => ['error', { enforceBuildableLibDependency: false, allow, depConstraints: DEP_CONSTRAINTS }];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '.nx/**', 'libs/demo/content/**', 'services/api/public/vendor/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(),
    },
  },
  {
    // A spec is a test: beside the code, it may run it over a real adapter (the embedded SQLite
    // ones) or an in-memory SQLite database, which production code of a stage or domain lib never
    // imports.
    files: ['libs/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['@monitor/messaging-sqlite', '@monitor/search-sqlite', '@monitor/state-sqlite', 'better-sqlite3']),
    },
  },
  {
    // The story evaluation gives the labelled sets the classifier's topics, as the pipeline gives
    // them to the stories stage; a measuring tool, not loaded by the stories lib at run time.
    files: ['libs/stories/src/cli/eval-stories.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['@monitor/classifier']),
    },
  },
  {
    // The query language compiles to Elasticsearch's DSL beside its evaluator and FTS5 compiler (so
    // the three agree; tests/query-agreement.test.ts); it takes the DSL's types from the client,
    // never the client: nothing of it is loaded at run time.
    files: ['libs/query/src/elastic-query-compiler.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['@elastic/elasticsearch']),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@elastic/elasticsearch', allowTypeImports: true, message: 'libs/query may take only types from the Elasticsearch client.' }] },
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
