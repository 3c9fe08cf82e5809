#!/usr/bin/env node
// The README's test command (`npm test`): lint (module boundaries included), type check, then every
// Jest suite — unit tests in libs/ and services/, integration tests in tests/ against real Kafka,
// Elasticsearch and SMTP servers that the integration suite's global setup starts when they are
// not already running, and stops at the end those it started (servers that were already running
// are left alone). Ends with one summary line "N passed, N failed".
const { spawnSync } = require('node:child_process');
const { createConnection } = require('node:net');
const { readFileSync, mkdirSync, realpathSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
// Each tool runs on this process's Node (the one `npm test` was started with, Node 24 on CI), not on
// whichever `node` a `#!/usr/bin/env node` line would find first on PATH.
const bin = (name) => realpathSync(join(root, 'node_modules', '.bin', name));
const run = (label, tool, args) => {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(process.execPath, [bin(tool), ...args], { cwd: root, env, stdio: 'inherit' });
  return result.status === 0;
};

/** True when something accepts TCP connections on 127.0.0.1:port. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (up) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// The servers the integration tests start when they are not running (tests/infra-servers.ts).
const SERVERS = [
  { name: 'Kafka', script: 'kafka.sh', port: Number(process.env.KAFKA_PORT ?? 9092) },
  { name: 'Elasticsearch', script: 'elasticsearch.sh', port: Number(process.env.ES_HTTP_PORT ?? 9200) },
];

async function main() {
  const major = Number(process.versions.node.split('.')[0]);
  process.stdout.write(`node ${process.version} (${process.execPath})\n`);
  if (major < 24) {
    process.stderr.write(`Node 24 or later is needed (package.json engines), this is ${process.version}: see the README, "Run it"\n`);
    process.stdout.write('\n0 passed, 1 failed\n');
    process.exit(1);
  }
  const runningBefore = new Map();
  for (const server of SERVERS) runningBefore.set(server.name, await listening(server.port));

  let ok = true;
  ok = run('project graph', 'nx', ['show', 'projects']) && ok;
  ok = run('lint', 'eslint', ['--max-warnings=0', 'libs', 'services', 'tests']) && ok;
  ok = run('typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit']) && ok;

  mkdirSync(join(root, 'tmp'), { recursive: true });
  // The cluster suites (tests/cluster-*.test.ts: three Kafka and three Elasticsearch nodes, and a
  // stack of replicas on them) run after the rest and alone: beside other suites on two cores
  // they would measure the machine's overload, not the monitor's recovery.
  const extra = process.argv.slice(2);
  const passes = extra.length
    ? [{ label: 'jest', args: ['--maxWorkers=2', ...extra] }]
    : [
        { label: 'jest', args: ['--maxWorkers=2', '--testPathIgnorePatterns', '/tests/cluster-'] },
        { label: 'jest (cluster suites, alone)', args: ['--maxWorkers=1', '--selectProjects', 'integration', '--testPathPatterns', '/tests/cluster-'] },
      ];
  let passed = 0;
  let failed = 0;
  for (const [i, pass] of passes.entries()) {
    const report = join(root, 'tmp', `jest-report-${i}.json`);
    ok = run(pass.label, 'jest', ['--ci', '--json', `--outputFile=${report}`, ...pass.args]) && ok;
    try {
      const summary = JSON.parse(readFileSync(report, 'utf8'));
      passed += summary.numPassedTests;
      failed += summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
    } catch {
      failed += 1;
    }
  }
  if (!ok && failed === 0) failed = 1;

  // About 1 GB of memory: a run that started these servers stops them, and says so.
  for (const server of SERVERS) {
    if (runningBefore.get(server.name) || !(await listening(server.port))) continue;
    process.stdout.write(`\n== stopping ${server.name} on port ${server.port}, started by this run (already running ones are left alone)\n`);
    spawnSync(join(root, 'infra', server.script), ['stop'], { cwd: root, env, stdio: 'inherit' });
  }

  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(ok && failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exit(1);
});
