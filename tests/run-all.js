#!/usr/bin/env node
// The README's test command (`npm test`): lint (module boundaries included), type check, then every
// Jest suite — unit tests in libs/ and services/, integration tests in tests/ against real Kafka,
// Elasticsearch and SMTP servers that the integration suite's global setup starts when they are
// not already running. Ends with one summary line "N passed, N failed".
const { spawnSync } = require('node:child_process');
const { readFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (label, cmd, args) => {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  return result.status === 0;
};

let ok = true;
ok = run('project graph', bin('nx'), ['show', 'projects']) && ok;
ok = run('lint', bin('eslint'), ['--max-warnings=0', 'libs', 'services', 'tests']) && ok;
ok = run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) && ok;

mkdirSync(join(root, 'tmp'), { recursive: true });
const report = join(root, 'tmp', 'jest-report.json');
const jestArgs = ['--ci', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
ok = run('jest', bin('jest'), jestArgs) && ok;

let passed = 0;
let failed = 0;
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
} catch {
  failed += 1;
}
if (!ok && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(ok && failed === 0 && passed > 0 ? 0 : 1);
