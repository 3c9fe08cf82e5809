/**
 * Lint keeps the infrastructure's client libraries (kafkajs, @elastic/elasticsearch,
 * better-sqlite3) behind their adapters: the workspace's own ESLint configuration, run through
 * ESLint's Node API on probe files placed (in name only; nothing is written) in each kind of
 * project.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

interface Probe {
  file: string;
  code: string;
}
interface Finding {
  ruleId: string | null;
  message: string;
}

const KAFKA = "import { Kafka } from 'kafkajs';\nexport const kafka = Kafka;\n";
const ELASTIC = "import { Client } from '@elastic/elasticsearch';\nexport const client = Client;\n";
const ELASTIC_TYPES = "import type { estypes } from '@elastic/elasticsearch';\nexport type Query = estypes.QueryDslQueryContainer;\n";
const SQLITE = "import Database from 'better-sqlite3';\nexport const db = Database;\n";

// ESLint loads eslint.config.mjs with import(), which Jest's module sandbox does not offer: the
// linting runs in a plain Node process.
const LINTER = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const findings = [];
  for (const probe of JSON.parse(input)) {
    const [result] = await eslint.lintText(probe.code, { filePath: probe.file });
    findings.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  }
  process.stdout.write(JSON.stringify(findings));
});
`;

let scratch: string;
let env: NodeJS.ProcessEnv;
let projects: Array<{ name: string; data: { tags?: string[] } }>;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'adapter-boundaries-'));
  // The module-boundary rule reads the project graph Nx cached; without one it checks nothing.
  env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_WORKSPACE_DATA_DIRECTORY: join(scratch, 'workspace-data') };
  const graphFile = join(scratch, 'graph.json');
  await run(join(ROOT, 'node_modules', '.bin', 'nx'), ['graph', `--file=${graphFile}`], { cwd: ROOT, env });
  projects = Object.values(JSON.parse(await readFile(graphFile, 'utf8')).graph.nodes);
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function lint(probes: Probe[]): Promise<Finding[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LINTER], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`linting exited with ${code}`))));
    child.stdin.end(JSON.stringify(probes.map((p) => ({ ...p, file: join(ROOT, p.file) }))));
  });
}

const banned = (pkg: string) => ({ ruleId: '@nx/enforce-module-boundaries', message: expect.stringContaining(`is not allowed to import "${pkg}"`) });

// [where, what, the findings lint must report]
const CASES: Array<[string, string, Finding[]]> = [
  // Outside the adapters: a stage, a domain lib, a platform lib, a service.
  ['libs/stages/collector/src/probe.ts', KAFKA, [banned('kafkajs')]],
  ['libs/stages/indexer/src/probe.ts', ELASTIC, [banned('@elastic/elasticsearch')]],
  ['libs/alerts/src/probe.ts', ELASTIC_TYPES, [banned('@elastic/elasticsearch')]],
  ['libs/feeds/src/probe.ts', SQLITE, [banned('better-sqlite3')]],
  ['services/api/src/probe.ts', SQLITE, [banned('better-sqlite3')]],
  ['services/collector/src/probe.ts', KAFKA, [banned('kafkajs')]],
  // Each adapter its own client, and only that one.
  ['libs/messaging-kafka/src/probe.ts', KAFKA, []],
  ['libs/messaging-kafka/src/probe.ts', ELASTIC, [banned('@elastic/elasticsearch')]],
  ['libs/search-elastic/src/probe.ts', ELASTIC, []],
  ['libs/state-elastic/src/probe.ts', SQLITE, [banned('better-sqlite3')]],
  ['libs/state-sqlite/src/probe.ts', SQLITE, []],
  ['libs/search-sqlite/src/probe.ts', KAFKA, [banned('kafkajs')]],
  // The composition root builds the Elasticsearch client and the SQLite database, never Kafka's.
  ['libs/runtime/src/probe.ts', ELASTIC, []],
  ['libs/runtime/src/probe.ts', SQLITE, []],
  ['libs/runtime/src/probe.ts', KAFKA, [banned('kafkajs')]],
  // A spec may open an in-memory SQLite database, and nothing else.
  ['libs/feeds/src/probe.spec.ts', SQLITE, []],
  ['libs/feeds/src/probe.spec.ts', KAFKA, [banned('kafkajs')]],
  // libs/query's Elasticsearch compiler takes the DSL's types, not the client.
  ['libs/query/src/elastic-query-compiler.ts', ELASTIC_TYPES, []],
  [
    'libs/query/src/elastic-query-compiler.ts',
    ELASTIC,
    [{ ruleId: '@typescript-eslint/no-restricted-imports', message: expect.stringContaining('only types from the Elasticsearch client') }],
  ],
  ['libs/query/src/query-parser.ts', ELASTIC_TYPES, [banned('@elastic/elasticsearch')]],
  // Integration tests use the real servers.
  ['tests/probe.test.ts', KAFKA + ELASTIC.replace('client', 'elastic') + SQLITE, []],
];

describe('client libraries stay behind their adapters', () => {
  it('reports every import of kafkajs, @elastic/elasticsearch or better-sqlite3 outside the adapter that may hold it', async () => {
    const findings = await lint(CASES.map(([file, code]) => ({ file, code })));
    CASES.forEach(([file, code, expected], i) => {
      expect({ file, code, findings: findings[i] }).toEqual({ file, code, findings: expected });
    });
  });

  it('tags every adapter with the one client library it wraps', () => {
    const adapters = projects.filter((p) => p.data.tags?.includes('type:adapter'));
    expect(adapters.length).toBeGreaterThanOrEqual(6);
    for (const adapter of adapters) {
      const clients = (adapter.data.tags ?? []).filter((tag) => tag.startsWith('client:'));
      expect({ adapter: adapter.name, clients: clients.length }).toEqual({ adapter: adapter.name, clients: 1 });
    }
  });
});
